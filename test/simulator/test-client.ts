/** Tiny fetch wrappers the simulator's own tests share (real HTTP against a started simulator). */
import type { Simulator } from './index.js';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** GET a REST path with a token. */
export async function rest<T = unknown>(sim: Simulator, path: string, token = 'test-token', headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(`${sim.url}${path}`, { headers: { authorization: `token ${token}`, ...headers }, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** POST a GraphQL query with a token. */
export async function graphql<T = unknown>(sim: Simulator, query: string, variables?: Record<string, unknown>, token = 'test-token'): Promise<Answer<T>> {
  const res = await fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** POST to an admin endpoint. */
export async function admin<T = unknown>(sim: Simulator, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}
