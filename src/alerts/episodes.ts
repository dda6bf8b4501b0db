import type { DayVerdict } from './detect.js';

/** Where one repo's signal stands: the days already evaluated and its open episode, if any. */
export interface EpisodeState {
  evaluatedThrough: string | null;
  /** First alerted day of the open episode; null: the signal is at its baseline. */
  startedOn: string | null;
  /** Peak day of the episode's last alert: escalation is measured against it. */
  peak: number | null;
  /** Alerts of the open episode so far. */
  alerts: number;
}

export interface EpisodeAlert {
  kind: 'spike' | 'breakout';
  escalation: boolean;
  episodeStartedOn: string;
  /** 1 for the episode's first alert, 2 for its first escalation, … */
  number: number;
}

export const NO_EPISODE: EpisodeState = { evaluatedThrough: null, startedOn: null, peak: null, alerts: 0 };

/**
 * One day of the episode state machine: a flagged day opens an episode and alerts; while it is
 * open, only a peak `escalationFactor` times the last alerted one alerts again; a calm day (the
 * 7-day window back near the baseline) closes it, so the next jump is a new episode.
 */
export function advanceEpisode(
  state: EpisodeState,
  day: string,
  verdict: DayVerdict,
  escalationFactor: number,
): { state: EpisodeState; alert: EpisodeAlert | null } {
  const next: EpisodeState = { ...state, evaluatedThrough: day };
  if (verdict.state === 'flagged') {
    const peak = verdict.window.peak;
    if (state.startedOn === null) {
      return {
        state: { ...next, startedOn: day, peak, alerts: 1 },
        alert: { kind: verdict.kind, escalation: false, episodeStartedOn: day, number: 1 },
      };
    }
    if (state.peak !== null && peak >= escalationFactor * state.peak) {
      const number = state.alerts + 1;
      return {
        state: { ...next, peak, alerts: number },
        alert: { kind: verdict.kind, escalation: true, episodeStartedOn: state.startedOn, number },
      };
    }
    return { state: next, alert: null };
  }
  if (verdict.state === 'quiet' && verdict.calm) return { state: { ...next, startedOn: null, peak: null, alerts: 0 }, alert: null };
  return { state: next, alert: null };
}
