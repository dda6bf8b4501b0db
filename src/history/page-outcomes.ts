import type { PageOutcome } from './page-query.js';
import { clearRestricted, looksRestricted, markRestricted } from './restriction.js';
import { applyPage, type StreamState } from './stream-state.js';
import { stateKey, type StreamWrite } from './stream-store.js';
import { OVERLAP_MS } from './streams.js';

export interface OutcomeEffects {
  writes: StreamWrite[];
  /** Star lists GitHub refused in this answer. */
  restricted: number;
  /** Repos GitHub no longer finds: left for the snapshot collector to mark. */
  missing: Set<number>;
  failures: Array<{ repoId: number; reason: string }>;
  pages: { probe: number; catchup: number; backfill: number };
}

/**
 * Turns one GraphQL answer's pages into stream writes: rows and next states, star lists marked
 * restricted (never a failure), and cursors GitHub refused set back so the next read starts over
 * from a place that leaves no gap.
 */
export function effectsOf(outcomes: readonly PageOutcome[], states: ReadonlyMap<string, StreamState>, horizonAt: Date | null, at: Date): OutcomeEffects {
  const effects: OutcomeEffects = { writes: [], restricted: 0, missing: new Set(), failures: [], pages: { probe: 0, catchup: 0, backfill: 0 } };
  for (const outcome of outcomes) {
    const { request } = outcome;
    const state = states.get(stateKey(request.repoId, request.stream));
    if (!state) continue;
    switch (outcome.kind) {
      case 'page': {
        effects.pages[request.mode]++;
        if (request.stream === 'stars' && request.mode === 'probe' && looksRestricted(outcome.page)) {
          effects.restricted++;
          const reason = `GitHub answered an empty stargazer list for ${outcome.page.total} stars`;
          effects.writes.push({ next: markRestricted(state, reason, at), items: [], reported: outcome.page.total, settled: false });
          break;
        }
        const applied = applyPage(request.stream === 'stars' ? clearRestricted(state) : state, request.mode, outcome.page, horizonAt);
        effects.writes.push({
          next: applied.next,
          items: applied.items,
          // A probe's count and its items are of one moment; later pages' counts may be ahead of what is stored.
          reported: request.mode === 'probe' ? outcome.page.total : null,
          settled: applied.settled,
        });
        break;
      }
      case 'forbidden':
        if (request.stream === 'stars') {
          effects.restricted++;
          effects.writes.push({ next: markRestricted(state, outcome.reason, at), items: [], reported: null, settled: false });
        } else {
          effects.failures.push({ repoId: request.repoId, reason: `${request.stream}: ${outcome.reason}` });
        }
        break;
      case 'missing':
        effects.missing.add(request.repoId);
        break;
      case 'invalid_cursor': {
        effects.failures.push({ repoId: request.repoId, reason: `${request.stream}: ${outcome.reason}; reading again from the newest item` });
        const next: StreamState =
          request.mode === 'catchup'
            ? // Back to the old watermark: the next probe reads everything down to it again.
              {
                ...state,
                catchupCursor: null,
                catchupUntil: null,
                newestAt: state.catchupUntil ? new Date(state.catchupUntil.getTime() + OVERLAP_MS[request.stream]) : state.newestAt,
              }
            : { ...state, backfillCursor: null, backfillDone: false };
        effects.writes.push({ next, items: [], reported: null, settled: false });
        break;
      }
      case 'failed':
        effects.failures.push({ repoId: request.repoId, reason: `${request.stream}: ${outcome.reason}` });
        break;
    }
  }
  return effects;
}
