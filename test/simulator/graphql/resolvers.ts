/**
 * Resolvers as plain objects whose fields are values or functions (graphql-js calls a function
 * field with (args, context, info)), built from a repo view at the simulated now.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { isoSeconds } from '../clock.js';
import { nodeId, ownerIdOf } from '../world/ids.js';
import { viewRepo, type RepoView } from '../world/view.js';
import type { Commit, Fork, Release } from '../world/activity.js';
import type { SimContext } from '../context.js';
import { connection, githubError, type PageArgs } from './connection.js';

/** Per-request facts the resolvers need. */
export interface GraphqlContext {
  sim: SimContext;
  now: number;
  login: string;
  userId: number;
  collaboratorOf: ReadonlySet<string>;
}

type Order = { field: string; direction: 'ASC' | 'DESC' } | null | undefined;
type Obj = Record<string, unknown>;

/** The Repository object for `view`. */
export function repositoryNode(view: RepoView, gctx: GraphqlContext): Obj {
  const p = view.profile;
  const c = view.counts;
  const latest = () => view.latestRelease();
  return {
    __typename: 'Repository',
    id: nodeId('R', p.databaseId),
    databaseId: p.databaseId,
    name: p.name,
    nameWithOwner: view.fullName,
    owner: ownerNode(p.owner, p.ownerType),
    url: `https://github.com/${view.fullName}`,
    description: p.description,
    homepageUrl: p.homepage,
    createdAt: isoSeconds(p.createdAt),
    pushedAt: isoSeconds(c.pushedAt),
    updatedAt: isoSeconds(c.pushedAt),
    isArchived: p.archived,
    isDisabled: false,
    isEmpty: c.commits === 0,
    isFork: p.parent !== null,
    isPrivate: false,
    parent: () => {
      if (!p.parent) return null;
      const found = gctx.sim.state.resolve(p.parent);
      return found.kind === 'found' ? repositoryNode(viewRepo(gctx.sim.state, found.record, gctx.now), gctx) : null;
    },
    primaryLanguage: p.language ? { name: p.language, color: null } : null,
    licenseInfo: p.license ? { key: p.license.key, name: p.license.name, spdxId: p.license.spdxId, url: `https://choosealicense.com/licenses/${p.license.key}/` } : null,
    repositoryTopics: (args: PageArgs, _: unknown, info: GraphQLResolveInfo) =>
      connection(args, info, p.topics.length, (i) => ({ topic: { name: p.topics[i] } })),
    stargazerCount: c.stars,
    forkCount: c.forks,
    watchers: (args: PageArgs, _: unknown, info: GraphQLResolveInfo) => connection(args, info, c.watchers, () => null),
    issues: (args: PageArgs & { states?: string[] | null }, _: unknown, info: GraphQLResolveInfo) =>
      connection(args, info, byState(args.states, c.openIssues, c.openIssues * 4), () => null),
    pullRequests: (args: PageArgs & { states?: string[] | null }, _: unknown, info: GraphQLResolveInfo) =>
      connection(args, info, byState(args.states, c.openPulls, c.openPulls * 6), () => null),
    releases: (args: PageArgs & { orderBy?: Order }, _: unknown, info: GraphQLResolveInfo) => {
      const desc = args.orderBy?.direction === 'DESC';
      const latestIndex = latest()?.index ?? -1;
      return connection(args, info, c.releases, (i) => releaseNode(view, view.release(desc ? c.releases - 1 - i : i), latestIndex));
    },
    latestRelease: () => {
      const r = latest();
      return r ? releaseNode(view, r, r.index) : null;
    },
    forks: (args: PageArgs & { orderBy?: Order }, _: unknown, info: GraphQLResolveInfo) => {
      const desc = args.orderBy?.direction === 'DESC';
      const total = c.directForks;
      return connection(args, info, total, (i) => forkNode(view.fork(desc ? total - 1 - i : i), view));
    },
    stargazers: (args: PageArgs & { orderBy?: Order }, _: unknown, info: GraphQLResolveInfo) => {
      const conn = connection(args, info, c.stars, (i) => view.stargazer(args.orderBy?.direction === 'DESC' ? c.stars - 1 - i : i));
      const asksList = info.fieldNodes.some((n) => n.selectionSet?.selections.some((s) => s.kind !== 'Field' || s.name.value !== 'totalCount'));
      // Choice: since the July 2026 restriction the list (and starredAt) needs admin or collaborator
      // rights, but the count stays public (it is stargazerCount), so a totalCount-only selection
      // answers; anything else is a FORBIDDEN error at this path with the field null.
      if (asksList && !gctx.collaboratorOf.has(view.fullName.toLowerCase())) {
        throw githubError('FORBIDDEN', 'Must have admin rights to Repository.');
      }
      return {
        ...conn,
        nodes: () => conn.nodes().map((s) => userNode(s.login, s.id)),
        edges: () => conn.edges().map((e) => ({ cursor: e.cursor, starredAt: isoSeconds(e.node.starredAt), node: userNode(e.node.login, e.node.id) })),
      };
    },
    defaultBranchRef: () => {
      if (c.commits === 0) return null;
      return { id: nodeId('REF', p.databaseId), name: p.defaultBranch, prefix: 'refs/heads/', target: commitNode(view, view.commit(c.commits - 1), c.commits - 1) };
    },
  };
}

