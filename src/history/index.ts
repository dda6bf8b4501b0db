export { runHistory, HistoryBusyError } from './run-history.js';
export type { HistoryOptions, HistoryProgress, HistorySummary } from './run-history.js';
export { authorKey, hashEmail } from './author-key.js';
export { pagesLeft, pointsToFinish } from './estimate.js';
export { driftOf } from './reconcile.js';
export { loadStates } from './stream-store.js';
export { HISTORY_STREAMS } from './streams.js';
export type { StreamState } from './stream-state.js';
