import { field, text, type ListItem, type ParsedList } from './items.js';

/**
 * Reads a user's own repo list, in YAML or JSON, in any of these shapes:
 * - `[owner/name, https://github.com/o/n, …]` — each repo is its own project;
 * - `{ "Project": [repos…], … }` — repos grouped by project;
 * - `[{ name, repos: [...], category?, subcategory?, homepage_url?, description? }]`, optionally under
 *   a top-level `projects:` key (a `repos:` key alone is a flat list).
 */
export function parseList(doc: unknown): ParsedList {
  const items: ListItem[] = [];
  const invalid: ParsedList['invalid'] = [];
  const entries = field(doc, 'projects') ?? field(doc, 'repos') ?? doc;

  if (Array.isArray(entries)) {
    entries.forEach((entry: unknown, index) => {
      if (typeof entry === 'string') {
        items.push(item(entry.trim(), [entry]));
      } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        const name = text(field(entry, 'name'));
        const repos = field(entry, 'repos') ?? field(entry, 'repo_url') ?? field(entry, 'repo');
        if (!name) invalid.push({ item: `entry ${index + 1}`, reason: 'project without a name' });
        else items.push(item(name, Array.isArray(repos) ? repos : repos === undefined ? [] : [repos], entry));
      } else {
        invalid.push({ item: `entry ${index + 1}`, reason: 'neither a repo nor a project' });
      }
    });
  } else if (entries && typeof entries === 'object') {
    for (const [name, repos] of Object.entries(entries as Record<string, unknown>)) {
      if (Array.isArray(repos) || typeof repos === 'string') {
        items.push(item(name.trim(), Array.isArray(repos) ? repos : [repos]));
      } else {
        invalid.push({ item: name, reason: 'expected a list of repos under the project name' });
      }
    }
  } else {
    invalid.push({ item: 'file', reason: 'expected a list of repos or projects' });
  }
  return { kind: 'list', items, invalid, warnings: [] };
}

function item(name: string, repos: unknown[], entry?: unknown): ListItem {
  return {
    name,
    category: text(field(entry, 'category')),
    subcategory: text(field(entry, 'subcategory')),
    extraPlacements: [],
    maturity: null,
    homepageUrl: text(field(entry, 'homepage_url')) ?? text(field(entry, 'homepage')),
    description: text(field(entry, 'description')),
    parentProject: null,
    dates: { accepted: null, incubating: null, graduated: null, archived: null },
    repoUrls: repos.map((url, i) => ({ url, role: i === 0 ? 'primary' : 'additional' })),
  };
}
