import { describe, expect, it } from 'vitest';
import { parseListText } from '../../src/landscape/load.js';
import { planImport } from '../../src/landscape/plan.js';
import { LANDSCAPE_FILE, landscapeItems, landscapeText } from '../helpers/landscape.js';

const plan = planImport(parseListText(landscapeText(), LANDSCAPE_FILE));
const project = (name: string) => plan.projects.find((p) => p.name === name);

describe('planning an import of the real landscape.yml', () => {
  it('reads every item of the file', () => {
    expect(plan.itemCount).toBe(landscapeItems().length);
  });

  it('has Kubernetes as a graduated project whose repo is kubernetes/kubernetes', () => {
    const kubernetes = project('Kubernetes');
    expect(kubernetes?.maturity).toBe('graduated');
    expect(kubernetes?.repos.map((r) => `${r.repo.key}:${r.role}`)).toEqual(['kubernetes/kubernetes:primary']);
  });

  it.each(['graduated', 'incubating', 'sandbox', 'archived'])(
    'has as many %s projects as the file marks items %s',
    (maturity) => {
      const inFile = new Set(landscapeItems().filter(({ item }) => item.project === maturity).map(({ item }) => item.name));
      expect(plan.projects.filter((p) => p.maturity === maturity).map((p) => p.name).sort()).toEqual([...inFile].sort());
    },
  );

  it('tracks a repo listed by several items once, linked to each project', () => {
    const keys = plan.repos.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    const containerd = plan.sharedRepos.find((s) => s.repo === 'containerd/containerd');
    expect(containerd?.projects.sort()).toEqual(['containerd', 'containerd (Wasm)']);
  });

  it('merges items that share a name into one project with both placements and repos', () => {
    expect(plan.projects.filter((p) => p.nameKey === 'k0rdent')).toHaveLength(1);
    const k0rdent = project('k0rdent');
    expect(k0rdent?.repos.map((r) => r.repo.key).sort()).toEqual(['k0rdent/k0rdent', 'k0rdent/kcm']);
    expect(k0rdent?.otherPlacements).toContainEqual({ category: 'Platform', subcategory: 'Certified Kubernetes - Distribution' });
    expect(k0rdent?.category).toBe('Orchestration & Management');
    expect(plan.mergedNames).toContain('k0rdent');
    // Kgateway is listed twice, once as a CNCF sandbox project: the merged project keeps the maturity.
    expect(project('Kgateway')?.maturity).toBe('sandbox');
  });

  it('skips org URLs and other hosts, and says why', () => {
    expect(plan.skipped).toContainEqual({
      reason: 'GitHub organisation, not a repository',
      item: 'TensorFlow',
      url: 'https://github.com/tensorflow',
    });
    expect(plan.skipped).toContainEqual({
      reason: 'not a GitHub repository (other host)',
      item: 'Zuul',
      url: 'https://opendev.org/zuul/zuul',
    });
    expect(project('TensorFlow')).toBeUndefined();
  });

  it('keeps a CNCF project whose URL is not a repository, without repos', () => {
    expect(project('CoHDI')).toMatchObject({ maturity: 'sandbox', repos: [] });
    expect(plan.withoutRepo).toContain('CoHDI');
  });

  it('normalises http:// URLs instead of skipping them', () => {
    expect(project('Drasi')?.repos.map((r) => r.repo.key)).toEqual(['drasi-project/drasi-platform']);
  });

  it('takes additional_repos as additional repos of the project', () => {
    const withAdditional = landscapeItems().find(({ item }) => Array.isArray(item.additional_repos) && item.project);
    const planned = project(withAdditional?.item.name as string);
    expect(planned?.repos.filter((r) => r.role === 'additional').length).toBe(
      (withAdditional?.item.additional_repos as unknown[]).length,
    );
  });

  it('with --only cncf keeps only projects with a CNCF maturity', () => {
    const cncf = planImport(parseListText(landscapeText(), LANDSCAPE_FILE), { onlyCncf: true });
    const marked = new Set(landscapeItems().filter(({ item }) => item.project).map(({ item }) => item.name.toLowerCase()));
    expect(cncf.projects.length).toBe(marked.size);
    expect(cncf.projects.every((p) => p.maturity !== 'none')).toBe(true);
  });
});

describe('custom lists', () => {
  it('reads a flat YAML list: each repo its own project', () => {
    const list = planImport(parseListText('- cncf/landscape\n- https://github.com/foo/Bar.git\n- gitlab.com/x/y\n', 'mine.yml'));
    expect(list.kind).toBe('list');
    expect(list.projects.map((p) => [p.name, p.repos[0]?.repo.key])).toEqual([
      ['cncf/landscape', 'cncf/landscape'],
      ['https://github.com/foo/Bar.git', 'foo/bar'],
    ]);
    expect(list.skipped).toEqual([{ reason: 'not a GitHub repository (other host)', item: 'gitlab.com/x/y', url: 'gitlab.com/x/y' }]);
  });

  it('reads JSON grouped by project', () => {
    const list = planImport(parseListText('{"Portfolio A": ["a/one", "a/two"], "B": "b/one"}', 'mine.json'));
    expect(list.projects.map((p) => [p.name, p.repos.map((r) => `${r.repo.key}:${r.role}`)])).toEqual([
      ['Portfolio A', ['a/one:primary', 'a/two:additional']],
      ['B', ['b/one:primary']],
    ]);
  });

  it('reads project objects with categories', () => {
    const list = planImport(
      parseListText('projects:\n  - name: Alpha\n    category: Data\n    repos: [a/alpha]\n  - repos: [x/y]\n', 'p.yml'),
    );
    expect(list.projects).toHaveLength(1);
    expect(list.projects[0]).toMatchObject({ name: 'Alpha', category: 'Data', maturity: 'none' });
    expect(list.skipped).toEqual([{ reason: 'project without a name', item: 'entry 2', url: null }]);
  });
});
