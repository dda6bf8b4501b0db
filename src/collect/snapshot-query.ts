/**
 * The batched GraphQL query of the hourly snapshot: one aliased `repository(owner:, name:)` per
 * repo, names bound as variables (never spliced into the query text).
 *
 * Cost (GitHub's formula: connections' requests / 100, rounded, minimum 1): each repo asks four
 * totalCount-only connections (watchers, issues, pullRequests, releases) = 4 requests, so a
 * 100-repo batch costs 4 points; repos due a metadata refresh add repositoryTopics (1 more).
 * ~1,050 landscape repos → 11 batches ≈ 45 points an hour, under 1% of a 5,000-point budget.
 */
export const SNAPSHOT_FIELDS = `fragment SnapshotFields on Repository {
  databaseId
  id
  nameWithOwner
  stargazerCount
  forkCount
  watchers { totalCount }
  issues(states: [OPEN]) { totalCount }
  pullRequests(states: [OPEN]) { totalCount }
  releases { totalCount }
  latestRelease { tagName publishedAt createdAt }
  pushedAt
  isArchived
}`;

/** Slow-changing description, asked at most daily per repo (metadata_updated_at). */
export const METADATA_FIELDS = `fragment MetadataFields on Repository {
  createdAt
  description
  homepageUrl
  isFork
  parent { nameWithOwner }
  primaryLanguage { name }
  licenseInfo { spdxId }
  repositoryTopics(first: 20) { nodes { topic { name } } }
}`;

export interface SnapshotNode {
  databaseId: number;
  id: string;
  nameWithOwner: string;
  stargazerCount: number;
  forkCount: number;
  watchers: { totalCount: number };
  issues: { totalCount: number };
  pullRequests: { totalCount: number };
  releases: { totalCount: number };
  latestRelease: { tagName: string; publishedAt: string | null; createdAt: string } | null;
  pushedAt: string | null;
  isArchived: boolean;
  // MetadataFields, when asked:
  createdAt?: string;
  description?: string | null;
  homepageUrl?: string | null;
  isFork?: boolean;
  parent?: { nameWithOwner: string } | null;
  primaryLanguage?: { name: string } | null;
  licenseInfo?: { spdxId: string | null } | null;
  repositoryTopics?: { nodes: Array<{ topic: { name: string } }> };
}

export interface SnapshotTarget {
  owner: string;
  name: string;
  withMetadata: boolean;
}

export type SnapshotData = Record<string, SnapshotNode | null | { cost: number; remaining: number; resetAt: string }>;

/** Builds the query for `targets`; alias `r<i>` answers for targets[i]. */
export function buildSnapshotQuery(targets: SnapshotTarget[]): { query: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  const declarations: string[] = [];
  const fields: string[] = [];
  targets.forEach((target, i) => {
    variables[`o${i}`] = target.owner;
    variables[`n${i}`] = target.name;
    declarations.push(`$o${i}: String!`, `$n${i}: String!`);
    const spreads = target.withMetadata ? '...SnapshotFields ...MetadataFields' : '...SnapshotFields';
    fields.push(`  r${i}: repository(owner: $o${i}, name: $n${i}) { ${spreads} }`);
  });
  const fragments = targets.some((t) => t.withMetadata) ? `${SNAPSHOT_FIELDS}\n${METADATA_FIELDS}` : SNAPSHOT_FIELDS;
  const query = `query Snapshot(${declarations.join(', ')}) {\n${fields.join('\n')}\n  rateLimit { cost remaining resetAt }\n}\n${fragments}`;
  return { query, variables };
}

/** The alias index an error's path points at (`["r3", ...]` → 3), or null. */
export function aliasIndex(path: ReadonlyArray<string | number> | undefined): number | null {
  const first = path?.[0];
  if (typeof first !== 'string') return null;
  const match = /^r(\d+)$/.exec(first);
  return match ? Number(match[1]) : null;
}
