import { importList } from '../src/landscape/index.js';
import type { Job } from '../src/schedule/job.js';

/** Re-imports the configured landscape (LANDSCAPE_FILE, else LANDSCAPE_URL) once a day. */
const job: Job = {
  name: 'landscape-import',
  schedule: '17 3 * * *',
  async run({ db, config, logger }) {
    const source = config.landscape.file ? { file: config.landscape.file } : { url: config.landscape.url };
    const { result } = await importList(db, { source });
    logger.info({ counts: result?.counts, changes: result?.maturityChanges }, 'landscape imported');
  },
};

export default job;
