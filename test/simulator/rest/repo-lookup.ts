/** Finds the repo a REST path names, answering 301/404/451 the way GitHub does. */
import { errorReply, type Reply, type SimContext } from '../context.js';
import { viewRepo, type RepoView } from '../world/view.js';

export type Lookup = { kind: 'view'; view: RepoView; sub: string } | { kind: 'reply'; reply: Reply };

const REPOS = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/;
const REPOSITORIES = /^\/repositories\/(\d+)(\/.*)?$/;

/** True when the path is a repo-scoped REST path. */
export function isRepoPath(path: string): boolean {
  return REPOS.test(path) || REPOSITORIES.test(path);
}

/** Resolves `/repos/{o}/{r}/...` or `/repositories/{id}/...` to a view of the repo at the simulated now. */
export function lookupRepo(ctx: SimContext, path: string, search: string): Lookup {
  const now = ctx.clock.nowMs();
  const byName = REPOS.exec(path);
  if (byName) {
    const [, owner = '', name = '', sub = ''] = byName;
    const found = ctx.state.resolve(`${decodeURIComponent(owner)}/${decodeURIComponent(name)}`);
    if (found.kind === 'missing') return { kind: 'reply', reply: errorReply(404, 'Not Found', 'https://docs.github.com/rest/repos/repos#get-a-repository') };
    if (found.kind === 'blocked') return { kind: 'reply', reply: blocked(ctx, found.record.profile.owner, found.record.profile.name) };
    if (found.movedFrom !== null) {
      // GitHub redirects an old name to /repositories/{id}; Octokit's fetch follows it silently.
      const url = `${ctx.url}/repositories/${found.record.profile.databaseId}${sub}${search}`;
      return { kind: 'reply', reply: { status: 301, body: { message: 'Moved Permanently', url, documentation_url: 'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects' }, headers: { location: url } } };
    }
    return { kind: 'view', view: viewRepo(ctx.state, found.record, now), sub };
  }
  const byId = REPOSITORIES.exec(path);
  const record = byId ? ctx.state.byId(Number(byId[1])) : undefined;
  if (!byId || !record || record.status === 'deleted') return { kind: 'reply', reply: errorReply(404, 'Not Found') };
  if (record.status === 'blocked') return { kind: 'reply', reply: blocked(ctx, record.profile.owner, record.profile.name) };
  return { kind: 'view', view: viewRepo(ctx.state, record, now), sub: byId[2] ?? '' };
}

function blocked(ctx: SimContext, owner: string, name: string): Reply {
  return {
    status: 451,
    body: {
      message: 'Repository access blocked',
      block: { reason: 'dmca', created_at: new Date(ctx.state.anchor).toISOString(), html_url: `https://github.com/github/dmca/blob/master/${owner}-${name}.md` },
    },
  };
}
