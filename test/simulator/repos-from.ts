/** Pulls owner/name pairs out of any text that mentions GitHub repo URLs (e.g. landscape.yml). */

// A repo URL ends after the name (optionally .git and/or a slash): deeper links such as
// .../pull/123 or .../blob/... name other things and are skipped.
const REPO_URL = /https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?(?=$|[\s"'<>),\]#?])/gim;

/** Unique owner/name pairs in order of first mention (case-insensitive duplicates dropped). */
export function extractRepoNames(text: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const m of text.matchAll(REPO_URL)) {
    const name = `${m[1]}/${m[2]}`;
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}
