import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubBlockedError, GitHubNotFoundError, GitHubRequestError } from '../../src/github/index.js';
import { makeClient, rateHeaders } from '../helpers/github-fakes.js';

const API = 'https://api.github.com';
const SECONDARY = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
};
const repo = { owner: 'o', repo: 'r' };
const ROUTE = 'GET /repos/{owner}/{repo}';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('secondary rate limits', () => {
  it('honours retry-after, then continues', async () => {
    const { client, clock } = makeClient();
    const start = clock.now();
    let retriedAt = 0;
    const scope = nock(API)
      .get('/repos/o/r')
      .reply(403, SECONDARY, { 'retry-after': '3', ...rateHeaders({ now: start, remaining: 4000 }) })
      .get('/repos/o/r')
      .reply(() => {
        retriedAt = clock.now();
        return [200, { full_name: 'o/r' }, rateHeaders({ now: start, remaining: 3999 })];
      });

    const res = await client.rest<{ full_name: string }>(ROUTE, repo);

    expect(res.data?.full_name).toBe('o/r');
    expect(scope.isDone()).toBe(true);
    expect(retriedAt - start).toBeGreaterThanOrEqual(3000);
    expect(client.budget().spend).toMatchObject({ secondaryWaits: 1, retries: 1, restRequests: 2 });
  });

  it('waits at least 60 s when no retry-after is given (429 too)', async () => {
    const { client, clock } = makeClient();
    const start = clock.now();
    let retriedAt = 0;
    const scope = nock(API)
      .get('/repos/o/r')
      .reply(429, SECONDARY)
      .get('/repos/o/r')
      .reply(() => {
        retriedAt = clock.now();
        return [200, {}];
      });

    await client.rest(ROUTE, repo);

    expect(scope.isDone()).toBe(true);
    expect(retriedAt - start).toBeGreaterThanOrEqual(60_000);
  });

  it('holds back every request of the client during the pause, not only the limited one', async () => {
    const { client, clock } = makeClient({ concurrency: 1 });
    const start = clock.now();
    const sentAt: number[] = [];
    const scope = nock(API)
      .get('/repos/o/r')
      .reply(403, SECONDARY, { 'retry-after': '30' })
      .get(/\/repos\/o\/(r|s)/)
      .times(2)
      .reply(() => {
        sentAt.push(clock.now());
        return [200, {}];
      });

    await Promise.all([client.rest(ROUTE, repo), client.rest(ROUTE, { owner: 'o', repo: 's' })]);

    expect(scope.isDone()).toBe(true);
    expect(sentAt.every((t) => t - start >= 30_000)).toBe(true);
  });

  it('gives up with a typed error after the configured retries', async () => {
    const { client, clock } = makeClient({ retries: 2 });
    const scope = nock(API).get('/repos/o/r').times(3).reply(403, SECONDARY, { 'retry-after': '1' });
    const err = await client.rest(ROUTE, repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubRequestError);
    expect((err as GitHubRequestError).status).toBe(403);
    expect(scope.isDone()).toBe(true);
    // retry-after, then twice that: GitHub asks for exponentially longer waits while limits persist.
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(client.budget().spend.secondaryWaits).toBe(3);
  });
});

