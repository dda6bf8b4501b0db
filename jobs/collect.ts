import { CollectorBusyError } from '../src/collect/index.js';
import { collectPass } from '../src/collect/pass.js';
import type { Job } from '../src/schedule/job.js';

/**
 * Every hour: a snapshot of every tracked repo (contributor counts once a day), new history and a
 * slice of the backfill, then the trend refresh and the alert check.
 */
const job: Job = {
  name: 'collect',
  schedule: '7 * * * *',
  async run({ db, config, logger, github, signal }) {
    try {
      const pass = await collectPass(db, github(), config, { logger, signal });
      if (pass.snapshots.status === 'partial') logger.warn({ message: pass.snapshots.message }, 'collect stopped early');
      if (signal.aborted) return 'interrupted';
    } catch (err) {
      // A manual `greenshoots collect` holds the lock: this slot's work is being done already.
      if (err instanceof CollectorBusyError) logger.info('another collect is running: leaving this slot to it');
      else throw err;
    }
    return undefined;
  },
};

export default job;
