import { GreenshootsError, messageOf } from '../errors/index.js';
import {
  GitHubAuthError,
  GitHubBlockedError,
  GitHubNotFoundError,
  GitHubRequestError,
  GraphqlTooLargeError,
} from './errors.js';
import type { GraphqlError } from './errors.js';

/** What failed, for the message: `GET /repos/{owner}/{repo}` or `GraphQL query`, and the repo if named. */
export interface FailureContext {
  kind: 'rest' | 'graphql';
  what: string;
  repo: string | null;
}

// Whole-query failures that a smaller query avoids. GitHub answers a query over ~10 s with 502/504 and
// "Something went wrong while executing your query. This may be the result of a timeout"; the node and
// resource limits come back as typed errors. https://docs.github.com/en/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
const TOO_LARGE_TYPES = new Set(['MAX_NODE_LIMIT_EXCEEDED', 'RESOURCE_LIMITS_EXCEEDED']);
const QUERY_TIMEOUT = /Something went wrong while executing your query/i;

/** True when some error says the query was too big or too slow as a whole. */
export function isTooLarge(errors: readonly GraphqlError[]): boolean {
  return errors.some((e) => (e.type !== undefined && TOO_LARGE_TYPES.has(e.type)) || QUERY_TIMEOUT.test(e.message));
}

/** The `errors` array of a GraphQL body, keeping only well-formed entries. */
export function graphqlErrorsOf(body: unknown): GraphqlError[] {
  const errors = isRecord(body) ? body['errors'] : undefined;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e): e is GraphqlError => isRecord(e) && typeof e['message'] === 'string');
}

interface HttpFailure {
  status: number | null;
  message: string;
  response: { status: number; data: unknown } | null;
}

/** Reads an Octokit RequestError (or the throttling plugin's GraphQL rate-limit error) by shape. */
function asHttpFailure(err: unknown): HttpFailure | null {
  if (!isRecord(err)) return null;
  const response = isRecord(err['response']) && typeof err['response']['status'] === 'number'
    ? { status: err['response']['status'], data: err['response']['data'] }
    : null;
  const status = typeof err['status'] === 'number' ? err['status'] : response?.status ?? null;
  if (status === null && response === null) return null;
  return { status, message: messageOf(err), response };
}

/** GitHub's `block.reason` on blocked repos: `{"message":"Repository access blocked","block":{"reason":"tos"}}`. */
function blockReason(body: unknown): string | null | undefined {
  if (!isRecord(body) || !isRecord(body['block'])) return undefined;
  const reason = body['block']['reason'];
  return typeof reason === 'string' ? reason : null;
}

/** Turns whatever Octokit threw into one of the typed errors of `errors.ts`. */
export function toGitHubError(err: unknown, ctx: FailureContext): Error {
  if (err instanceof GreenshootsError) return err;
  const cause = { cause: err };
  const failure = asHttpFailure(err);
  const firstLine = messageOf(err).split('\n')[0] ?? '';
  if (!failure) return new GitHubRequestError(null, `${ctx.what} failed: ${firstLine}`, cause);
  const { status, response } = failure;
  if (!response) {
    // fetch failed (reset, refused, timed out): Octokit reports these as status 500 without a response.
    return new GitHubRequestError(null, `${ctx.what}: no answer from GitHub (${firstLine})`, cause);
  }
  const about = ctx.repo ? `${ctx.repo}: ` : '';
  const body = response.data;
  if (status === 401) {
    return new GitHubAuthError(`${ctx.what} needs a valid token (401): set GITHUB_TOKEN or GITHUB_TOKENS`, cause);
  }
  if (status === 404 || status === 410) {
    return new GitHubNotFoundError(status, ctx.repo, `${about}${ctx.what} not found (${status})`, cause);
  }
  const reason = blockReason(body);
  if (status === 451 || (status === 403 && reason !== undefined)) {
    return new GitHubBlockedError(status, ctx.repo, reason ?? null, `${about}access blocked by GitHub (${status}${reason ? `, ${reason}` : ''})`, cause);
  }
  if (ctx.kind === 'graphql' && (status === 502 || status === 504 || QUERY_TIMEOUT.test(failure.message))) {
    return new GraphqlTooLargeError(status ?? 502, graphqlErrorsOf(body), `GraphQL query timed out at GitHub (${status}): ask for fewer repos per query`, cause);
  }
  if (/\bsecondary rate\b/i.test(failure.message)) {
    return new GitHubRequestError(status, `${ctx.what}: GitHub's secondary rate limit persisted after retries: slow down or try later`, cause);
  }
  return new GitHubRequestError(status, `${about}${ctx.what} failed (${status ?? 'no status'}): ${firstLine}`, cause);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
