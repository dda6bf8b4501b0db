import type { HistoryStream } from '../db/schema.js';
import type { GitHubClient, GraphqlError } from '../github/index.js';
import { parsePage, streamSelection, type ParsedPage } from './streams.js';

/** probe: the newest page, as a regular run reads it; catchup: on down to the last watermark; backfill: on back to the horizon. */
export type PageMode = 'probe' | 'catchup' | 'backfill';

/** One page of one repo's stream to fetch. */
export interface PageRequest {
  repoId: number;
  /** The name to ask GitHub for (the current one). */
  fullName: string;
  stream: HistoryStream;
  mode: PageMode;
  first: number;
  after: string | null;
  /** Commits only: read the history from this time on. */
  since: Date | null;
}

export type PageOutcome =
  | { kind: 'page'; request: PageRequest; page: ParsedPage }
  /** FORBIDDEN on this field (stargazers of a repo the token is not a collaborator of). */
  | { kind: 'forbidden'; request: PageRequest; reason: string }
  | { kind: 'missing'; request: PageRequest; reason: string }
  /** GitHub no longer accepts the stored cursor. */
  | { kind: 'invalid_cursor'; request: PageRequest; reason: string }
  | { kind: 'failed'; request: PageRequest; reason: string };

export interface PagesResult {
  outcomes: PageOutcome[];
  servedAt: Date | null;
  cost: number | null;
}

/**
 * GitHub's price of the query before running it: one request per connection (two for a commit page
 * with `since`, which also asks the branch total), divided by 100, rounded, at least 1. So a hundred
 * pages of a hundred items each cost one point, as much as one page alone: batching is what makes a
 * backfill cheap. https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 */
export function estimateCost(requests: readonly PageRequest[]): number {
  const connections = requests.reduce((sum, r) => sum + (r.stream === 'commits' && r.since ? 2 : 1), 0);
  return Math.max(1, Math.round(connections / 100));
}

/** The aliased query for `requests`: alias `p<i>` answers requests[i]; every value is a bound variable. */
export function buildPagesQuery(requests: readonly PageRequest[]): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const fields: string[] = [];
  requests.forEach((r, i) => {
    const [owner, name] = r.fullName.split('/') as [string, string];
    variables[`o${i}`] = owner;
    variables[`n${i}`] = name;
    variables[`f${i}`] = r.first;
    variables[`a${i}`] = r.after;
    declarations.push(`$o${i}: String!`, `$n${i}: String!`, `$f${i}: Int!`, `$a${i}: String`);
    const withSince = r.stream === 'commits' && r.since !== null;
    if (withSince) {
      variables[`s${i}`] = (r.since as Date).toISOString();
      declarations.push(`$s${i}: GitTimestamp`);
    }
    fields.push(`  p${i}: repository(owner: $o${i}, name: $n${i}) { ${streamSelection(r.stream, i, withSince)} }`);
  });
  const query = `query History(${declarations.join(', ')}) {\n${fields.join('\n')}\n  rateLimit { cost remaining resetAt }\n}`;
  return { query, variables };
}

/** Fetches the pages in one GraphQL request. A failing alias never fails the others. */
export async function fetchPages(client: GitHubClient, requests: readonly PageRequest[]): Promise<PagesResult> {
  const { query, variables } = buildPagesQuery(requests);
  const result = await client.graphql<Record<string, unknown>>(query, variables);
  const errorsByAlias = new Map<number, GraphqlError>();
  for (const error of result.errors) {
    const first = error.path?.[0];
    const match = typeof first === 'string' ? /^p(\d+)$/.exec(first) : null;
    if (match && !errorsByAlias.has(Number(match[1]))) errorsByAlias.set(Number(match[1]), error);
  }
  const outcomes = requests.map((request, i): PageOutcome => {
    const error = errorsByAlias.get(i);
    const node = result.data?.[`p${i}`] as Record<string, unknown> | null | undefined;
    const page = node ? parsePage(request.stream, node) : null;
    if (page && !error) return { kind: 'page', request, page };
    const reason = error ? `GitHub: ${error.type ? `${error.type}: ` : ''}${error.message}` : 'no data in the answer';
    if (error?.type === 'NOT_FOUND') return { kind: 'missing', request, reason };
    if (error?.type === 'FORBIDDEN') return { kind: 'forbidden', request, reason };
    if (error && (error.type === 'INVALID_CURSOR_ARGUMENTS' || /valid cursor/i.test(error.message))) return { kind: 'invalid_cursor', request, reason };
    if (page) return { kind: 'page', request, page };
    return { kind: 'failed', request, reason };
  });
  return { outcomes, servedAt: result.servedAt, cost: result.cost };
}
