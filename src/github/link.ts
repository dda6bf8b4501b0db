/**
 * The page number of the `rel="last"` link of a Link header, or null when there is none.
 * With `per_page=1` this is a count: `/repos/{o}/{r}/contributors?per_page=1&anon=true` answers
 * with a last page equal to the number of contributors (the trick landscape2 uses). A missing Link
 * header means everything fitted on one page: the caller counts the items of that page instead.
 */
export function lastPageFromLink(link: string | null | undefined): number | null {
  if (!link) return null;
  // Link: <https://api.github.com/...&page=2>; rel="next", <https://api.github.com/...&page=34>; rel="last"
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!match) continue;
    const [, target = '', params = ''] = match;
    const rel = /\brel="?([^";]*)"?/.exec(params)?.[1] ?? '';
    if (!rel.split(/\s+/).includes('last')) continue;
    let page: string | null;
    try {
      page = new URL(target, 'https://api.github.com').searchParams.get('page');
    } catch {
      return null;
    }
    if (page === null || !/^\d+$/.test(page)) return null;
    return Number(page);
  }
  return null;
}
