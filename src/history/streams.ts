import type { HistoryStream } from '../db/schema.js';
import { authorKey } from './author-key.js';

export const HISTORY_STREAMS: readonly HistoryStream[] = ['forks', 'releases', 'commits', 'stars'];

/** One dated item of a stream as read from a page, with the row to store and its cursor. */
export type StreamItem =
  | { stream: 'forks'; at: Date; cursor: string; row: { fork_id: number; full_name: string; created_at: string } }
  | {
      stream: 'releases';
      at: Date;
      cursor: string;
      row: { tag_name: string; name: string | null; created_at: string; published_at: string | null; is_prerelease: boolean; is_draft: boolean };
    }
  | { stream: 'commits'; at: Date; cursor: string; row: { oid: string; committed_at: string; author_key: string | null; author_login: string | null } }
  | { stream: 'stars'; at: Date; cursor: string; row: { user_login: string; starred_at: string } };

/**
 * How far below the watermark a regular run reads again, per stream, because an item can appear
 * later with an older time: a release's createdAt is its commit's date, not when it was published;
 * a merged pull request brings commits whose committedDate is older than the merge. Forks and stars
 * are stamped when they happen; an hour covers clock differences between GitHub's servers.
 */
export const OVERLAP_MS: Record<HistoryStream, number> = {
  forks: 3_600_000,
  stars: 3_600_000,
  releases: 3 * 86_400_000,
  commits: 2 * 86_400_000,
};

/** The selection that answers one page of `stream`; `$f` first, `$a` after, `$s` since (commits). */
export function streamSelection(stream: HistoryStream, i: number, withSince: boolean): string {
  const page = `totalCount pageInfo { hasNextPage endCursor }`;
  switch (stream) {
    case 'forks':
      return `forks(first: $f${i}, after: $a${i}, orderBy: {field: CREATED_AT, direction: DESC}) { ${page} edges { cursor node { databaseId nameWithOwner createdAt } } }`;
    case 'releases':
      return `releases(first: $f${i}, after: $a${i}, orderBy: {field: CREATED_AT, direction: DESC}) { ${page} edges { cursor node { tagName name createdAt publishedAt isPrerelease isDraft } } }`;
    case 'stars':
      return `stargazers(first: $f${i}, after: $a${i}, orderBy: {field: STARRED_AT, direction: DESC}) { ${page} edges { cursor starredAt node { login } } }`;
    case 'commits': {
      // With `since` the history's totalCount is the window's; the branch's own total comes aside.
      const since = withSince ? `, since: $s${i}` : '';
      const total = withSince ? ' total: history { totalCount }' : '';
      return `defaultBranchRef { target { ... on Commit { history(first: $f${i}, after: $a${i}${since}) { ${page} edges { cursor node { oid committedDate author { email user { login } } } } }${total} } } }`;
    }
  }
}

interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ cursor: string; starredAt?: string; node: N | null } | null> | null;
}

export interface ParsedPage {
  /** The count GitHub reports for the whole stream (not just this page). */
  total: number | null;
  hasNextPage: boolean;
  items: StreamItem[];
}

/** Reads one page out of a repository alias' data; null when the stream's field is null. */
export function parsePage(stream: HistoryStream, node: Record<string, unknown>): ParsedPage | null {
  switch (stream) {
    case 'forks': {
      const c = node['forks'] as Connection<{ databaseId: number; nameWithOwner: string; createdAt: string }> | null;
      if (!c) return null;
      return page(c, (e, n) => ({
        stream,
        at: new Date(n.createdAt),
        cursor: e.cursor,
        row: { fork_id: n.databaseId, full_name: n.nameWithOwner, created_at: n.createdAt },
      }));
    }
    case 'releases': {
      const c = node['releases'] as Connection<{
        tagName: string;
        name: string | null;
        createdAt: string;
        publishedAt: string | null;
        isPrerelease: boolean;
        isDraft: boolean;
      }> | null;
      if (!c) return null;
      return page(c, (e, n) => ({
        stream,
        at: new Date(n.createdAt),
        cursor: e.cursor,
        row: { tag_name: n.tagName, name: n.name, created_at: n.createdAt, published_at: n.publishedAt, is_prerelease: n.isPrerelease, is_draft: n.isDraft },
      }));
    }
    case 'stars': {
      const c = node['stargazers'] as Connection<{ login: string }> | null;
      if (!c) return null;
      return page(c, (e, n) => ({ stream, at: new Date(e.starredAt as string), cursor: e.cursor, row: { user_login: n.login, starred_at: e.starredAt as string } }));
    }
    case 'commits': {
      const ref = node['defaultBranchRef'] as { target: Record<string, unknown> | null } | null;
      // An empty repository has no default branch: an empty stream, not an error.
      if (!ref?.target) return { total: 0, hasNextPage: false, items: [] };
      type CommitNode = { oid: string; committedDate: string; author: { email: string | null; user: { login: string } | null } | null };
      const c = ref.target['history'] as Connection<CommitNode> | undefined;
      if (!c) return { total: 0, hasNextPage: false, items: [] };
      const parsed = page(c, (e, n) => ({
        stream,
        at: new Date(n.committedDate),
        cursor: e.cursor,
        row: { oid: n.oid, committed_at: n.committedDate, author_key: authorKey(n.author), author_login: n.author?.user?.login ?? null },
      }));
      const total = ref.target['total'] as { totalCount: number } | undefined;
      return total ? { ...parsed, total: total.totalCount } : parsed;
    }
  }
}

function page<N>(c: Connection<N>, item: (edge: { cursor: string; starredAt?: string }, node: N) => StreamItem): ParsedPage {
  const items: StreamItem[] = [];
  for (const edge of c.edges ?? []) if (edge?.node) items.push(item(edge, edge.node));
  return { total: c.totalCount, hasNextPage: c.pageInfo.hasNextPage, items };
}
