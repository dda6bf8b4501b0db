export { collect, CollectorBusyError, DEFAULT_BATCH_SIZE } from './collect.js';
export type { CollectOptions, CollectProgress, CollectSummary } from './collect.js';
