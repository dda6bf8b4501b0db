/** A repo seen at one simulated instant: what REST and GraphQL handlers read from. */
import { countAt } from './series.js';
import {
  commitAt, frameOf, contributorAt, countsAt, forkAt, releaseAt, stargazerAt,
  type Commit, type Contributor, type Fork, type Release, type RepoCounts,
} from './activity.js';
import type { RepoProfile } from './profile.js';
import type { RepoRecord, WorldState } from './state.js';

export interface RepoView {
  profile: RepoProfile;
  fullName: string;
  now: number;
  counts: RepoCounts;
  /** Release by index, 0 = oldest. */
  release(index: number): Release;
  /** The newest release that is neither a prerelease nor a draft, as GitHub's "latest". */
  latestRelease(): Release | null;
  commit(index: number): Commit;
  fork(index: number): Fork;
  stargazer(index: number): { login: string; id: number; starredAt: number };
  contributor(rank: number): Contributor;
  /** A series' count at another instant (e.g. commits before `since`). */
  countAt(series: 'stars' | 'forks' | 'commits' | 'releases' | 'contributors', t: number): number;
}

/** Views `record` at time `now`. */
export function viewRepo(state: WorldState, record: RepoRecord, now: number): RepoView {
  const { seed, anchor } = state;
  const p = record.profile;
  const counts = countsAt(seed, p, anchor, now);
  const view: RepoView = {
    profile: p,
    fullName: `${p.owner}/${p.name}`,
    now,
    counts,
    release: (i) => releaseAt(seed, p, anchor, i, now),
    latestRelease() {
      // Scan back a bounded number: release candidates come in short runs.
      for (let i = counts.releases - 1; i >= Math.max(0, counts.releases - 50); i--) {
        const r = view.release(i);
        if (!r.isPrerelease && !r.isDraft) return r;
      }
      return null;
    },
    commit: (i) => commitAt(seed, p, anchor, i, now, counts.contributors),
    fork: (i) => forkAt(seed, p, anchor, i, now),
    stargazer: (i) => stargazerAt(seed, p, anchor, i, now),
    contributor: (rank) => contributorAt(seed, p, rank, counts.contributors),
    countAt: (series, t) => countAt(p[series], frameOf(seed, p, anchor, series), Math.min(t, now)),
  };
  return view;
}
