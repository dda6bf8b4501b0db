/**
 * POST /graphql: parse, validate, price, charge, execute. Errors come back as GitHub sends them:
 * HTTP 200 with an `errors` list (a top-level `type` on GitHub's own errors), partial `data`.
 */
import { GraphQLError, execute, getOperationAST, getVariableValues, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { isoSeconds } from '../clock.js';
import type { BudgetState } from '../budget.js';
import type { Reply, SimContext } from '../context.js';
import { parseNodeId } from '../world/ids.js';
import { viewRepo } from '../world/view.js';
import { analyzeQuery, nodeLimitMessage, type CostReport } from './cost.js';
import { githubError } from './connection.js';
import { githubSchema } from './schema.js';
import { repositoryNode, userNode, type GraphqlContext } from './resolvers.js';

export interface GraphqlCaller {
  login: string;
  userId: number;
  collaboratorOf: ReadonlySet<string>;
}

export interface GraphqlOutcome {
  reply: Reply;
  /** The budget to report in headers. */
  budget: BudgetState;
  /** Points charged (0 for refused, invalid or dry-run queries). */
  charged: number;
  /** True when the request found the budget already spent. */
  exhausted: boolean;
}

/** A GitHub-style request id, for messages that quote one. */
export function requestId(seq: number): string {
  return `5117:${(seq * 7919).toString(16).toUpperCase()}:${seq.toString(16).toUpperCase()}`;
}

/** The 502 body GitHub sends when a query runs out of time. */
export function timeoutBody(id: string) {
  return { data: null, errors: [{ message: `Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include \`${id}\` when reporting this issue.` }] };
}

/** Answers one GraphQL POST body for `caller`. */
export function handleGraphql(ctx: SimContext, rawBody: string, caller: GraphqlCaller, reqId: string): GraphqlOutcome {
  const budgets = ctx.budgets;
  const before = budgets.peek(caller.login, 'graphql');
  const answer = (body: unknown, status = 200, charged = 0, budget = before, exhausted = false): GraphqlOutcome => ({ reply: { status, body }, budget, charged, exhausted });

  if (before.remaining <= 0) return rateLimited(caller, before);

  let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    payload = JSON.parse(rawBody) as typeof payload;
  } catch {
    return answer({ message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' }, 400);
  }
  if (typeof payload.query !== 'string') {
    return answer({ errors: [{ message: 'A query attribute must be specified and must be a string.' }] });
  }
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (err) {
    return answer({ errors: [formatError(err as GraphQLError)] });
  }
  const schema = githubSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return answer({ errors: invalid.map(formatError) });

  const operationName = typeof payload.operationName === 'string' ? payload.operationName : null;
  const operation = getOperationAST(document, operationName);
  if (!operation) return answer({ errors: [{ message: 'An operation name is required when the document has several operations.' }] });
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (payload.variables ?? {}) as Record<string, unknown>);
  if (coerced.errors) return answer({ errors: coerced.errors.map(formatError) });

  const cost = analyzeQuery(schema, document, operation, coerced.coerced);
  if (cost.nodeLimit) return answer({ errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: nodeLimitMessage(cost.nodeLimit) }] });
  if (!cost.dryRun && cost.cost > before.remaining) return rateLimited(caller, before);

  const limit = ctx.faults.timeoutAbove();
  if (!cost.dryRun && limit !== undefined && cost.repositoryFields > limit) {
    // Since July 2025 timeouts count against the primary limit (GitHub changelog 2025-07-21).
    const after = budgets.charge(caller.login, 'graphql', cost.cost);
    return answer(timeoutBody(reqId), 502, cost.cost, after);
  }

  const after = cost.dryRun ? before : budgets.charge(caller.login, 'graphql', cost.cost);
  const gctx: GraphqlContext = { sim: ctx, now: ctx.clock.nowMs(), login: caller.login, userId: caller.userId, collaboratorOf: caller.collaboratorOf };
  const result = execute({
    schema,
    document,
    operationName,
    variableValues: coerced.coerced,
    rootValue: rootValue(gctx, cost, after),
    contextValue: gctx,
  }) as ExecutionResult;
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors?.length) body['errors'] = result.errors.map(formatError);
  return answer(body, 200, cost.dryRun ? 0 : cost.cost, after);
}

function rateLimited(caller: GraphqlCaller, budget: BudgetState): GraphqlOutcome {
  // GitHub answers 200 with a RATE_LIMITED error; @octokit/plugin-throttling keys on that type.
  return {
    reply: { status: 200, body: { errors: [{ type: 'RATE_LIMITED', code: 'graphql_rate_limit', message: `API rate limit exceeded for user ID ${caller.userId}.` }] } },
    budget: { ...budget, remaining: 0 },
    charged: 0,
    exhausted: true,
  };
}

function rootValue(gctx: GraphqlContext, cost: CostReport, budget: BudgetState) {
  const state = gctx.sim.state;
  return {
    repository: (args: { owner: string; name: string; followRenames?: boolean }) => {
      if (cost.dryRun) return null;
      const fullName = `${args.owner}/${args.name}`;
      const found = state.resolve(fullName);
      if (found.kind === 'found' && (found.movedFrom === null || args.followRenames !== false)) {
        return repositoryNode(viewRepo(state, found.record, gctx.now), gctx);
      }
      // Choice: GitHub documents no GraphQL shape for DMCA blocks; we answer like REST's 451 message.
      if (found.kind === 'blocked') throw githubError('FORBIDDEN', 'Repository access blocked');
      throw githubError('NOT_FOUND', `Could not resolve to a Repository with the name '${fullName}'.`);
    },
    rateLimit: () => ({
      cost: cost.cost,
      limit: budget.limit,
      nodeCount: cost.nodeCount,
      remaining: budget.remaining,
      resetAt: isoSeconds(budget.reset * 1000),
      used: budget.used,
    }),
    viewer: () => userNode(gctx.login, gctx.userId),
    node: (args: { id: string }) => {
      if (cost.dryRun) return null;
      const parsed = parseNodeId(args.id);
      const record = parsed?.prefix === 'R' ? state.byId(parsed.databaseId) : undefined;
      if (!record || record.status !== 'ok') throw githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${args.id}'`);
      return repositoryNode(viewRepo(state, record, gctx.now), gctx);
    },
  };
}

/** GitHub puts its error `type` at the top level of each error, not under `extensions`. */
function formatError(err: GraphQLError): Record<string, unknown> {
  const type = err.extensions?.['type'];
  const out: Record<string, unknown> = {};
  if (typeof type === 'string') out['type'] = type;
  if (err.path) out['path'] = err.path;
  if (err.locations) out['locations'] = err.locations;
  out['message'] = err.message;
  return out;
}