function byState(states: string[] | null | undefined, open: number, closed: number): number {
  if (!states || states.length === 0) return open + closed;
  return (states.includes('OPEN') ? open : 0) + (states.some((s) => s !== 'OPEN') ? closed : 0);
}

function ownerNode(login: string, type: 'User' | 'Organization'): Obj {
  return { __typename: type, id: nodeId(type === 'User' ? 'U' : 'O', ownerIdOf(login)), login, url: `https://github.com/${login}` };
}

/** A User object. */
export function userNode(login: string, id: number): Obj {
  return { __typename: 'User', id: nodeId('U', id), databaseId: id, login, name: null, url: `https://github.com/${login}` };
}

function releaseNode(view: RepoView, r: Release, latestIndex: number): Obj {
  return {
    __typename: 'Release',
    id: nodeId('RE', r.databaseId),
    databaseId: r.databaseId,
    tagName: r.tagName,
    name: r.name,
    createdAt: isoSeconds(r.createdAt),
    publishedAt: isoSeconds(r.publishedAt),
    isPrerelease: r.isPrerelease,
    isDraft: r.isDraft,
    isLatest: r.index === latestIndex,
    url: `https://github.com/${view.fullName}/releases/tag/${r.tagName}`,
  };
}

function commitNode(view: RepoView, commit: Commit, index: number): Obj {
  const date = isoSeconds(commit.committedDate);
  return {
    __typename: 'Commit',
    id: nodeId('C', parseInt(commit.oid.slice(0, 8), 16)),
    oid: commit.oid,
    committedDate: date,
    authoredDate: date,
    messageHeadline: `Change ${commit.oid.slice(0, 7)}`,
    author: { date, email: commit.authorEmail, name: commit.authorName, user: commit.authorLogin ? userNode(commit.authorLogin, ownerIdOf(commit.authorLogin)) : null },
    history: (args: PageArgs & { since?: string | null; until?: string | null }, _: unknown, info: GraphQLResolveInfo) => {
      // The history of this commit is every commit up to it; newest first.
      const until = args.until ? view.countAt('commits', Date.parse(args.until)) : index + 1;
      const hi = Math.min(index + 1, until);
      const lo = args.since ? view.countAt('commits', Date.parse(args.since)) : 0;
      return connection(args, info, Math.max(0, hi - lo), (i) => commitNode(view, view.commit(hi - 1 - i), hi - 1 - i));
    },
  };
}

function forkNode(fork: Fork, parent: RepoView): Obj {
  const fullName = `${fork.owner}/${fork.name}`;
  const created = isoSeconds(fork.createdAt);
  const empty = (args: PageArgs, _: unknown, info: GraphQLResolveInfo) => connection(args, info, 0, () => null);
  return {
    __typename: 'Repository',
    id: nodeId('R', fork.databaseId),
    databaseId: fork.databaseId,
    name: fork.name,
    nameWithOwner: fullName,
    owner: ownerNode(fork.owner, 'User'),
    url: `https://github.com/${fullName}`,
    description: parent.profile.description,
    homepageUrl: null,
    createdAt: created,
    pushedAt: created,
    updatedAt: created,
    isArchived: false,
    isDisabled: false,
    isEmpty: false,
    isFork: true,
    isPrivate: false,
    parent: null,
    primaryLanguage: parent.profile.language ? { name: parent.profile.language, color: null } : null,
    licenseInfo: null,
    repositoryTopics: empty,
    stargazerCount: 0,
    forkCount: 0,
    watchers: empty,
    issues: empty,
    pullRequests: empty,
    releases: empty,
    latestRelease: null,
    forks: empty,
    stargazers: empty,
    defaultBranchRef: null,
  };
}
