import { importList, type ListSource } from '../src/landscape/index.js';
import type { Job } from '../src/schedule/job.js';

/**
 * Once a day: re-import every list this database tracks from where it was last imported (the CNCF
 * landscape, a user's own list), so additions, removals and promotions show up. A database with no
 * import yet gets the configured landscape (LANDSCAPE_FILE, else LANDSCAPE_URL).
 */
const job: Job = {
  name: 'landscape-import',
  schedule: '17 3 * * *',
  async run({ db, config, logger }) {
    const sources = await db
      .selectFrom('imports')
      .distinctOn('source')
      .select(['source', 'location', 'only_filter'])
      .where('finished_at', 'is not', null)
      .orderBy('source')
      .orderBy('id', 'desc')
      .execute();
    const plan =
      sources.length > 0
        ? sources.map((s) => ({ source: toSource(s.location), sourceName: s.source, onlyCncf: s.only_filter === 'cncf' }))
        : [{ source: config.landscape.file ? { file: config.landscape.file } : { url: config.landscape.url }, onlyCncf: false }];
    for (const item of plan) {
      const { result, sourceName } = await importList(db, item);
      logger.info({ source: sourceName, counts: result?.counts, changes: result?.maturityChanges }, 'list re-imported');
    }
  },
};

function toSource(location: string): ListSource {
  return /^https?:\/\//i.test(location) ? { url: location } : { file: location };
}

export default job;
