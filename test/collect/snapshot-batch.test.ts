import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeBatch } from '../../src/collect/snapshot-batch.js';
import { buildSnapshotQuery } from '../../src/collect/snapshot-query.js';
import type { DueRepo } from '../../src/collect/snapshot-store.js';
import { createGitHubClient } from '../../src/github/index.js';
import { createLogger } from '../../src/log/logger.js';

const API = 'https://api.github.com';
const due = (fullName: string, extra: Partial<DueRepo> = {}): DueRepo => {
  const [owner, name] = fullName.split('/') as [string, string];
  return { id: 1, owner, name, current_full_name: null, github_id: null, status: 'pending', needsMetadata: false, ...extra };
};
const node = (databaseId: number, nameWithOwner: string) => ({
  databaseId,
  id: `R_${databaseId}`,
  nameWithOwner,
  stargazerCount: 10,
  forkCount: 2,
  watchers: { totalCount: 3 },
  issues: { totalCount: 4 },
  pullRequests: { totalCount: 5 },
  releases: { totalCount: 6 },
  latestRelease: null,
  pushedAt: '2026-11-27T10:00:00Z',
  isArchived: false,
});
const client = () =>
  createGitHubClient({ apiUrl: API, tokens: ['ghp_unit'], logger: createLogger({ level: 'silent' }), graphqlSpacingMs: 0 });
const headers = { date: 'Sat, 28 Nov 2026 10:00:00 GMT', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4990', 'x-ratelimit-used': '10', 'x-ratelimit-reset': '1795850000', 'x-ratelimit-resource': 'graphql' };

describe('the batched snapshot query', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('asks every repo through its own alias with the names bound as variables', () => {
    const { query, variables } = buildSnapshotQuery([
      { owner: 'kubernetes', name: 'kubernetes', withMetadata: false },
      { owner: 'evil"}', name: 'x', withMetadata: true },
    ]);
    expect(query).toContain('r0: repository(owner: $o0, name: $n0) { ...SnapshotFields }');
    expect(query).toContain('r1: repository(owner: $o1, name: $n1) { ...SnapshotFields ...MetadataFields }');
    expect(query).toContain('rateLimit { cost remaining resetAt }');
    expect(query).not.toContain('evil');
    expect(variables).toEqual({ o0: 'kubernetes', n0: 'kubernetes', o1: 'evil"}', n1: 'x' });
  });

  it('keeps the other repos of a batch when one is not found, and sees renames', async () => {
    let sent: { query: string; variables: Record<string, string> } | null = null;
    const scope = nock(API)
      .post('/graphql', (body: { query: string; variables: Record<string, string> }) => {
        sent = body;
        return true;
      })
      .reply(
        200,
        {
          data: { r0: node(1, 'kubernetes/kubernetes'), r1: null, r2: node(3, 'fluxcd/flux'), rateLimit: { cost: 1, remaining: 4990, resetAt: '2026-11-28T11:00:00Z' } },
          errors: [{ type: 'NOT_FOUND', path: ['r1'], message: "Could not resolve to a Repository with the name 'gone/away'." }],
        },
        headers,
      );
    const batch = [due('kubernetes/kubernetes'), due('gone/away'), due('fluxcd/flux2')];
    const { outcomes, cost } = await observeBatch(client(), batch, () => new Date());
    expect(scope.isDone()).toBe(true);
    expect(sent!.variables).toMatchObject({ o1: 'gone', n1: 'away', o2: 'fluxcd', n2: 'flux2' });
    expect(cost).toBe(1);
    expect(outcomes.map((o) => o.kind)).toEqual(['observed', 'not_found', 'observed']);
    const renamed = outcomes[2];
    expect(renamed?.kind === 'observed' && renamed.node.nameWithOwner).toBe('fluxcd/flux');
    expect(renamed?.kind === 'observed' && renamed.servedAt.toISOString()).toBe('2026-11-28T10:00:00.000Z');
  });

  it('asks a renamed repo by the name GitHub gave it last', async () => {
    let variables: Record<string, string> = {};
    const scope = nock(API)
      .post('/graphql', (body: { variables: Record<string, string> }) => {
        variables = body.variables;
        return true;
      })
      .reply(200, { data: { r0: node(3, 'fluxcd/flux') } }, headers);
    await observeBatch(client(), [due('fluxcd/flux2', { current_full_name: 'fluxcd/flux' })], () => new Date());
    expect(scope.isDone()).toBe(true);
    expect(variables).toEqual({ o0: 'fluxcd', n0: 'flux' });
  });

  it('treats a blocked repo (FORBIDDEN, "Repository access blocked") as blocked', async () => {
    const scope = nock(API)
      .post('/graphql')
      .reply(200, { data: { r0: null }, errors: [{ type: 'FORBIDDEN', path: ['r0'], message: 'Repository access blocked' }] }, headers);
    const { outcomes } = await observeBatch(client(), [due('dmca/blocked')], () => new Date());
    expect(scope.isDone()).toBe(true);
    expect(outcomes[0]).toMatchObject({ kind: 'blocked', reason: 'GitHub: Repository access blocked' });
  });

  it('falls back to the local clock, and says so, when GitHub sends no Date', async () => {
    const { date: _date, ...noDate } = headers;
    nock(API).post('/graphql').reply(200, { data: { r0: node(1, 'a/b') } }, noDate);
    const local = new Date('2026-11-28T12:34:56Z');
    const { outcomes } = await observeBatch(client(), [due('a/b')], () => local);
    expect(outcomes[0]).toMatchObject({ kind: 'observed', clockSource: 'local', servedAt: local });
  });
});
