import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExhaustedError, GitHubAuthError } from '../../src/github/index.js';
import { makeClient, rateHeaders } from '../helpers/github-fakes.js';

const API = 'https://api.github.com';
const as = (token: string) => nock(API, { reqheaders: { authorization: `token ${token}` } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('token pool', () => {
  it('sends each request on the token with the most budget left', async () => {
    const { client, clock } = makeClient({ tokens: ['tok-a', 'tok-b'] });
    const a = as('tok-a').get('/repos/o/one').reply(200, { id: 1 }, rateHeaders({ now: clock.now(), remaining: 100 }));
    const b = as('tok-b')
      .get('/repos/o/two')
      .reply(200, { id: 2 }, rateHeaders({ now: clock.now(), remaining: 4000 }))
      .get('/repos/o/three')
      .reply(200, { id: 3 }, rateHeaders({ now: clock.now(), remaining: 3999 }))
      .get('/repos/o/four')
      .reply(200, { id: 4 }, rateHeaders({ now: clock.now(), remaining: 3998 }));

    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'one' }); // unknown budgets: #1 first
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'two' }); // #2 still assumed full
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'three' }); // 4000 > 100
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'four' });

    expect(a.isDone()).toBe(true);
    expect(b.isDone()).toBe(true);
    const [first, second] = client.budget().tokens;
    expect(first?.core?.remaining).toBe(100);
    expect(second?.core?.remaining).toBe(3998);
    expect(client.budget().spend.restRequests).toBe(4);
  });

  it('drops a token that answers 401 and serves the same request with the next one', async () => {
    const { client, clock, log } = makeClient({ tokens: ['tok-bad', 'tok-good'] });
    const bad = as('tok-bad').get('/repos/o/r').reply(401, { message: 'Bad credentials' });
    const good = as('tok-good')
      .get('/repos/o/r')
      .reply(200, { full_name: 'o/r' }, rateHeaders({ now: clock.now(), remaining: 4999 }))
      .get('/repos/o/s')
      .reply(200, { full_name: 'o/s' }, rateHeaders({ now: clock.now(), remaining: 4998 }));

    const res = await client.rest<{ full_name: string }>('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    expect(res.data?.full_name).toBe('o/r');
    // The dropped token is never tried again.
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 's' });

    expect(bad.isDone()).toBe(true);
    expect(good.isDone()).toBe(true);
    expect(client.budget().tokens.map((t) => t.dropped)).toEqual([true, false]);
    const warning = log.lines().find((l) => l['level'] === 40 && String(l['msg']).includes('401'));
    expect(warning?.['msg']).toContain('token #1');
    expect(log.text()).not.toContain('tok-bad');
  });

  it('stops with GitHubAuthError when every token answers 401', async () => {
    const { client } = makeClient({ tokens: ['tok-a', 'tok-b'] });
    const scope = as('tok-a').get('/repos/o/r').reply(401, { message: 'Bad credentials' });
    const scopeB = as('tok-b').get('/repos/o/r').reply(401, { message: 'Bad credentials' });

    const err = await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubAuthError);
    expect((err as GitHubAuthError).code).toBe('GITHUB_AUTH');
    expect((err as GitHubAuthError).message).toMatch(/GITHUB_TOKEN/);
    expect(scope.isDone() && scopeB.isDone()).toBe(true);
    // Later calls fail at once, without a request.
    await expect(client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })).rejects.toBeInstanceOf(GitHubAuthError);
  });

  it('never sends on a token whose primary budget is spent: another token serves', async () => {
    const { client, clock } = makeClient({ tokens: ['tok-a', 'tok-b'] });
    const spent = rateHeaders({ now: clock.now(), remaining: 0, resetIn: 600 });
    const a = as('tok-a').get('/repos/o/one').reply(200, {}, spent);
    const b = as('tok-b')
      .get('/repos/o/two')
      .reply(200, {}, rateHeaders({ now: clock.now(), remaining: 10 }))
      .get('/repos/o/three')
      .reply(200, {}, rateHeaders({ now: clock.now(), remaining: 9 }));
    // Any request on tok-a after its budget ran out would hit this interceptor.
    const tooEarly = as('tok-a').get(/.*/).reply(500, {});

    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'one' });
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'two' });
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'three' });

    expect(a.isDone() && b.isDone()).toBe(true);
    expect(tooEarly.isDone()).toBe(false);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits for the reset when the only token has spent its budget', async () => {
    const { client, clock } = makeClient();
    const resetIn = 600;
    const resetAt = (Math.floor(clock.now() / 1000) + resetIn) * 1000;
    let sentAt = 0;
    const scope = as('tok-a')
      .get('/repos/o/one')
      .reply(200, {}, rateHeaders({ now: clock.now(), remaining: 0, resetIn }))
      .get('/repos/o/two')
      .reply(() => {
        sentAt = clock.now();
        return [200, {}, rateHeaders({ now: clock.now(), remaining: 4999, resetIn: 3600 })];
      });

    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'one' });
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'two' });

    expect(scope.isDone()).toBe(true);
    expect(sentAt).toBeGreaterThanOrEqual(resetAt);
    expect(client.budget().spend.rateLimitWaits).toBe(1);
  });
});

