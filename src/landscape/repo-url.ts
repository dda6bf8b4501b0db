/** A GitHub repository named by a list, normalised. */
export interface RepoRef {
  owner: string;
  name: string;
  /** lower-case `owner/name`: GitHub treats names case-insensitively. */
  key: string;
  /** What normalising changed, for the import report (empty when the URL was already canonical). */
  fixes: string[];
}

export type RepoUrlResult = { ok: true; repo: RepoRef } | { ok: false; reason: SkipReason };

export type SkipReason =
  | 'no repository'
  | 'not a GitHub repository (other host)'
  | 'GitHub organisation, not a repository'
  | 'malformed URL';

const GITHUB_HOSTS = new Set(['github.com', 'www.github.com']);
// GitHub's own rules: owners are alphanumerics and single hyphens; repo names add `.` and `_`.
const OWNER = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Reads a repo URL as the landscape writes them (`https://github.com/o/n`, `http://`, `www.`,
 * trailing `/`, `.git`, deeper paths like `/tree/main/x`) or a bare `owner/name`.
 */
export function parseRepoUrl(raw: unknown): RepoUrlResult {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return { ok: false, reason: 'no repository' };
  }
  if (typeof raw !== 'string') return { ok: false, reason: 'malformed URL' };
  const text = raw.trim();
  const fixes: string[] = [];

  let segments: string[];
  if (/^[\w.-]+\/[\w.-]+$/.test(text) && !text.includes('..')) {
    segments = text.split('/'); // bare owner/name, as custom lists write them
  } else {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    } catch {
      return { ok: false, reason: 'malformed URL' };
    }
    const host = url.hostname.toLowerCase();
    if (!GITHUB_HOSTS.has(host)) return { ok: false, reason: 'not a GitHub repository (other host)' };
    if (url.protocol === 'http:') fixes.push('http → https');
    else if (url.protocol !== 'https:') return { ok: false, reason: 'malformed URL' };
    if (host === 'www.github.com') fixes.push('www. removed');
    segments = url.pathname.split('/').filter((s) => s.length > 0);
    if (url.pathname.endsWith('/') && segments.length === 2) fixes.push('trailing slash removed');
  }

  if (segments.length === 0) return { ok: false, reason: 'malformed URL' };
  if (segments.length === 1) return { ok: false, reason: 'GitHub organisation, not a repository' };
  if (segments.length > 2) fixes.push(`path /${segments.slice(2).join('/')} ignored`);
  const owner = segments[0] as string;
  let name = segments[1] as string;
  if (/\.git$/i.test(name)) {
    name = name.slice(0, -4);
    fixes.push('.git removed');
  }
  if (!OWNER.test(owner) || !NAME.test(name) || name === '.' || name === '..') {
    return { ok: false, reason: 'malformed URL' };
  }
  return { ok: true, repo: { owner, name, key: `${owner}/${name}`.toLowerCase(), fixes } };
}
