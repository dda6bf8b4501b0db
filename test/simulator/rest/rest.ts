/** The REST side: budget, conditional requests (ETag / 304), and routing to the endpoint handlers. */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller } from '../auth.js';
import type { BudgetState } from '../budget.js';
import { errorReply, type Reply, type SimContext } from '../context.js';
import { isRepoPath } from './repo-lookup.js';
import { repoRoute } from './routes.js';

export interface RestOutcome {
  route: string;
  reply: Reply;
  budget: BudgetState;
  exhausted: boolean;
}

type KnownCaller = Exclude<Caller, { kind: 'bad-credentials' }>;

/** Answers one REST request (GET/HEAD) for `caller`. */
export function handleRest(ctx: SimContext, method: string, url: URL, headers: IncomingHttpHeaders, caller: KnownCaller, reqId: string): RestOutcome {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const budget = ctx.budgets.peek(caller.user, 'core');

  if (path === '/rate_limit') {
    // Free: GitHub does not count calls to /rate_limit.
    const core = budget;
    const graphql = ctx.budgets.peek(caller.user, 'graphql');
    const shape = (b: BudgetState) => ({ limit: b.limit, used: b.used, remaining: b.remaining, reset: b.reset });
    return { route: 'GET /rate_limit', reply: { status: 200, body: { resources: { core: shape(core), graphql: shape(graphql) }, rate: shape(core) } }, budget, exhausted: false };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return charged(ctx, caller, `${method} *`, errorReply(404, 'Not Found'));
  }
  if (budget.remaining <= 0) {
    const who = caller.kind === 'user' ? `user ID ${caller.userId}` : caller.user.replace('anonymous@', '');
    const reply = errorReply(403, `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID ${reqId}.`, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-rate-limit');
    return { route: routeName(path), reply, budget, exhausted: true };
  }

  let route: string;
  let reply: Reply;
  if (path === '/user') {
    route = 'GET /user';
    reply = caller.kind === 'user' ? { status: 200, body: { login: caller.user, id: caller.userId, type: 'User' } } : errorReply(401, 'Requires authentication');
  } else if (isRepoPath(path)) {
    const accept = String(headers.accept ?? '');
    const collaboratorOf = caller.kind === 'user' ? caller.collaboratorOf : new Set<string>();
    ({ route, reply } = repoRoute(ctx, { path, search: url.search, query: url.searchParams, accept, collaboratorOf }));
  } else {
    route = 'GET *';
    reply = errorReply(404, 'Not Found');
  }

  if (reply.status === 200 && reply.body !== undefined) {
    const etag = etagOf(reply);
    reply.headers = { ...reply.headers, etag };
    // A 304 answers from the client's cache and does not count against the budget.
    if (matchesEtag(headers['if-none-match'], etag)) {
      return { route, reply: { status: 304, headers: { etag } }, budget, exhausted: false };
    }
  }
  return charged(ctx, caller, route, reply);
}

function charged(ctx: SimContext, caller: KnownCaller, route: string, reply: Reply): RestOutcome {
  return { route, reply, budget: ctx.budgets.charge(caller.user, 'core', 1), exhausted: false };
}

function etagOf(reply: Reply): string {
  const hash = createHash('sha1').update(JSON.stringify(reply.body)).update(reply.headers?.['link'] ?? '').digest('hex');
  return `W/"${hash}"`;
}

function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  const wanted = strip(etag);
  return String(header).split(',').some((t) => t.trim() === '*' || strip(t) === wanted);
}

function routeName(path: string): string {
  if (path.startsWith('/repos/')) return `GET /repos/:owner/:repo${path.split('/').slice(4).map((s) => `/${s}`).join('')}`;
  return `GET ${path}`;
}
