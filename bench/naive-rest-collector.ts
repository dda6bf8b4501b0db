/**
 * The yardstick: a deliberately simple REST-per-repo collector of the fields greenshoots' hourly
 * GraphQL snapshot stores, the way most dashboards do it. Per repo, five GETs:
 *
 *   /repos/{o}/{r}                                  stars, forks, watchers (subscribers_count), open
 *                                                   issues + PRs, created/pushed, archived, license, topics…
 *   /repos/{o}/{r}/pulls?state=open&per_page=1      open PRs: the Link header's last page
 *   /repos/{o}/{r}/releases?per_page=1              releases: the Link header's last page
 *   /repos/{o}/{r}/releases/latest                  latest release (404 when there is none)
 *   /repos/{o}/{r}/contributors?per_page=1&anon=true  contributors: the Link header's last page
 *
 * Every answer but a 304 costs one unit of the token's 5,000-per-hour core budget, 404s included
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api). Five requests per
 * repo over ~1,000 repos is more than one token's hour, so it moves to the next token when
 * `x-ratelimit-remaining` reaches 0 and reports how many tokens it needed.
 */
import { lastPageFromLink } from '../src/github/index.js';

export interface NaiveSnapshot {
  repo: string;
  stars: number;
  forks: number;
  watchers: number;
  openIssues: number;
  openPulls: number;
  releases: number;
  latestReleaseTag: string | null;
  contributors: number | null;
  pushedAt: string | null;
  archived: boolean;
  license: string | null;
  topics: string[];
}

/** ETags and parsed answers kept between runs, for the `conditional` variant. */
export type NaiveCache = Map<string, { etag: string; status: number; body: unknown; link: string | null }>;

export interface NaiveOptions {
  apiUrl: string;
  /** Used in order; the next one takes over when the current one's core budget is spent. */
  tokens: readonly string[];
  repos: readonly string[];
  /** Requests in flight (default 4). */
  concurrency?: number;
  /** Send `If-None-Match` from this cache (and fill it): unchanged answers come back 304, free. */
  cache?: NaiveCache;
}

export interface NaiveResult {
  /** HTTP requests sent. */
  requests: number;
  /** Requests charged to a core budget (every answer but 304). */
  budgetUnits: number;
  notModified: number;
  /** Answers by status, e.g. `{ 200: 4000, 404: 120 }`. */
  byStatus: Record<string, number>;
  /** Tokens whose budget the run touched: the hourly budgets one snapshot needs. */
  tokensUsed: number;
  snapshots: NaiveSnapshot[];
  failed: Array<{ repo: string; reason: string }>;
  wallMs: number;
}

interface Answer {
  status: number;
  body: unknown;
  link: string | null;
}

/** Runs one naive snapshot of `repos`. */
export async function collectNaive(options: NaiveOptions): Promise<NaiveResult> {
  const started = Date.now();
  const base = options.apiUrl.replace(/\/+$/, '');
  const result: NaiveResult = { requests: 0, budgetUnits: 0, notModified: 0, byStatus: {}, tokensUsed: 0, snapshots: [], failed: [], wallMs: 0 };
  let tokenIndex = 0;
  const touched = new Set<number>();

  async function get(path: string): Promise<Answer> {
    const url = `${base}${path}`;
    for (;;) {
      const index = tokenIndex;
      const token = options.tokens[index];
      if (token === undefined) throw new Error(`every token's core budget is spent (${options.tokens.length} tokens)`);
      const cached = options.cache?.get(url);
      const headers: Record<string, string> = { authorization: `token ${token}`, accept: 'application/vnd.github+json', 'user-agent': 'greenshoots-bench-naive' };
      if (cached) headers['if-none-match'] = cached.etag;
      const res = await fetch(url, { headers, redirect: 'follow' });
      result.requests++;
      result.byStatus[res.status] = (result.byStatus[res.status] ?? 0) + 1;
      touched.add(index);
      const remaining = Number(res.headers.get('x-ratelimit-remaining'));
      if (res.status === 403 && remaining === 0) {
        // Not charged: the budget was already spent. Move on to the next token and ask again.
        await res.arrayBuffer();
        if (tokenIndex === index) tokenIndex++;
        continue;
      }
      if (res.status === 304 && cached) {
        await res.arrayBuffer();
        result.notModified++;
        return { status: cached.status, body: cached.body, link: cached.link };
      }
      result.budgetUnits++;
      if (remaining === 0 && tokenIndex === index) tokenIndex++;
      const text = await res.text();
      const body: unknown = text === '' ? null : JSON.parse(text);
      const link = res.headers.get('link');
      const etag = res.headers.get('etag');
      if (options.cache && etag && res.status === 200) options.cache.set(url, { etag, status: res.status, body, link });
      return { status: res.status, body, link };
    }
  }

  async function observe(fullName: string): Promise<NaiveSnapshot> {
    const repo = await get(`/repos/${fullName}`);
    if (repo.status !== 200) throw new Error(`GET /repos/${fullName}: ${repo.status}`);
    const r = repo.body as RepoJson;
    const pulls = await get(`/repos/${fullName}/pulls?state=open&per_page=1`);
    const releases = await get(`/repos/${fullName}/releases?per_page=1`);
    const latest = await get(`/repos/${fullName}/releases/latest`);
    const contributors = await get(`/repos/${fullName}/contributors?per_page=1&anon=true`);
    const openPulls = countOf(pulls);
    return {
      repo: fullName,
      stars: r.stargazers_count,
      forks: r.forks_count,
      watchers: r.subscribers_count ?? 0,
      // REST's open_issues_count counts open PRs too.
      openIssues: Math.max(0, r.open_issues_count - openPulls),
      openPulls,
      releases: countOf(releases),
      latestReleaseTag: latest.status === 200 ? ((latest.body as { tag_name?: string }).tag_name ?? null) : null,
      contributors: contributors.status === 200 || contributors.status === 204 ? countOf(contributors) : null,
      pushedAt: r.pushed_at ?? null,
      archived: r.archived,
      license: r.license?.spdx_id ?? null,
      topics: r.topics ?? [],
    };
  }

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.repos.length) {
      const fullName = options.repos[next++] as string;
      try {
        result.snapshots.push(await observe(fullName));
      } catch (err) {
        result.failed.push({ repo: fullName, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  result.tokensUsed = touched.size;
  result.wallMs = Date.now() - started;
  return result;
}

interface RepoJson {
  stargazers_count: number;
  forks_count: number;
  subscribers_count?: number;
  open_issues_count: number;
  pushed_at?: string | null;
  archived: boolean;
  license?: { spdx_id: string | null } | null;
  topics?: string[];
}

/** A list's length from `per_page=1`: the Link header's last page, else the items on the only page. */
function countOf(answer: Answer): number {
  if (answer.status !== 200) return 0;
  return lastPageFromLink(answer.link) ?? (Array.isArray(answer.body) ? answer.body.length : 0);
}
