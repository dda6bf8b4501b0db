export { refreshTrends, lastRefresh, type RefreshOptions, type RefreshResult } from './refresh.js';
export { compactSnapshots, type CompactOptions, type CompactResult } from './compact.js';
