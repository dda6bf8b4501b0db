import { createHash } from 'node:crypto';
import type { Maturity, Placement, SkippedEntry } from '../db/schema.js';
import type { ListItem, ParsedList } from './items.js';
import { parseRepoUrl, type RepoRef } from './repo-url.js';

export interface PlannedProject {
  name: string;
  nameKey: string;
  category: string | null;
  subcategory: string | null;
  otherPlacements: Placement[];
  maturity: Maturity;
  homepageUrl: string | null;
  description: string | null;
  parentProject: string | null;
  acceptedOn: string | null;
  incubatingOn: string | null;
  graduatedOn: string | null;
  archivedOn: string | null;
  contentHash: string;
  repos: Array<{ repo: RepoRef; role: 'primary' | 'additional' }>;
}

/** What an import will write, and everything it had to leave out or fix, for the report. */
export interface ImportPlan {
  kind: ParsedList['kind'];
  itemCount: number;
  projects: PlannedProject[];
  repos: RepoRef[];
  skipped: SkippedEntry[];
  /** Item names used by several entries, merged into one project. */
  mergedNames: string[];
  /** Repos listed by more than one project: tracked once, linked to each. */
  sharedRepos: Array<{ repo: string; projects: string[] }>;
  /** CNCF projects kept although they list no GitHub repository. */
  withoutRepo: string[];
  /** URLs that needed fixing (http, www., trailing slash, .git, deeper path). */
  normalisedUrls: number;
  warnings: string[];
}

/**
 * Turns parsed items into projects and repos: merges items that share a name, normalises repo
 * URLs, drops what is not a GitHub repository, and keeps a record of each decision.
 */
export function planImport(parsed: ParsedList, options: { onlyCncf?: boolean } = {}): ImportPlan {
  const skipped: SkippedEntry[] = parsed.invalid.map((i) => ({ reason: i.reason, item: i.item, url: null }));
  const items = options.onlyCncf ? parsed.items.filter((i) => i.maturity !== null) : parsed.items;
  const groups = new Map<string, ListItem[]>();
  for (const item of items) {
    const key = item.name.toLowerCase();
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }

  const projects: PlannedProject[] = [];
  const repos = new Map<string, RepoRef>();
  const listedBy = new Map<string, string[]>();
  const mergedNames: string[] = [];
  const withoutRepo: string[] = [];
  let normalisedUrls = 0;

  for (const [nameKey, group] of groups) {
    const first = group[0] as ListItem;
    const links = new Map<string, { repo: RepoRef; role: 'primary' | 'additional' }>();
    for (const item of group) {
      for (const { url, role } of item.repoUrls) {
        const parsedUrl = parseRepoUrl(url);
        if (!parsedUrl.ok) {
          skipped.push({ reason: parsedUrl.reason, item: item.name, url: typeof url === 'string' ? url : null });
          continue;
        }
        const repo = repos.get(parsedUrl.repo.key) ?? parsedUrl.repo;
        repos.set(repo.key, repo);
        if (parsedUrl.repo.fixes.length > 0) normalisedUrls++;
        const existing = links.get(repo.key);
        if (!existing || (existing.role === 'additional' && role === 'primary')) links.set(repo.key, { repo, role });
      }
    }
    if (group.every((item) => item.repoUrls.length === 0)) {
      skipped.push({ reason: 'no repository', item: first.name, url: null });
    }
    const project = mergeGroup(nameKey, group, [...links.values()]);
    // Items with no GitHub repo are left out (members, products), except CNCF projects: their
    // maturity is tracked, and a promotion is news even before a repo can be watched.
    if (links.size === 0) {
      if (project.maturity === 'none') continue;
      withoutRepo.push(project.name);
    }
    if (group.length > 1) mergedNames.push(first.name);
    for (const key of links.keys()) listedBy.set(key, [...(listedBy.get(key) ?? []), first.name]);
    projects.push(project);
  }

  return {
    kind: parsed.kind,
    itemCount: items.length,
    projects,
    repos: [...repos.values()],
    skipped,
    mergedNames,
    sharedRepos: [...listedBy]
      .filter(([, names]) => names.length > 1)
      .map(([repo, names]) => ({ repo, projects: names })),
    withoutRepo,
    normalisedUrls,
    warnings: parsed.warnings,
  };
}

function mergeGroup(nameKey: string, group: ListItem[], repos: PlannedProject['repos']): PlannedProject {
  const first = group[0] as ListItem;
  const pick = <T>(get: (i: ListItem) => T | null): T | null => {
    for (const item of group) {
      const value = get(item);
      if (value !== null) return value;
    }
    return null;
  };
  const placements = group.flatMap((item, i) => [
    ...(i > 0 && item.category && item.subcategory ? [{ category: item.category, subcategory: item.subcategory }] : []),
    ...item.extraPlacements,
  ]);
  const project = {
    name: first.name,
    nameKey,
    category: first.category,
    subcategory: first.subcategory,
    otherPlacements: dedupePlacements(placements),
    maturity: pick((i) => i.maturity) ?? 'none',
    homepageUrl: pick((i) => i.homepageUrl),
    description: pick((i) => i.description),
    parentProject: pick((i) => i.parentProject),
    acceptedOn: pick((i) => i.dates.accepted),
    incubatingOn: pick((i) => i.dates.incubating),
    graduatedOn: pick((i) => i.dates.graduated),
    archivedOn: pick((i) => i.dates.archived),
  };
  return { ...project, contentHash: hashOf(project), repos };
}

function dedupePlacements(placements: Placement[]): Placement[] {
  const seen = new Set<string>();
  return placements.filter((p) => {
    const key = `${p.category}\u0000${p.subcategory}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}
