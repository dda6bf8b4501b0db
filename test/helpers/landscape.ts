import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The real CNCF landscape snapshot the team shares (Apache-2.0, see landscape.SOURCE). */
export const LANDSCAPE_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/data/landscape.yml',
);

export const landscapeText = (): string => readFileSync(LANDSCAPE_FILE, 'utf8');

interface RawItem {
  name: string;
  project?: string;
  repo_url?: string;
  [key: string]: unknown;
}

/**
 * The landscape's items read straight from the YAML, independently of greenshoots' parser, so tests
 * can compare what was imported with what the file says.
 */
export function landscapeItems(text: string = landscapeText()): Array<{ category: string; subcategory: string; item: RawItem }> {
  const doc = parse(text) as { landscape: Array<{ name: string; subcategories?: Array<{ name: string; items?: RawItem[] }> }> };
  return doc.landscape.flatMap((c) =>
    (c.subcategories ?? []).flatMap((s) => (s.items ?? []).map((item) => ({ category: c.name, subcategory: s.name, item }))),
  );
}
