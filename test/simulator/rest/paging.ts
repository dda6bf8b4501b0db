/** REST pagination: `per_page`/`page` parameters and the Link header GitHub sends with them. */

export interface Page {
  perPage: number;
  page: number;
  /** Offset of the page's first item. */
  start: number;
}

/** Reads per_page (default 30, capped at 100, as GitHub) and page (default 1). */
export function readPage(query: URLSearchParams, defaultPerPage = 30): Page {
  const perPageRaw = Number.parseInt(query.get('per_page') ?? '', 10);
  const pageRaw = Number.parseInt(query.get('page') ?? '', 10);
  const perPage = Number.isFinite(perPageRaw) && perPageRaw > 0 ? Math.min(100, perPageRaw) : defaultPerPage;
  const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  return { perPage, page, start: (page - 1) * perPage };
}

/** The Link header for a page out of `lastPage` (omitted when there is only one page). */
export function linkHeader(baseUrl: string, path: string, query: URLSearchParams, page: Page, lastPage: number): string | undefined {
  if (lastPage <= 1 && page.page <= 1) return undefined;
  const at = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('per_page', String(page.perPage));
    q.set('page', String(n));
    return `<${baseUrl}${path}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page.page > 1) links.push(`${at(page.page - 1)}; rel="prev"`);
  if (page.page < lastPage) links.push(`${at(page.page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page.page > 1) links.push(`${at(1)}; rel="first"`);
  return links.join(', ') || undefined;
}

/** The items of `page` out of `total`, produced by `itemAt(position)`. */
export function pageItems<T>(page: Page, total: number, itemAt: (position: number) => T): T[] {
  const items: T[] = [];
  for (let i = page.start; i < Math.min(total, page.start + page.perPage); i++) items.push(itemAt(i));
  return items;
}

/** The number of the last page (at least 1). */
export function lastPageOf(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}
