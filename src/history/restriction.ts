import type { ParsedPage } from './streams.js';
import type { StreamState } from './stream-state.js';

/**
 * Since July 2026 GitHub lists a repo's stargazers only to its admins and collaborators (GitHub
 * Enterprise Server still lists them); others get 403, an empty list or a FORBIDDEN error, while the
 * count stays public. A refused list is recorded on the stream and asked again this long after.
 */
export const RECHECK_RESTRICTED_MS = 30 * 86_400_000;

/** An empty stargazer page for a repo that reports stars is a refusal too. */
export function looksRestricted(page: ParsedPage): boolean {
  return page.items.length === 0 && (page.total ?? 0) > 0;
}

/** The stream after GitHub refused its list. */
export function markRestricted(state: StreamState, reason: string, at: Date): StreamState {
  return { ...state, restricted: true, restrictedReason: reason, checkedAt: at, nextCheckAt: new Date(at.getTime() + RECHECK_RESTRICTED_MS) };
}

/** The stream once its list answers again. */
export function clearRestricted(state: StreamState): StreamState {
  return state.restricted ? { ...state, restricted: false, restrictedReason: null, nextCheckAt: null } : state;
}

/** Whether a stream should be read in a run at `now`: a restricted one only when its recheck is due. */
export function isDue(state: StreamState, now: Date): boolean {
  return !state.restricted || state.nextCheckAt === null || state.nextCheckAt <= now;
}
