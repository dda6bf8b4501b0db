/** The registry of simulated repos and the scenario knobs tests plant on it (rename, delete, block, overrides). */
import { generateProfile, type RepoProfile } from './profile.js';
import { toMs } from '../clock.js';
import type { Breakout, SeriesSpec } from './series.js';

export type RepoStatus = 'ok' | 'deleted' | 'blocked';

/** One repo as the simulator holds it: its profile (mutable by overrides) and its fate. */
export interface RepoRecord {
  profile: RepoProfile;
  status: RepoStatus;
}

/** A series override: any of the shape's knobs; breakouts take dates in any form. */
export interface SeriesOverride {
  atAnchor?: number;
  exponent?: number;
  breakouts?: Array<{ from: Date | string | number; factor: number }>;
}

type SeriesName = 'stars' | 'forks' | 'commits' | 'releases' | 'contributors';
type ScalarName = Exclude<keyof RepoProfile, SeriesName | 'databaseId' | 'owner' | 'name'>;

/** What `setRepo`/`addRepo` accept: scalar profile fields as they are, series as partial shapes. */
export type RepoOverrides = Partial<Pick<RepoProfile, ScalarName>> & Partial<Record<SeriesName, SeriesOverride>>;

/** The outcome of looking a name up: found (maybe through a rename), blocked, or gone. */
export type Resolution =
  | { kind: 'found'; record: RepoRecord; movedFrom: string | null }
  | { kind: 'blocked'; record: RepoRecord }
  | { kind: 'missing' };

export interface WorldState {
  readonly seed: number;
  /** The date series' `atAnchor` values refer to (the simulator's start). */
  readonly anchor: number;
  /** Adds a repo (generated from the seed, then overridden); returns its record. */
  addRepo(fullName: string, overrides?: RepoOverrides): RepoRecord;
  /** Overrides a repo's profile or trajectories, e.g. `{ stars: { breakouts: [{ from, factor: 10 }] } }`. */
  setRepo(fullName: string, overrides: RepoOverrides): RepoRecord;
  /** Renames/transfers: the old name keeps resolving to the repo (REST 301, GraphQL follows). */
  rename(from: string, to: string): void;
  /** Deletes: REST 404, GraphQL NOT_FOUND. */
  delete(fullName: string): void;
  /** DMCA-blocks: REST 451, GraphQL null with an error. */
  block(fullName: string): void;
  resolve(fullName: string): Resolution;
  byId(databaseId: number): RepoRecord | undefined;
  /** Every repo still answering (not deleted), in insertion order. */
  list(): RepoRecord[];
}

/** Creates the world with `repos` generated from `seed` as of `anchor`. */
export function createWorldState(seed: number, anchor: number, repos: readonly string[]): WorldState {
  const byName = new Map<string, RepoRecord>();
  const byId = new Map<number, RepoRecord>();
  // Old name → current record; GitHub keeps redirecting old names until someone reuses them.
  const redirects = new Map<string, RepoRecord>();

  const find = (fullName: string): RepoRecord => {
    const record = byName.get(fullName.toLowerCase()) ?? redirects.get(fullName.toLowerCase());
    if (!record) throw new Error(`no simulated repo named ${fullName}`);
    return record;
  };

  const state: WorldState = {
    seed,
    anchor,
    addRepo(fullName, overrides) {
      assertName(fullName);
      const existing = byName.get(fullName.toLowerCase());
      if (existing) return overrides ? state.setRepo(fullName, overrides) : existing;
      const profile = generateProfile(seed, fullName, anchor);
      while (byId.has(profile.databaseId)) profile.databaseId += 1;
      const record: RepoRecord = { profile, status: 'ok' };
      byName.set(fullName.toLowerCase(), record);
      byId.set(profile.databaseId, record);
      redirects.delete(fullName.toLowerCase());
      if (overrides) applyOverrides(record.profile, overrides);
      return record;
    },
    setRepo(fullName, overrides) {
      const record = find(fullName);
      applyOverrides(record.profile, overrides);
      return record;
    },
    rename(from, to) {
      assertName(to);
      const record = find(from);
      const oldKey = `${record.profile.owner}/${record.profile.name}`.toLowerCase();
      if (byName.has(to.toLowerCase()) && byName.get(to.toLowerCase()) !== record) {
        throw new Error(`cannot rename ${from} to ${to}: the name is taken`);
      }
      const [owner = '', name = ''] = to.split('/');
      byName.delete(oldKey);
      redirects.set(oldKey, record);
      redirects.delete(to.toLowerCase());
      record.profile.owner = owner;
      record.profile.name = name;
      byName.set(to.toLowerCase(), record);
    },
    delete(fullName) {
      find(fullName).status = 'deleted';
    },
    block(fullName) {
      find(fullName).status = 'blocked';
    },
    resolve(fullName) {
      const lower = fullName.toLowerCase();
      const direct = byName.get(lower);
      const record = direct ?? redirects.get(lower);
      if (!record || record.status === 'deleted') return { kind: 'missing' };
      if (record.status === 'blocked') return { kind: 'blocked', record };
      return { kind: 'found', record, movedFrom: direct ? null : fullName };
    },
    byId: (databaseId) => byId.get(databaseId),
    list: () => [...byName.values()].filter((r) => r.status !== 'deleted'),
  };
  for (const name of repos) state.addRepo(name);
  return state;
}

function assertName(fullName: string): void {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(fullName)) throw new Error(`not an owner/name: ${fullName}`);
}

function applyOverrides(profile: RepoProfile, overrides: RepoOverrides): void {
  const seriesNames: SeriesName[] = ['stars', 'forks', 'commits', 'releases', 'contributors'];
  for (const [field, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if ((seriesNames as string[]).includes(field)) {
      mergeSeries(profile[field as SeriesName], value as SeriesOverride);
    } else {
      (profile as unknown as Record<string, unknown>)[field] = value;
    }
  }
}

function mergeSeries(spec: SeriesSpec, override: SeriesOverride): void {
  if (override.atAnchor !== undefined) spec.atAnchor = override.atAnchor;
  if (override.exponent !== undefined) spec.exponent = override.exponent;
  if (override.breakouts !== undefined) {
    spec.breakouts = override.breakouts.map((b): Breakout => ({ from: toMs(b.from), factor: b.factor }));
  }
}
