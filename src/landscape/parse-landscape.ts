import type { Maturity, Placement } from '../db/schema.js';
import { MATURITIES, field, isoDate, text, type ListItem, type ParsedList } from './items.js';

/**
 * Reads the CNCF landscape's `landscape.yml` shape: `landscape: [category → subcategories → items]`,
 * with `repo_url`, `additional_repos`, `project` (maturity), `second_path` and `extra`.
 * See https://github.com/cncf/landscape2/blob/main/docs/config/data.yml for the format.
 */
export function parseLandscape(doc: { landscape: unknown }): ParsedList {
  const items: ListItem[] = [];
  const invalid: ParsedList['invalid'] = [];
  const warnings: string[] = [];
  if (!Array.isArray(doc.landscape)) {
    return { kind: 'landscape', items, invalid: [{ item: 'landscape', reason: 'is not a list of categories' }], warnings };
  }
  for (const category of doc.landscape as unknown[]) {
    const categoryName = text(field(category, 'name'));
    const subcategories = field(category, 'subcategories');
    if (!categoryName || !Array.isArray(subcategories)) {
      invalid.push({ item: categoryName ?? '(category without a name)', reason: 'category without a name or subcategories' });
      continue;
    }
    for (const subcategory of subcategories as unknown[]) {
      const subcategoryName = text(field(subcategory, 'name'));
      const entries = field(subcategory, 'items');
      if (!subcategoryName) {
        invalid.push({ item: `${categoryName} / ?`, reason: 'subcategory without a name' });
        continue;
      }
      if (!Array.isArray(entries)) continue; // an empty subcategory: nothing to import
      for (const entry of entries as unknown[]) {
        const item = readItem(entry, categoryName, subcategoryName, warnings);
        if (typeof item === 'string') invalid.push({ item: `${categoryName} / ${subcategoryName}`, reason: item });
        else items.push(item);
      }
    }
  }
  return { kind: 'landscape', items, invalid, warnings };
}

function readItem(entry: unknown, category: string, subcategory: string, warnings: string[]): ListItem | string {
  const name = text(field(entry, 'name'));
  if (!name) return 'item without a name';
  const extra = field(entry, 'extra');
  const repoUrls: ListItem['repoUrls'] = [];
  const main = field(entry, 'repo_url');
  if (main !== undefined) repoUrls.push({ url: main, role: 'primary' });
  const additional = field(entry, 'additional_repos');
  if (Array.isArray(additional)) {
    for (const repo of additional as unknown[]) repoUrls.push({ url: field(repo, 'repo_url'), role: 'additional' });
  }
  return {
    name,
    category,
    subcategory,
    extraPlacements: secondPaths(field(entry, 'second_path')),
    maturity: maturityOf(field(entry, 'project'), name, warnings),
    homepageUrl: text(field(entry, 'homepage_url')),
    description: text(field(entry, 'description')),
    parentProject: text(field(extra, 'parent_project')),
    dates: {
      accepted: isoDate(field(extra, 'accepted')),
      incubating: isoDate(field(extra, 'incubating')),
      graduated: isoDate(field(extra, 'graduated')),
      archived: isoDate(field(extra, 'archived')),
    },
    repoUrls,
  };
}

function maturityOf(value: unknown, name: string, warnings: string[]): Maturity | null {
  const raw = text(value);
  if (!raw) return null;
  const lower = raw.toLowerCase() as Maturity;
  if (MATURITIES.includes(lower)) return lower;
  warnings.push(`${name}: unknown maturity "${raw}", stored as none`);
  return null;
}

/** `second_path: ['Category / Subcategory']` lists more places the item appears. */
function secondPaths(value: unknown): Placement[] {
  if (!Array.isArray(value)) return [];
  const placements: Placement[] = [];
  for (const path of value as unknown[]) {
    const t = text(path);
    if (!t) continue;
    const [category, subcategory] = t.split('/').map((s) => s.trim());
    if (category && subcategory) placements.push({ category, subcategory });
  }
  return placements;
}
