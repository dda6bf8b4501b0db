/**
 * What a repo looks like at a simulated instant: counts, and list items generated on demand by
 * index (oldest first), so paging through 100k stargazers stores nothing.
 */
import { createHash } from 'node:crypto';
import { DAY_MS, countAt, timeOfIndex, type SeriesFrame, type SeriesSpec } from './series.js';
import { hash32, unit } from '../rng.js';
import type { RepoProfile } from './profile.js';

/** The counts GitHub would report for a repo at one instant. */
export interface RepoCounts {
  stars: number;
  /** forkCount / forks_count: the whole network. */
  forks: number;
  /** Direct forks only: what `forks { totalCount }` and the /forks list give. */
  directForks: number;
  watchers: number;
  openIssues: number;
  openPulls: number;
  releases: number;
  commits: number;
  contributors: number;
  pushedAt: number;
}

export interface Release {
  index: number;
  databaseId: number;
  tagName: string;
  name: string;
  createdAt: number;
  publishedAt: number;
  isPrerelease: boolean;
  isDraft: boolean;
}

export interface Commit {
  oid: string;
  committedDate: number;
  authorName: string;
  authorEmail: string;
  /** null when the author email is not linked to a GitHub user. */
  authorLogin: string | null;
}

export interface Fork {
  databaseId: number;
  owner: string;
  name: string;
  createdAt: number;
}

export interface Contributor {
  login: string | null;
  id: number | null;
  email: string | null;
  name: string | null;
  contributions: number;
}

type SeriesName = 'stars' | 'forks' | 'commits' | 'releases' | 'contributors';

/** Binds a profile to its seed so each series can be evaluated. */
export function frameOf(seed: number, profile: RepoProfile, anchor: number, series: SeriesName): SeriesFrame {
  return { createdAt: profile.createdAt, anchor, noiseKey: `${seed}:${profile.databaseId}:${series}` };
}

function count(seed: number, p: RepoProfile, anchor: number, s: SeriesName, t: number): number {
  return countAt(p[s], frameOf(seed, p, anchor, s), t);
}

/** The index-th event time of a series, oldest first. */
export function eventTime(seed: number, p: RepoProfile, anchor: number, s: SeriesName, index: number, now: number): number {
  return timeOfIndex(p[s] as SeriesSpec, frameOf(seed, p, anchor, s), index, now);
}

/** All counts of a repo at time t. */
export function countsAt(seed: number, p: RepoProfile, anchor: number, t: number): RepoCounts {
  const stars = count(seed, p, anchor, 'stars', t);
  const forks = count(seed, p, anchor, 'forks', t);
  const commits = count(seed, p, anchor, 'commits', t);
  const day = Math.floor(t / DAY_MS);
  // Open issues and PRs drift around their base level from day to day rather than grow.
  const drift = (key: string) => 1 + 0.15 * (unit(seed, p.databaseId, key, day) * 2 - 1);
  return {
    stars,
    forks,
    directForks: directForkCount(forks),
    watchers: Math.round(stars * p.watchersPerStar) + (stars > 0 ? 1 : 0),
    openIssues: Math.max(0, Math.round(p.openIssues * drift('issues'))),
    openPulls: Math.max(0, Math.round(p.openPulls * drift('pulls'))),
    releases: count(seed, p, anchor, 'releases', t),
    commits,
    contributors: commits === 0 ? 0 : Math.max(1, count(seed, p, anchor, 'contributors', t)),
    pushedAt: commits === 0 ? p.createdAt : eventTime(seed, p, anchor, 'commits', commits - 1, t),
  };
}

/** Direct forks are ~97% of the network (the rest are forks of forks). */
export function directForkCount(networkForks: number): number {
  return networkForks - Math.floor(networkForks * 0.03);
}

