import { GreenshootsError } from '../errors/index.js';

/** One entry of a GraphQL response's `errors` array (GitHub adds `type`, e.g. NOT_FOUND). */
export interface GraphqlError {
  message: string;
  type?: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: Record<string, unknown>;
}

export type RateResource = 'core' | 'graphql';

/** Every token was rejected with 401 (or none is left): the run cannot continue (exit 77, EX_NOPERM). */
export class GitHubAuthError extends GreenshootsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GITHUB_AUTH', message, { ...options, exitCode: 77 });
  }
}

/**
 * Spending more would go beyond `budgetShare × limit` of the hourly budget of every token
 * (exit 75, EX_TEMPFAIL: the next run, after `resetAt`, can continue).
 */
export class BudgetExhaustedError extends GreenshootsError {
  readonly resource: RateResource;
  readonly resetAt: Date | null;

  constructor(resource: RateResource, resetAt: Date | null, message: string, options?: { cause?: unknown }) {
    super('GITHUB_BUDGET', message, { ...options, exitCode: 75 });
    this.resource = resource;
    this.resetAt = resetAt;
  }
}

/** 404 or 410: the repo (or other resource) is gone, private, or was never there. Not retried. */
export class GitHubNotFoundError extends GreenshootsError {
  readonly status: number;
  /** `owner/name` when the request named one. */
  readonly repo: string | null;

  constructor(status: number, repo: string | null, message: string, options?: { cause?: unknown }) {
    super('GITHUB_NOT_FOUND', message, options);
    this.status = status;
    this.repo = repo;
  }
}

/** 451 (DMCA takedown) or 403 with a `block` reason (terms-of-service block). Not retried. */
export class GitHubBlockedError extends GreenshootsError {
  readonly status: number;
  readonly repo: string | null;
  /** GitHub's `block.reason`, e.g. `dmca`, `tos`, `unavailable`; null when the body had none. */
  readonly reason: string | null;

  constructor(status: number, repo: string | null, reason: string | null, message: string, options?: { cause?: unknown }) {
    super('GITHUB_BLOCKED', message, options);
    this.status = status;
    this.repo = repo;
    this.reason = reason;
  }
}

/** Any other failed request, after retries where they apply. `status` is null when no answer came. */
export class GitHubRequestError extends GreenshootsError {
  readonly status: number | null;

  constructor(status: number | null, message: string, options?: { cause?: unknown }) {
    super('GITHUB_REQUEST', message, { ...options, exitCode: 69 });
    this.status = status;
  }
}

/**
 * A GraphQL query was cut off (502/504 "Something went wrong while executing your query. This may be
 * the result of a timeout") or refused for its size (MAX_NODE_LIMIT_EXCEEDED, RESOURCE_LIMITS_EXCEEDED):
 * ask for fewer repos per query. https://docs.github.com/en/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
 */
export class GraphqlTooLargeError extends GreenshootsError {
  readonly status: number;
  readonly errors: readonly GraphqlError[];

  constructor(status: number, errors: readonly GraphqlError[], message: string, options?: { cause?: unknown }) {
    super('GITHUB_QUERY_TOO_LARGE', message, { ...options, exitCode: 69 });
    this.status = status;
    this.errors = errors;
  }
}

/** A GraphQL query failed as a whole (no `data`), e.g. a syntax error or an unknown field. */
export class GitHubGraphqlError extends GreenshootsError {
  readonly status: number;
  readonly errors: readonly GraphqlError[];

  constructor(status: number, errors: readonly GraphqlError[], message: string, options?: { cause?: unknown }) {
    super('GITHUB_GRAPHQL', message, { ...options, exitCode: 70 });
    this.status = status;
    this.errors = errors;
  }
}
