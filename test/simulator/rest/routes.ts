/** REST endpoints under /repos/{owner}/{repo}: the ones a collector and a history backfill call. */
import { errorReply, type Reply, type SimContext } from '../context.js';
import { anonymousContributorCount } from '../world/activity.js';
import { isoSeconds } from '../clock.js';
import { lastPageOf, linkHeader, pageItems, readPage } from './paging.js';
import { commitJson, contributorJson, forkJson, ownerJson, releaseJson, repoJson } from './json.js';
import { lookupRepo } from './repo-lookup.js';
import { viewRepo, type RepoView } from '../world/view.js';

export interface RestCall {
  path: string;
  search: string;
  query: URLSearchParams;
  accept: string;
  /** Lower-cased repos the caller may administer (for the restricted stargazer list). */
  collaboratorOf: ReadonlySet<string>;
}

// GitHub stops star pagination at 400 pages (observed; see /work/shared/GITHUB.md).
const STAR_PAGE_CAP = 400;

/** Answers a repo-scoped GET and names the route pattern for stats. */
export function repoRoute(ctx: SimContext, call: RestCall): { route: string; reply: Reply } {
  const found = lookupRepo(ctx, call.path, call.search);
  const base = call.path.startsWith('/repositories/') ? 'GET /repositories/:id' : 'GET /repos/:owner/:repo';
  if (found.kind === 'reply') return { route: `${base}${subPattern(call.path)}`, reply: found.reply };
  const { view, sub } = found;
  const route = `${base}${sub}`;
  const paged = (total: number, items: (position: number) => unknown, cap?: number): Reply => {
    const page = readPage(call.query);
    const last = lastPageOf(total, page.perPage);
    const link = linkHeader(ctx.url, call.path, call.query, page, cap ? Math.min(cap, last) : last);
    return { status: 200, body: pageItems(page, total, items), ...(link ? { headers: { link } } : {}) };
  };
  const c = view.counts;

  switch (sub) {
    case '':
      return { route, reply: { status: 200, body: repoJson(view, parentView(ctx, view)) } };
    case '/contributors': {
      if (view.profile.contributorsTooLarge) {
        return { route, reply: errorReply(403, 'The history or contributor list is too large to list contributors for this repository via the API.', 'https://docs.github.com/rest/repos/repos#list-repository-contributors') };
      }
      if (c.commits === 0) return { route, reply: { status: 204 } };
      const anon = ['1', 'true'].includes(call.query.get('anon') ?? '');
      const total = anon ? c.contributors : c.contributors - anonymousContributorCount(c.contributors);
      return { route, reply: paged(total, (i) => contributorJson(view.contributor(i))) };
    }
    case '/stargazers': {
      if (!call.collaboratorOf.has(view.fullName.toLowerCase())) {
        // Restricted to admins and collaborators since July 2026; the count stays public.
        return { route, reply: errorReply(403, 'Must have admin rights to Repository.', 'https://docs.github.com/rest/activity/starring#list-stargazers') };
      }
      if (readPage(call.query).page > STAR_PAGE_CAP) {
        return { route, reply: errorReply(422, 'In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link response header to see how far back you can traverse.', 'https://docs.github.com/rest/activity/starring#list-stargazers') };
      }
      const withDates = call.accept.includes('application/vnd.github.star+json');
      return {
        route,
        reply: paged(c.stars, (i) => {
          const s = view.stargazer(i);
          const user = ownerJson(s.login, s.id);
          return withDates ? { starred_at: isoSeconds(s.starredAt), user } : user;
        }, STAR_PAGE_CAP),
      };
    }
    case '/forks': {
      const total = c.directForks;
      const oldest = call.query.get('sort') === 'oldest';
      return { route, reply: paged(total, (i) => forkJson(view.fork(oldest ? i : total - 1 - i))) };
    }
    case '/releases':
      return { route, reply: paged(c.releases, (i) => releaseJson(view, view.release(c.releases - 1 - i))) };
    case '/releases/latest': {
      const latest = view.latestRelease();
      return { route, reply: latest ? { status: 200, body: releaseJson(view, latest) } : errorReply(404, 'Not Found', 'https://docs.github.com/rest/releases/releases#get-the-latest-release') };
    }
    case '/commits':
      return { route, reply: commits(view, call, paged) };
    case '/pulls':
    case '/issues': {
      // Only open items are modelled; /issues lists PRs too, as GitHub's does.
      const state = call.query.get('state') ?? 'open';
      const total = state === 'open' ? (sub === '/pulls' ? c.openPulls : c.openPulls + c.openIssues) : 0;
      return { route, reply: paged(total, (i) => issueJson(view, sub, total - i)) };
    }
    default:
      return { route: `${base}/*`, reply: errorReply(404, 'Not Found') };
  }
}

function commits(view: RepoView, call: RestCall, paged: (total: number, items: (i: number) => unknown) => Reply): Reply {
  if (view.counts.commits === 0) return errorReply(409, 'Git Repository is empty.', 'https://docs.github.com/rest/commits/commits#list-commits');
  const since = call.query.get('since');
  const until = call.query.get('until');
  const lo = since ? view.countAt('commits', Date.parse(since)) : 0;
  const hi = until ? view.countAt('commits', Date.parse(until)) : view.counts.commits;
  const total = Math.max(0, hi - lo);
  // Newest first, as GitHub lists them.
  return paged(total, (i) => commitJson(view, view.commit(hi - 1 - i)));
}

function issueJson(view: RepoView, sub: string, rank: number) {
  const number = rank * 3 + (sub === '/pulls' ? 1 : 0);
  return { number, state: 'open', title: `Item ${number}`, html_url: `https://github.com/${view.fullName}${sub === '/pulls' ? '/pull/' : '/issues/'}${number}`, created_at: isoSeconds(view.now - rank * 3_600_000) };
}

function parentView(ctx: SimContext, view: RepoView): RepoView | null {
  if (!view.profile.parent) return null;
  const parent = ctx.state.resolve(view.profile.parent);
  return parent.kind === 'found' ? viewRepo(ctx.state, parent.record, view.now) : null;
}

function subPattern(path: string): string {
  const m = /^\/(?:repos\/[^/]+\/[^/]+|repositories\/\d+)(\/.*)?$/.exec(path);
  return m?.[1] ?? '';
}
