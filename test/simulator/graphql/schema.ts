/**
 * A subset of GitHub's GraphQL schema (same type, field and argument names as
 * https://docs.github.com/en/graphql/reference), so malformed queries fail validation as they would there.
 */
import { buildSchema, type GraphQLSchema } from 'graphql';

// Deviation: `stargazers` is nullable here so a FORBIDDEN answer nulls just that field (GitHub
// declares it non-null, which would null the whole repository alias).
const SDL = /* GraphQL */ `
scalar DateTime
scalar URI
scalar GitObjectID
scalar GitTimestamp

type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  rateLimit(dryRun: Boolean = false): RateLimit
  viewer: User!
  node(id: ID!): Node
}

interface Node { id: ID! }

interface RepositoryOwner {
  id: ID!
  login: String!
  url: URI!
}

type User implements Node & RepositoryOwner {
  id: ID!
  databaseId: Int
  login: String!
  name: String
  url: URI!
}

type Organization implements Node & RepositoryOwner {
  id: ID!
  databaseId: Int
  login: String!
  name: String
  url: URI!
}

type RateLimit {
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: DateTime!
  used: Int!
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

enum OrderDirection { ASC DESC }
enum IssueState { OPEN CLOSED }
enum PullRequestState { OPEN CLOSED MERGED }
enum ReleaseOrderField { CREATED_AT NAME }
input ReleaseOrder { field: ReleaseOrderField!, direction: OrderDirection! }
enum RepositoryOrderField { CREATED_AT UPDATED_AT PUSHED_AT NAME STARGAZERS }
input RepositoryOrder { field: RepositoryOrderField!, direction: OrderDirection! }
enum StarOrderField { STARRED_AT }
input StarOrder { field: StarOrderField!, direction: OrderDirection! }

type Language { name: String!, color: String }
type License { key: String!, name: String!, spdxId: String, url: URI }
type Topic { name: String! }
type RepositoryTopic { topic: Topic! }
type RepositoryTopicConnection { totalCount: Int!, pageInfo: PageInfo!, nodes: [RepositoryTopic] }

type Repository implements Node {
  id: ID!
  databaseId: Int
  name: String!
  nameWithOwner: String!
  owner: RepositoryOwner!
  url: URI!
  description: String
  homepageUrl: URI
  createdAt: DateTime!
  pushedAt: DateTime
  updatedAt: DateTime!
  isArchived: Boolean!
  isDisabled: Boolean!
  isEmpty: Boolean!
  isFork: Boolean!
  isPrivate: Boolean!
  parent: Repository
  primaryLanguage: Language
  licenseInfo: License
  repositoryTopics(after: String, before: String, first: Int, last: Int): RepositoryTopicConnection!
  stargazerCount: Int!
  forkCount: Int!
  watchers(after: String, before: String, first: Int, last: Int): UserConnection!
  issues(states: [IssueState!], after: String, before: String, first: Int, last: Int): IssueConnection!
  pullRequests(states: [PullRequestState!], after: String, before: String, first: Int, last: Int): PullRequestConnection!
  releases(after: String, before: String, first: Int, last: Int, orderBy: ReleaseOrder): ReleaseConnection!
  latestRelease: Release
  forks(after: String, before: String, first: Int, last: Int, orderBy: RepositoryOrder): RepositoryConnection!
  stargazers(after: String, before: String, first: Int, last: Int, orderBy: StarOrder): StargazerConnection
  defaultBranchRef: Ref
}

type UserConnection { totalCount: Int!, pageInfo: PageInfo! }
type IssueConnection { totalCount: Int!, pageInfo: PageInfo! }
type PullRequestConnection { totalCount: Int!, pageInfo: PageInfo! }

type Release implements Node {
  id: ID!
  databaseId: Int
  tagName: String!
  name: String
  createdAt: DateTime!
  publishedAt: DateTime
  isPrerelease: Boolean!
  isDraft: Boolean!
  isLatest: Boolean!
  url: URI!
}
type ReleaseEdge { cursor: String!, node: Release }
type ReleaseConnection { totalCount: Int!, pageInfo: PageInfo!, nodes: [Release], edges: [ReleaseEdge] }

type RepositoryEdge { cursor: String!, node: Repository }
type RepositoryConnection { totalCount: Int!, pageInfo: PageInfo!, nodes: [Repository], edges: [RepositoryEdge] }

type StargazerEdge { cursor: String!, node: User!, starredAt: DateTime! }
type StargazerConnection { totalCount: Int!, pageInfo: PageInfo!, nodes: [User], edges: [StargazerEdge] }

type Ref implements Node { id: ID!, name: String!, prefix: String!, target: GitObject }

interface GitObject { id: ID!, oid: GitObjectID! }

type GitActor { date: GitTimestamp, email: String, name: String, user: User }

type Commit implements Node & GitObject {
  id: ID!
  oid: GitObjectID!
  committedDate: DateTime!
  authoredDate: DateTime!
  messageHeadline: String!
  author: GitActor
  history(after: String, before: String, first: Int, last: Int, since: GitTimestamp, until: GitTimestamp): CommitHistoryConnection!
}
type CommitEdge { cursor: String!, node: Commit }
type CommitHistoryConnection { totalCount: Int!, pageInfo: PageInfo!, nodes: [Commit], edges: [CommitEdge] }
`;

let cached: GraphQLSchema | undefined;

/** The schema, built once. */
export function githubSchema(): GraphQLSchema {
  cached ??= buildSchema(SDL);
  return cached;
}
