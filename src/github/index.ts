/**
 * The GitHub client: one Octokit (REST + GraphQL) over a pool of tokens. Layers, inside out:
 * token-pool auth strategy (transport.ts: token choice, budget share, concurrency, waits on the
 * injected clock, logging) → plugin-retry (5xx, network, timeouts) → plugin-throttling (rate-limit
 * answers; its handlers set the pauses the transport waits out). See octokit.ts for why.
 */
export { createGitHubClient } from './client.js';
export type { GitHubClient, GitHubClientOptions, GraphqlResult, RestResult, RestRequestOptions } from './client.js';
export type { BudgetSnapshot, ResourceBudget, RunSpend, TokenBudget } from './budget.js';
export type { BudgetPolicy } from './token-pool.js';
export {
  BudgetExhaustedError,
  GitHubAuthError,
  GitHubBlockedError,
  GitHubGraphqlError,
  GitHubNotFoundError,
  GitHubRequestError,
  GraphqlTooLargeError,
} from './errors.js';
export type { GraphqlError, RateResource } from './errors.js';
export { lastPageFromLink } from './link.js';
export { graphqlUrlFor } from './endpoints.js';
export { githubClock } from './clock.js';
