import type { GitHubClient, GraphqlError } from '../github/index.js';
import { aliasIndex, buildSnapshotQuery, type SnapshotData, type SnapshotNode } from './snapshot-query.js';
import { requestName, type DueRepo, type Outcome } from './snapshot-store.js';

export interface BatchResult {
  outcomes: Outcome[];
  cost: number | null;
}

/**
 * Observes a batch of repos in one GraphQL request. One missing repo never fails the others:
 * GitHub answers its alias with null and an error naming the alias' path.
 */
export async function observeBatch(client: GitHubClient, batch: DueRepo[], localNow: () => Date): Promise<BatchResult> {
  const { query, variables } = buildSnapshotQuery(
    batch.map((repo) => {
      const [owner, name] = requestName(repo).split('/') as [string, string];
      return { owner, name, withMetadata: repo.needsMetadata };
    }),
  );
  const result = await client.graphql<SnapshotData>(query, variables);
  const servedAt = result.servedAt ?? localNow();
  const clockSource = result.servedAt ? 'server' : 'local';
  const errorsByAlias = new Map<number, GraphqlError>();
  for (const error of result.errors) {
    const index = aliasIndex(error.path);
    if (index !== null && !errorsByAlias.has(index)) errorsByAlias.set(index, error);
  }

  const outcomes = batch.map((repo, i): Outcome => {
    const node = (result.data?.[`r${i}`] ?? null) as SnapshotNode | null;
    if (node && typeof node.databaseId === 'number') return { kind: 'observed', repo, node, servedAt, clockSource };
    const error = errorsByAlias.get(i);
    if (error?.type === 'NOT_FOUND') {
      return { kind: 'not_found', repo, reason: `GitHub: ${error.message}`, servedAt };
    }
    if (error && /blocked|dmca|unavailable for legal/i.test(error.message)) {
      return { kind: 'blocked', repo, reason: `GitHub: ${error.message}`, servedAt };
    }
    if (error?.type === 'FORBIDDEN') return { kind: 'blocked', repo, reason: `GitHub: ${error.message}`, servedAt };
    return { kind: 'failed', repo, reason: error ? `GitHub: ${error.type ?? 'error'}: ${error.message}` : 'no data in the answer' };
  });
  return { outcomes, cost: result.cost };
}
