/**
 * Escapes text for HTML and SVG, in element content and in quoted attribute values alike. Every
 * value that comes from data (project names come from a landscape file anyone can edit) goes
 * through it.
 */
export function escapeHtml(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
