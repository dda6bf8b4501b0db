import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../src/github/index.js';
import { ServerClock } from '../../src/github/clock.js';
import { makeClient, rateHeaders } from '../helpers/github-fakes.js';

const API = 'https://api.github.com';
const ROUTE = 'GET /repos/{owner}/{repo}';
const HOUR = 3_600_000;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** A client whose GitHub's clock reads the local (simulated) one plus `skewMs`. */
function skewedClient(skewMs: number, over: Parameters<typeof makeClient>[0] = {}) {
  const made = makeClient(over);
  const serverNow = (): number => made.clock.now() + skewMs;
  /** Headers of an answer served now: GitHub's Date and its rate headers, `resetIn` counted on its clock. */
  const served = (rate: Omit<Parameters<typeof rateHeaders>[0], 'now'>): Record<string, string> => ({
    ...rateHeaders({ now: serverNow(), ...rate }),
    date: new Date(serverNow()).toUTCString(),
  });
  return { ...made, serverNow, served };
}

describe.each([
  { skew: 'three days ahead', skewMs: 72 * HOUR },
  { skew: 'two hours behind', skewMs: -2 * HOUR },
])('GitHub clock $skew of the local one', ({ skewMs }) => {
  it('waits for the reset on GitHub\'s clock, not for the same instant on ours', async () => {
    const { client, clock, serverNow, served } = skewedClient(skewMs);
    const start = clock.now();
    const resetAt = (Math.floor(serverNow() / 1000) + 600) * 1000;
    let sentAt = 0;
    const scope = nock(API)
      .get('/repos/o/one')
      .reply(() => [200, {}, served({ remaining: 0, resetIn: 600 })])
      .get('/repos/o/two')
      .reply(() => {
        sentAt = clock.now();
        return [200, {}, served({ remaining: 4999, resetIn: 3600 })];
      });

    await client.rest(ROUTE, { owner: 'o', repo: 'one' });
    const spent = client.budget().tokens[0]?.core;
    expect(spent?.remaining).toBe(0);
    expect(spent?.used).toBe(5000);
    expect(spent?.resetAt.toISOString()).toBe(new Date(resetAt).toISOString());
    expect(client.remainingShare('core')).toBe(0);

    await client.rest(ROUTE, { owner: 'o', repo: 'two' });
    expect(scope.isDone()).toBe(true);
    // Ten minutes on either clock, plus the second Octokit adds to be past the reset.
    expect(clock.sleeps).toEqual([601_000]);
    expect(sentAt - start).toBe(601_000);
    expect(client.budget().spend.rateLimitWaits).toBe(1);
    expect(client.budget().tokens[0]?.core?.remaining).toBe(4999);
  });

  it('refuses beyond the budget share until the reset on GitHub\'s clock, then spends again', async () => {
    const { client, clock, serverNow, served } = skewedClient(skewMs, { budgetShare: 0.5 });
    const resetAt = (Math.floor(serverNow() / 1000) + 600) * 1000;
    const scope = nock(API)
      .get('/repos/o/one')
      .reply(() => [200, {}, served({ limit: 100, remaining: 50, used: 50, resetIn: 600 })]);
    const beyond = nock(API).get('/repos/o/two').reply(200, {});

    await client.rest(ROUTE, { owner: 'o', repo: 'one' });
    expect(client.remainingShare('core')).toBe(0);
    const err = await client.rest(ROUTE, { owner: 'o', repo: 'two' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect((err as BudgetExhaustedError).resetAt?.toISOString()).toBe(new Date(resetAt).toISOString());
    expect(beyond.isDone()).toBe(false);

    // Nine minutes later (either clock) the window still holds; eleven minutes later it has reset.
    await clock.sleep(540_000);
    expect(client.remainingShare('core')).toBe(0);
    expect(client.budget().tokens[0]?.core).toMatchObject({ remaining: 50, used: 50, resetAt: new Date(resetAt) });
    await clock.sleep(120_000);
    expect(client.remainingShare('core')).toBe(50);
    const fresh = client.budget().tokens[0]?.core;
    expect(fresh).toMatchObject({ limit: 100, remaining: 100, used: 0 });
    // Until an answer says when the new window ends, it is taken to end an hour from GitHub's now.
    expect(fresh?.resetAt.getTime()).toBe(serverNow() + HOUR);

    const next = nock(API)
      .get('/repos/o/three')
      .reply(() => [200, {}, served({ limit: 100, remaining: 99, used: 1, resetIn: 3600 })]);
    await client.rest(ROUTE, { owner: 'o', repo: 'three' });
    expect(scope.isDone() && next.isDone()).toBe(true);
    expect(beyond.isDone()).toBe(false);
    expect(client.remainingShare('core')).toBe(49);
  });

  it('with the share spent and policy wait, sleeps until GitHub\'s reset', async () => {
    const { client, clock, served } = skewedClient(skewMs, { budgetShare: 0.5, whenBudgetSpent: 'wait' });
    const start = clock.now();
    const scope = nock(API)
      .get('/repos/o/one')
      .reply(() => [200, {}, served({ limit: 100, remaining: 50, used: 50, resetIn: 120 })])
      .get('/repos/o/two')
      .reply(() => [200, {}, served({ limit: 100, remaining: 99, used: 1, resetIn: 3600 })]);

    await client.rest(ROUTE, { owner: 'o', repo: 'one' });
    await client.rest(ROUTE, { owner: 'o', repo: 'two' });

    expect(scope.isDone()).toBe(true);
    expect(clock.now() - start).toBe(121_000);
    expect(client.budget().spend.rateLimitWaits).toBe(1);
  });

  it('reads budgets from GET /rate_limit on GitHub\'s clock', async () => {
    const { client, clock, serverNow } = skewedClient(skewMs, { budgetShare: 0.5 });
    const reset = Math.floor(serverNow() / 1000) + 1800;
    const scope = nock(API)
      .get('/rate_limit')
      .reply(() => [
        200,
        {
          resources: {
            core: { limit: 5000, used: 2000, remaining: 3000, reset },
            graphql: { limit: 5000, used: 2600, remaining: 2400, reset },
          },
        },
        { date: new Date(serverNow()).toUTCString() },
      ]);

    const snapshot = await client.refreshBudget();
    expect(scope.isDone()).toBe(true);
    expect(snapshot.tokens[0]?.core).toEqual({ limit: 5000, used: 2000, remaining: 3000, resetAt: new Date(reset * 1000) });
    expect(client.remainingShare('core')).toBe(500);
    expect(client.remainingShare('graphql')).toBe(0);
    // Half an hour later on our clock GitHub's windows have reset too.
    await clock.sleep(1_801_000);
    expect(client.remainingShare('graphql')).toBe(2500);
  });
});

describe('ServerClock', () => {
  it('follows the Date of the latest answer and ignores answers without one', () => {
    let local = Date.parse('2026-11-28T10:00:00.400Z');
    const clock = new ServerClock(() => local);
    expect(clock.now()).toBe(local);

    clock.observe({ date: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    // The header has whole seconds: GitHub's clock is taken at the start of its second, never later.
    expect(clock.offsetMs).toBe(72 * HOUR - 400);
    local += 5000;
    expect(new Date(clock.now()).toISOString()).toBe('2026-12-01T10:00:05.000Z');
    expect(clock.toLocal(Date.parse('2026-12-01T11:00:00Z'))).toBe(Date.parse('2026-11-28T11:00:00.400Z'));

    clock.observe({ 'x-ratelimit-remaining': '1' });
    clock.observe({ date: 'not a date' });
    expect(clock.offsetMs).toBe(72 * HOUR - 400);

    // A simulator moved its clock back: the next answer says so.
    clock.observe({ date: 'Sat, 28 Nov 2026 08:00:05 GMT' });
    expect(clock.offsetMs).toBe(-2 * HOUR - 400);
    expect(clock.toGitHub(local)).toBe(Date.parse('2026-11-28T08:00:05Z'));
  });
});