/** The index-th release (0 = first ever). Tags follow vMAJOR.MINOR.PATCH; ~12% are release candidates. */
export function releaseAt(seed: number, p: RepoProfile, anchor: number, index: number, now: number): Release {
  const perMinor = 2 + (hash32(seed, p.databaseId, 'ppm') % 6);
  const minorsPerMajor = 12 + (hash32(seed, p.databaseId, 'mpm') % 20);
  const baseMajor = hash32(seed, p.databaseId, 'major') % 2;
  const major = baseMajor + Math.floor(index / (perMinor * minorsPerMajor));
  const minor = Math.floor(index / perMinor) % minorsPerMajor;
  const patch = index % perMinor;
  const isPrerelease = unit(seed, p.databaseId, 'pre', index) < 0.12;
  const tagName = `v${major}.${minor}.${patch}${isPrerelease ? '-rc.0' : ''}`;
  const publishedAt = eventTime(seed, p, anchor, 'releases', index, now);
  return {
    index,
    databaseId: 100_000_000 + (hash32(seed, p.databaseId, 'release', index) % 900_000_000),
    tagName,
    name: unit(seed, p.databaseId, 'rname', index) < 0.2 ? tagName.slice(1) : tagName,
    createdAt: Math.max(p.createdAt, publishedAt - Math.floor(unit(seed, p.databaseId, 'rc', index) * 3_600_000)),
    publishedAt,
    isPrerelease,
    isDraft: false,
  };
}

/** The index-th commit of the default branch (0 = first ever). */
export function commitAt(seed: number, p: RepoProfile, anchor: number, index: number, now: number, contributors: number): Commit {
  const oid = createHash('sha1').update(`${seed}:${p.databaseId}:commit:${index}`).digest('hex');
  // Authors are skewed toward the top contributors; the tail has emails not linked to users.
  const rank = Math.floor(Math.max(1, contributors) * Math.pow(unit(seed, p.databaseId, 'author', index), 3));
  const person = contributorAt(seed, p, rank, contributors);
  return {
    oid,
    committedDate: eventTime(seed, p, anchor, 'commits', index, now),
    authorName: person.name ?? person.login ?? 'unknown',
    authorEmail: person.email ?? `${person.login}@users.noreply.github.com`,
    authorLogin: person.login,
  };
}

/** The number of contributors without a linked user (listed only with anon=true). */
export function anonymousContributorCount(contributors: number): number {
  return Math.floor(contributors * 0.08);
}

/** The rank-th contributor by contributions (0 = top); the last 8% are anonymous (email only). */
export function contributorAt(seed: number, p: RepoProfile, rank: number, contributors: number): Contributor {
  const h = hash32(seed, p.databaseId, 'contributor', rank);
  // Contributions depend on the contributor count only, so the list (and its ETag) changes
  // only when the count does, as GitHub's cached list does.
  const contributions = Math.max(1, Math.floor((contributors * 40) / Math.pow(rank + 1, 1.1)));
  if (rank >= contributors - anonymousContributorCount(contributors)) {
    const handle = `dev${h.toString(36)}`;
    return { login: null, id: null, email: `${handle}@example.org`, name: `Dev ${handle}`, contributions };
  }
  return { login: `dev-${h.toString(36)}`, id: 1_000_000 + (h % 200_000_000), email: null, name: null, contributions };
}

/** The index-th direct fork (0 = oldest). */
export function forkAt(seed: number, p: RepoProfile, anchor: number, index: number, now: number): Fork {
  const h = hash32(seed, p.databaseId, 'fork', index);
  // Direct forks are spread over the network's timeline.
  const networkIndex = Math.floor(index / 0.97);
  return {
    databaseId: 200_000_000 + (h % 800_000_000),
    owner: `forker-${h.toString(36)}`,
    name: p.name,
    createdAt: eventTime(seed, p, anchor, 'forks', networkIndex, now),
  };
}

/** The index-th stargazer (0 = earliest star). */
export function stargazerAt(seed: number, p: RepoProfile, anchor: number, index: number, now: number): { login: string; id: number; starredAt: number } {
  const h = hash32(seed, p.databaseId, 'star', index);
  return {
    login: `stargazer-${h.toString(36)}`,
    id: 1_000_000 + (h % 200_000_000),
    starredAt: eventTime(seed, p, anchor, 'stars', index, now),
  };
}
