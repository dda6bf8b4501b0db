/** REST JSON shapes, trimmed to the fields a collector reads, named and typed as GitHub's. */
import { isoSeconds } from '../clock.js';
import type { Commit, Contributor, Fork, Release } from '../world/activity.js';
import { nodeId, ownerIdOf } from '../world/ids.js';
import type { RepoView } from '../world/view.js';

const API = 'https://api.github.com';

/** A user or organization as REST embeds it. */
export function ownerJson(login: string, id: number, type: 'User' | 'Organization' = 'User') {
  return { login, id, node_id: nodeId(type === 'User' ? 'U' : 'O', id), type, url: `${API}/users/${login}`, html_url: `https://github.com/${login}`, site_admin: false };
}

/** `GET /repos/{owner}/{repo}`. Quirks kept: watchers_count = stars, open_issues_count = issues + PRs. */
export function repoJson(view: RepoView, parent: RepoView | null) {
  const p = view.profile;
  const c = view.counts;
  const fullName = view.fullName;
  const openIssues = c.openIssues + c.openPulls;
  const pushedAt = isoSeconds(c.pushedAt);
  return {
    id: p.databaseId,
    node_id: nodeId('R', p.databaseId),
    name: p.name,
    full_name: fullName,
    private: false,
    owner: ownerJson(p.owner, ownerIdOf(p.owner), p.ownerType),
    html_url: `https://github.com/${fullName}`,
    description: p.description,
    fork: p.parent !== null,
    url: `${API}/repos/${fullName}`,
    created_at: isoSeconds(p.createdAt),
    updated_at: pushedAt,
    pushed_at: pushedAt,
    homepage: p.homepage,
    size: Math.round(c.commits * 3.7),
    stargazers_count: c.stars,
    watchers_count: c.stars,
    language: p.language,
    has_issues: true,
    forks_count: c.forks,
    archived: p.archived,
    disabled: false,
    open_issues_count: openIssues,
    license: p.license ? { key: p.license.key, name: p.license.name, spdx_id: p.license.spdxId, url: `${API}/licenses/${p.license.key}`, node_id: 'MDc6TGljZW5zZTI=' } : null,
    allow_forking: true,
    is_template: false,
    topics: p.topics,
    visibility: 'public',
    forks: c.forks,
    open_issues: openIssues,
    watchers: c.stars,
    default_branch: p.defaultBranch,
    network_count: c.forks,
    subscribers_count: c.watchers,
    ...(parent ? { parent: shortRepoJson(parent), source: shortRepoJson(parent) } : {}),
  };
}

function shortRepoJson(view: RepoView) {
  const p = view.profile;
  return { id: p.databaseId, node_id: nodeId('R', p.databaseId), name: p.name, full_name: view.fullName, owner: ownerJson(p.owner, ownerIdOf(p.owner), p.ownerType), fork: false, stargazers_count: view.counts.stars, forks_count: view.counts.forks };
}

/** An item of `/releases`. */
export function releaseJson(view: RepoView, r: Release) {
  return {
    id: r.databaseId,
    node_id: nodeId('RE', r.databaseId),
    tag_name: r.tagName,
    target_commitish: view.profile.defaultBranch,
    name: r.name,
    draft: r.isDraft,
    prerelease: r.isPrerelease,
    created_at: isoSeconds(r.createdAt),
    published_at: isoSeconds(r.publishedAt),
    html_url: `https://github.com/${view.fullName}/releases/tag/${r.tagName}`,
    url: `${API}/repos/${view.fullName}/releases/${r.databaseId}`,
  };
}

/** An item of `/contributors` (anonymous ones carry email and name instead of a login). */
export function contributorJson(c: Contributor) {
  if (c.login === null) return { email: c.email, name: c.name, type: 'Anonymous', contributions: c.contributions };
  return { ...ownerJson(c.login, c.id ?? 0), contributions: c.contributions };
}

/** An item of `/forks`. */
export function forkJson(f: Fork) {
  const fullName = `${f.owner}/${f.name}`;
  return { id: f.databaseId, node_id: nodeId('R', f.databaseId), name: f.name, full_name: fullName, owner: ownerJson(f.owner, f.databaseId % 100_000_000), fork: true, created_at: isoSeconds(f.createdAt), updated_at: isoSeconds(f.createdAt), pushed_at: isoSeconds(f.createdAt), stargazers_count: 0, forks_count: 0, html_url: `https://github.com/${fullName}` };
}

/** An item of `/commits`. */
export function commitJson(view: RepoView, c: Commit) {
  const date = isoSeconds(c.committedDate);
  const person = { name: c.authorName, email: c.authorEmail, date };
  return {
    sha: c.oid,
    node_id: nodeId('C', parseInt(c.oid.slice(0, 8), 16)),
    commit: { author: person, committer: person, message: `Change ${c.oid.slice(0, 7)}` },
    url: `${API}/repos/${view.fullName}/commits/${c.oid}`,
    author: c.authorLogin ? ownerJson(c.authorLogin, ownerIdOf(c.authorLogin)) : null,
    committer: c.authorLogin ? ownerJson(c.authorLogin, ownerIdOf(c.authorLogin)) : null,
  };
}