describe('server errors and dropped connections', () => {
  it('retries 500 with backoff and succeeds', async () => {
    const { client, clock } = makeClient();
    const scope = nock(API).get('/repos/o/r').reply(500, { message: 'boom' }).get('/repos/o/r').reply(200, { id: 7 });
    const res = await client.rest<{ id: number }>(ROUTE, repo);
    expect(res.data?.id).toBe(7);
    expect(scope.isDone()).toBe(true);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('retries 502 a bounded number of times, backing off exponentially, then throws GitHubRequestError', async () => {
    const { client, clock } = makeClient({ retries: 3 });
    let calls = 0;
    nock(API)
      .get('/repos/o/r')
      .reply(() => {
        calls++;
        return [502, { message: 'Server Error' }];
      })
      .persist();
    const err = await client.rest(ROUTE, repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubRequestError);
    expect((err as GitHubRequestError).status).toBe(502);
    expect((err as GitHubRequestError).code).toBe('GITHUB_REQUEST');
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([1000, 4000, 9000]);
    expect(client.budget().spend.retries).toBe(3);
  });

  it('retries dropped connections (ECONNRESET), then reports no answer', async () => {
    const { client, clock } = makeClient({ retries: 2 });
    const scope = nock(API).get('/repos/o/r').times(3).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const err = await client.rest(ROUTE, repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubRequestError);
    expect((err as GitHubRequestError).status).toBeNull();
    expect(scope.isDone()).toBe(true);
    expect(clock.sleeps).toEqual([1000, 4000]);
  });

  it('retries a request that timed out', async () => {
    const { client } = makeClient({ timeoutMs: 50 });
    const scope = nock(API).get('/repos/o/r').delay(500).reply(200, { slow: true }).get('/repos/o/r').reply(200, { slow: false });
    const res = await client.rest<{ slow: boolean }>(ROUTE, repo);
    expect(res.data?.slow).toBe(false);
    expect(scope.isDone()).toBe(true);
  });
});

describe('answers that are never retried', () => {
  const once = (status: number, body: object) => {
    let calls = 0;
    nock(API)
      .get('/repos/o/r')
      .reply(() => {
        calls++;
        return [status, body];
      })
      .persist();
    return () => calls;
  };

  it('404 → GitHubNotFoundError naming the repo, one request', async () => {
    const { client } = makeClient();
    const calls = once(404, { message: 'Not Found' });
    const err = await client.rest(ROUTE, repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubNotFoundError);
    expect((err as GitHubNotFoundError).repo).toBe('o/r');
    expect((err as GitHubNotFoundError).code).toBe('GITHUB_NOT_FOUND');
    expect(calls()).toBe(1);
  });

  it('410 → GitHubNotFoundError, one request', async () => {
    const { client } = makeClient();
    const calls = once(410, { message: 'Gone' });
    await expect(client.rest(ROUTE, repo)).rejects.toMatchObject({ code: 'GITHUB_NOT_FOUND', status: 410 });
    expect(calls()).toBe(1);
  });

  it('451 DMCA → GitHubBlockedError, one request', async () => {
    const { client } = makeClient();
    const calls = once(451, { message: 'Repository access blocked', block: { reason: 'dmca', created_at: '2020-10-23T00:00:00Z' } });
    const err = await client.rest(ROUTE, repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubBlockedError);
    expect((err as GitHubBlockedError).reason).toBe('dmca');
    expect(calls()).toBe(1);
  });

  it('403 with a ToS block reason → GitHubBlockedError, one request', async () => {
    const { client } = makeClient();
    const calls = once(403, { message: 'Repository access blocked', block: { reason: 'tos' } });
    await expect(client.rest(ROUTE, repo)).rejects.toMatchObject({ code: 'GITHUB_BLOCKED', status: 403, reason: 'tos' });
    expect(calls()).toBe(1);
  });

  it('422 → GitHubRequestError with the status, one request', async () => {
    const { client } = makeClient();
    const calls = once(422, { message: 'In order to keep the API fast for everyone, pagination is limited for this resource.' });
    await expect(client.rest(ROUTE, repo)).rejects.toMatchObject({ code: 'GITHUB_REQUEST', status: 422 });
    expect(calls()).toBe(1);
  });
});

describe('conditional requests', () => {
  it('a 304 to If-None-Match comes back as notModified and is not counted as spend', async () => {
    const { client, clock } = makeClient();
    const etag = 'W/"abc123"';
    const scope = nock(API, { reqheaders: { 'if-none-match': etag } })
      .get('/repos/o/r')
      .reply(304, '', { etag, date: 'Sat, 28 Nov 2026 10:00:00 GMT', ...rateHeaders({ now: clock.now(), remaining: 4000 }) });

    const res = await client.rest(ROUTE, repo, { etag });

    expect(scope.isDone()).toBe(true);
    expect(res).toMatchObject({ status: 304, notModified: true, data: null, etag });
    expect(res.servedAt?.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(client.budget().spend).toMatchObject({ notModified: 1, restRequests: 0, retries: 0 });
  });

  it('returns etag, link and the server date of a 200', async () => {
    const { client } = makeClient();
    const link = '<https://api.github.com/repositories/1/contributors?per_page=1&anon=true&page=2>; rel="next", <https://api.github.com/repositories/1/contributors?per_page=1&anon=true&page=312>; rel="last"';
    nock(API)
      .get('/repos/o/r/contributors')
      .query({ per_page: '1', anon: 'true' })
      .reply(200, [{ login: 'a' }], { etag: '"e1"', link, date: 'Sat, 28 Nov 2026 10:05:00 GMT' });
    const res = await client.rest<unknown[]>('GET /repos/{owner}/{repo}/contributors', { ...repo, per_page: 1, anon: 'true' });
    expect(res).toMatchObject({ status: 200, etag: '"e1"', link, notModified: false });
    expect(res.servedAt?.toISOString()).toBe('2026-11-28T10:05:00.000Z');
  });
});