describe('budget share', () => {
  it('refuses to spend beyond share × limit, counted from what headers say is used', async () => {
    const { client, clock } = makeClient({ budgetShare: 0.5 });
    const scope = as('tok-a')
      .get('/repos/o/one')
      .reply(200, {}, rateHeaders({ now: clock.now(), limit: 100, remaining: 52, used: 48 }))
      .get('/repos/o/two')
      .reply(200, {}, rateHeaders({ now: clock.now(), limit: 100, remaining: 51, used: 49 }))
      .get('/repos/o/three')
      .reply(200, {}, rateHeaders({ now: clock.now(), limit: 100, remaining: 50, used: 50 }));
    const beyond = as('tok-a').get('/repos/o/four').reply(200, {});

    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'one' });
    expect(client.remainingShare('core')).toBe(2);
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'two' });
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'three' });
    expect(client.remainingShare('core')).toBe(0);

    const err = await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'four' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect((err as BudgetExhaustedError).code).toBe('GITHUB_BUDGET');
    expect((err as BudgetExhaustedError).resource).toBe('core');
    expect(scope.isDone()).toBe(true);
    expect(beyond.isDone()).toBe(false);
  });

  it('can wait for the next window instead of refusing', async () => {
    const { client, clock } = makeClient({ budgetShare: 0.5, whenBudgetSpent: 'wait' });
    const scope = as('tok-a')
      .get('/repos/o/one')
      .reply(200, {}, rateHeaders({ now: clock.now(), limit: 100, remaining: 50, used: 50, resetIn: 120 }))
      .get('/repos/o/two')
      .reply(200, {}, rateHeaders({ now: clock.now() + 121_000, limit: 100, remaining: 99, used: 1 }));
    const start = clock.now();
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'one' });
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'two' });
    expect(scope.isDone()).toBe(true);
    expect(clock.now() - start).toBeGreaterThanOrEqual(120_000);
  });

  it('reads every token\'s budget from the free /rate_limit before optional work', async () => {
    const { client, clock } = makeClient({ tokens: ['tok-a', 'tok-b'], budgetShare: 0.5 });
    const reset = Math.floor(clock.now() / 1000) + 1800;
    const body = (coreUsed: number, gqlUsed: number) => ({
      resources: {
        core: { limit: 5000, used: coreUsed, remaining: 5000 - coreUsed, reset },
        graphql: { limit: 5000, used: gqlUsed, remaining: 5000 - gqlUsed, reset },
      },
    });
    const scope = as('tok-a').get('/rate_limit').reply(200, body(2000, 100));
    const scopeB = as('tok-b').get('/rate_limit').reply(200, body(2600, 2500));

    const snapshot = await client.refreshBudget();
    expect(scope.isDone() && scopeB.isDone()).toBe(true);
    expect(snapshot.tokens[1]?.graphql?.used).toBe(2500);
    expect(client.remainingShare('core')).toBe(500 + 0);
    expect(client.remainingShare('graphql')).toBe(2400 + 0);
    expect(snapshot.spend.restRequests).toBe(0);
  });
});
