/** The HTTP server: common headers, faults, auth, then the GraphQL, REST or admin handler. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { identify } from './auth.js';
import type { BudgetState } from './budget.js';
import { errorReply, type Reply, type SimContext } from './context.js';
import type { FaultSpec } from './faults.js';
import { handleAdmin } from './admin.js';
import { handleGraphql, requestId, timeoutBody } from './graphql/handler.js';
import { handleRest } from './rest/rest.js';

const MAX_BODY = 1_000_000;

/** Makes the (not yet listening) server over `ctx`. */
export function createSimulatorServer(ctx: SimContext): Server {
  let seq = 0;
  return createServer((req, res) => {
    seq += 1;
    serve(ctx, req, res, requestId(seq)).catch((err: unknown) => {
      if (!res.headersSent) send(ctx, res, { status: 500, body: { message: `simulator error: ${String(err)}` } }, undefined, requestId(seq));
      else res.destroy();
    });
  });
}

async function serve(ctx: SimContext, req: IncomingMessage, res: ServerResponse, reqId: string): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req) : '';

  if (url.pathname.startsWith('/_sim/')) {
    let reply: Reply;
    try {
      reply = handleAdmin(ctx, method, url.pathname, body ? (JSON.parse(body) as unknown) : {});
    } catch (err) {
      reply = { status: 400, body: { message: String(err instanceof Error ? err.message : err) } };
    }
    return send(ctx, res, reply, undefined, reqId);
  }

  const isGraphql = method === 'POST' && url.pathname.replace(/\/+$/, '') === '/graphql';
  const kind = isGraphql ? 'graphql' : 'rest';
  const route = isGraphql ? 'POST /graphql' : `${method} ${url.pathname}`;
  const caller = identify(req.headers, req.socket.remoteAddress, ctx.tokens);
  const login = caller.kind === 'bad-credentials' ? null : caller.user;

  const fault = ctx.faults.take(kind, url.pathname);
  if (fault) {
    ctx.stats.fault(fault.kind);
    if (fault.kind === 'drop') {
      ctx.stats.request(login, kind, route, 0);
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'slow') await sleep(fault.delayMs ?? 1000);
    else {
      const reply = faultReply(fault, isGraphql, reqId);
      ctx.stats.request(login, kind, route, reply.status);
      const budget = login ? ctx.budgets.peek(login, isGraphql ? 'graphql' : 'core') : undefined;
      return send(ctx, res, reply, budget, reqId);
    }
  }

  if (caller.kind === 'bad-credentials') {
    ctx.stats.request(null, kind, route, 401);
    return send(ctx, res, errorReply(401, 'Bad credentials'), undefined, reqId);
  }

  if (isGraphql) {
    if (caller.kind === 'anonymous') {
      ctx.stats.request(null, kind, route, 401);
      return send(ctx, res, errorReply(401, 'This endpoint requires you to be authenticated.', 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql'), undefined, reqId);
    }
    const out = handleGraphql(ctx, body, { login: caller.user, userId: caller.userId, collaboratorOf: caller.collaboratorOf }, reqId);
    if (out.exhausted) ctx.stats.exhausted(caller.user, 'graphql', ctx.clock.nowMs(), out.budget.reset * 1000);
    if (out.charged > 0) ctx.stats.points(caller.user, out.charged);
    ctx.stats.request(caller.user, kind, route, out.reply.status);
    return send(ctx, res, out.reply, out.budget, reqId);
  }

  const out = handleRest(ctx, method, url, req.headers, caller, reqId);
  if (out.exhausted) ctx.stats.exhausted(caller.user, 'core', ctx.clock.nowMs(), out.budget.reset * 1000);
  ctx.stats.request(caller.user, kind, out.route, out.reply.status);
  return send(ctx, res, out.reply, out.budget, reqId, method === 'HEAD');
}

function faultReply(fault: FaultSpec, isGraphql: boolean, reqId: string): Reply {
  switch (fault.kind) {
    case 'secondary':
      // Both APIs answer 403 with this message; Octokit's throttling plugin matches /secondary rate/.
      return errorReply(403, `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${reqId}.`, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits', { 'retry-after': String(fault.retryAfter ?? 60) });
    case '502':
      return isGraphql ? { status: 502, body: timeoutBody(reqId) } : { status: 502, body: { message: 'Server Error' } };
    case '503':
      return { status: 503, body: { message: 'Service Unavailable' } };
    default:
      return { status: 500, body: { message: 'Server Error' } };
  }
}

function send(ctx: SimContext, res: ServerResponse, reply: Reply, budget: BudgetState | undefined, reqId: string, headOnly = false): void {
  res.statusCode = reply.status;
  res.setHeader('date', ctx.clock.now().toUTCString());
  res.setHeader('x-github-request-id', reqId);
  if (budget) {
    res.setHeader('x-ratelimit-limit', String(budget.limit));
    res.setHeader('x-ratelimit-remaining', String(budget.remaining));
    res.setHeader('x-ratelimit-used', String(budget.used));
    res.setHeader('x-ratelimit-reset', String(budget.reset));
    res.setHeader('x-ratelimit-resource', budget.resource);
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined || reply.status === 204 || reply.status === 304) {
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(headOnly ? undefined : text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
