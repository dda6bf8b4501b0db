import type { Maturity, Placement } from '../db/schema.js';

/** One entry of a list as read from its file, before merging and URL normalisation. */
export interface ListItem {
  name: string;
  category: string | null;
  subcategory: string | null;
  extraPlacements: Placement[];
  /** CNCF maturity as written (`project:` in landscape.yml); null when the item has none. */
  maturity: Maturity | null;
  homepageUrl: string | null;
  description: string | null;
  parentProject: string | null;
  dates: { accepted: string | null; incubating: string | null; graduated: string | null; archived: string | null };
  repoUrls: Array<{ url: unknown; role: 'primary' | 'additional' }>;
}

/** Where an item list came from, and what was wrong with entries that could not become items. */
export interface ParsedList {
  kind: 'landscape' | 'list';
  items: ListItem[];
  /** Entries that are not items at all (no name, wrong shape), with why. */
  invalid: Array<{ item: string; reason: string }>;
  /** Values we did not understand but could live with (an unknown maturity), for the report. */
  warnings: string[];
}

export const MATURITIES: readonly Maturity[] = ['sandbox', 'incubating', 'graduated', 'archived'];

/** A trimmed non-empty string, or null. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** A `YYYY-MM-DD` date string, or null. */
export function isoDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  const t = text(value);
  return t && /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : null;
}

/** `value[key]` when value is a plain object, else undefined: for walking untrusted YAML. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
