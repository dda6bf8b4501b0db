export type OutputFormat = 'table' | 'csv' | 'json';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

type Row = Record<string, unknown>;

/** Renders rows for people (aligned table), spreadsheets (RFC 4180 CSV) or programs (JSON). */
export function formatRows(rows: Row[], format: OutputFormat, columns: string[] = columnsOf(rows)): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows, jsonReplacer, 2)}\n`;
    case 'csv':
      return [columns, ...rows.map((row) => columns.map((c) => cellText(row[c])))]
        .map((cells) => cells.map(csvCell).join(','))
        .join('\n')
        .concat('\n');
    case 'table':
      return formatTable(rows, columns);
  }
}

function formatTable(rows: Row[], columns: string[]): string {
  if (columns.length === 0) return '(no columns)\n';
  const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((row) => row[c] === null || typeof row[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((line) => (line[i] as string).length)));
  const pad = (value: string, i: number) =>
    numeric[i] ? value.padStart(widths[i] as number) : value.padEnd(widths[i] as number);
  const lines = [
    columns.map(pad).join('  ').trimEnd(),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((line) => line.map(pad).join('  ').trimEnd()),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ];
  return `${lines.join('\n')}\n`;
}

function columnsOf(rows: Row[]): string[] {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, jsonReplacer);
  return String(value).replace(/\r?\n/g, ' ');
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** A count for people: 12,345; '—' for a figure without enough data (NULL). */
export const formatCount = (v: number | null): string => (v === null ? '—' : v.toLocaleString('en-US'));
/** A fraction as a percentage: 0.253 → 25.3%. */
export const formatPercent = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
/** A gain with its sign: +1,234 or -5. */
export const formatSigned = (v: number | null): string => (v === null ? '—' : `${v >= 0 ? '+' : ''}${v.toLocaleString('en-US')}`);
/** A rate or ratio with fixed digits and an optional unit: 2.50x. */
export const formatFixed = (v: number | null, digits = 2, unit = ''): string => (v === null ? '—' : `${v.toFixed(digits)}${unit}`);
