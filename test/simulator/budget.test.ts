import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { graphql, rest } from './test-client.js';

interface Gql { data?: { rateLimit?: { remaining: number; resetAt: string } } | null; errors?: Array<{ type?: string; message: string }> }

let sim: Simulator;

beforeEach(async () => {
  sim = await startSimulator({
    repos: ['cncf/alpha'],
    tokens: { a1: { user: 'alice' }, a2: { user: 'alice' }, b1: { user: 'bob' } },
    limits: { core: 3, graphql: 2 },
  });
});
afterEach(() => sim.close());

describe('REST budget', () => {
  it('counts down per user across tokens and sends the rate-limit headers', async () => {
    const first = await rest(sim, '/repos/cncf/alpha', 'a1');
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(first.headers.get('x-ratelimit-used')).toBe('1');
    expect(first.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBe(Date.parse('2026-11-01T01:00:00Z') / 1000);
    const second = await rest(sim, '/repos/cncf/alpha', 'a2');
    expect(second.headers.get('x-ratelimit-remaining')).toBe('1');
    const other = await rest(sim, '/repos/cncf/alpha', 'b1');
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
    const free = await rest<{ resources: { core: { remaining: number } } }>(sim, '/rate_limit', 'a1');
    expect(free.body.resources.core.remaining).toBe(1);
  });

  it('refuses when exhausted until the clock passes the reset, and records the violation', async () => {
    for (let i = 0; i < 3; i++) expect((await rest(sim, '/repos/cncf/alpha', 'a1')).status).toBe(200);
    expect(sim.stats.snapshot().exhaustedBudgetRequests).toBe(0);
    const refused = await rest<{ message: string }>(sim, '/repos/cncf/alpha', 'a1');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.body.message).toMatch(/^API rate limit exceeded for user ID \d+\./);
    expect(sim.stats.snapshot().exhaustedBudgetRequests).toBe(1);
    expect(sim.stats.snapshot().byUser['alice']?.exhaustedBudgetRequests).toBe(1);

    const reset = Number(refused.headers.get('x-ratelimit-reset')) * 1000;
    sim.clock.set(reset - 1000);
    expect((await rest(sim, '/repos/cncf/alpha', 'a2')).status).toBe(403);
    sim.clock.set(reset);
    const after = await rest(sim, '/repos/cncf/alpha', 'a2');
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('2');
  });
});

describe('GraphQL budget', () => {
  it('answers RATE_LIMITED (HTTP 200) when spent and recovers at resetAt', async () => {
    const q = '{ rateLimit { remaining resetAt } repository(owner: "cncf", name: "alpha") { stargazerCount } }';
    const one = await graphql<Gql>(sim, q, undefined, 'a1');
    expect(one.body.data?.rateLimit?.remaining).toBe(1);
    expect(one.headers.get('x-ratelimit-resource')).toBe('graphql');
    await graphql<Gql>(sim, q, undefined, 'a2');
    const limited = await graphql<Gql>(sim, q, undefined, 'a1');
    expect(limited.status).toBe(200);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.body.errors?.[0]).toMatchObject({ type: 'RATE_LIMITED' });
    expect(limited.body.errors?.[0]?.message).toMatch(/^API rate limit exceeded for user ID \d+\.$/);
    expect(sim.stats.snapshot().exhaustedBudgetRequests).toBe(1);
    expect(sim.stats.snapshot().graphqlPoints).toBe(2);

    sim.clock.set(one.body.data?.rateLimit?.resetAt ?? '');
    const again = await graphql<Gql>(sim, q, undefined, 'a1');
    expect(again.body.data?.rateLimit?.remaining).toBe(1);
  });

  it('is recognised as a rate limit by @octokit/plugin-throttling', async () => {
    const Throttled = Octokit.plugin(throttling);
    const seen: string[] = [];
    const octokit = new Throttled({
      auth: 'b1',
      baseUrl: sim.url,
      throttle: {
        onRateLimit: (_after: number, options: { url: string }) => {
          seen.push(`primary ${options.url}`);
          return false;
        },
        onSecondaryRateLimit: () => false,
      },
    });
    await octokit.graphql('{ viewer { login } }');
    await octokit.graphql('{ viewer { login } }');
    await expect(octokit.graphql('{ viewer { login } }')).rejects.toThrow();
    expect(seen).toEqual(['primary /graphql']);
  });
});
