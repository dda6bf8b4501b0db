import type { RateResource } from './errors.js';

const GHES_V3_SUFFIX = /\/api\/v3$/;

/** The REST base without a trailing slash (Octokit joins `baseUrl + route`, so a slash would double). */
export function normalizeApiUrl(apiUrl: string): string {
  const url = new URL(apiUrl); // throws on a malformed base, before any request
  return url.toString().replace(/\/+$/, '');
}

/**
 * Where GraphQL queries go, derived the way @octokit/graphql does: a GitHub Enterprise Server base
 * ending in `/api/v3` posts to `/api/graphql`; any other base (github.com, a simulator) to `{base}/graphql`.
 */
export function graphqlUrlFor(apiUrl: string): string {
  const base = normalizeApiUrl(apiUrl);
  return GHES_V3_SUFFIX.test(base) ? base.replace(GHES_V3_SUFFIX, '/api/graphql') : `${base}/graphql`;
}

/** The budget a request spends: GraphQL points or REST `core` requests. */
export function resourceOf(url: string): RateResource {
  const { pathname } = new URL(url, 'http://github.invalid');
  return /\/graphql$/.test(pathname) ? 'graphql' : 'core';
}

/** `GET /rate_limit` is free: it never counts against the budget it reports. */
export function isFreeRoute(url: string): boolean {
  const { pathname } = new URL(url, 'http://github.invalid');
  return pathname.endsWith('/rate_limit');
}
