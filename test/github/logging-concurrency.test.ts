import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeClient, rateHeaders } from '../helpers/github-fakes.js';

const API = 'https://api.github.com';
const ROUTE = 'GET /repos/{owner}/{repo}';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('logging', () => {
  it('logs every request with route, status, cost, remaining budget and duration, and never a token', async () => {
    const secretA = 'ghp_SECRETaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const secretB = 'ghp_SECRETbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    const { client, clock, log } = makeClient({ tokens: [secretA, secretB], retries: 1 });
    nock(API)
      .get('/repos/o/r')
      .matchHeader('authorization', `token ${secretA}`)
      .reply(401, { message: 'Bad credentials' })
      .get('/repos/o/r')
      .matchHeader('authorization', `token ${secretB}`)
      .reply(200, {}, rateHeaders({ now: clock.now(), remaining: 4321 }))
      .get('/repos/o/broken')
      .times(2)
      .reply(502, { message: 'Server Error' })
      .post('/graphql')
      .reply(200, { data: { x: 1 } }, rateHeaders({ now: clock.now(), remaining: 4000, resource: 'graphql' }));

    await client.rest(ROUTE, { owner: 'o', repo: 'r' });
    const err = await client.rest(ROUTE, { owner: 'o', repo: 'broken' }).catch((e: unknown) => e);
    await client.graphql('query { x }');
    // Callers log errors with { err }: the cause chain must not leak a token either.
    log.logger.error({ err }, 'collect failed');

    const requests = log.lines().filter((l) => typeof l['route'] === 'string' && 'durationMs' in l);
    expect(requests).toHaveLength(5); // 401, 200, 502, 502, graphql 200
    const ok = requests.find((l) => l['status'] === 200 && l['resource'] === 'core');
    expect(ok).toMatchObject({ route: '/repos/{owner}/{repo}', path: '/repos/o/r', cost: 1, remaining: 4321, credential: 'token #2' });
    expect(typeof ok?.['durationMs']).toBe('number');
    expect(log.text()).toContain('token #1');
    expect(log.text()).not.toContain(secretA);
    expect(log.text()).not.toContain(secretB);
    expect(log.text()).not.toContain('SECRET');
  });
});

describe('concurrency', () => {
  async function maxInFlight(concurrency: number | undefined, requests: number): Promise<number> {
    const { client } = makeClient(concurrency === undefined ? {} : { concurrency });
    let inFlight = 0;
    let max = 0;
    const scope = nock(API)
      .get(/\/repos\/o\/r\d+/)
      .times(requests)
      .reply((_uri, _body, callback) => {
        inFlight++;
        max = Math.max(max, inFlight);
        setTimeout(() => {
          inFlight--;
          callback(null, [200, {}]);
        }, 15);
      });
    const results = await Promise.all(Array.from({ length: requests }, (_, i) => client.rest(ROUTE, { owner: 'o', repo: `r${i}` })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(scope.isDone()).toBe(true);
    return max;
  }

  it('never has more requests in flight than configured (default 2)', async () => {
    expect(await maxInFlight(undefined, 8)).toBe(2);
  });

  it('uses the configured concurrency', async () => {
    expect(await maxInFlight(3, 9)).toBe(3);
    expect(await maxInFlight(1, 4)).toBe(1);
  });
});
