import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createWorldState } from './world/state.js';
import { viewRepo } from './world/view.js';
import { extractRepoNames } from './repos-from.js';

const ANCHOR = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;

describe('world model', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = createWorldState(1, ANCHOR, ['cncf/x']);
    const b = createWorldState(1, ANCHOR, ['cncf/x']);
    const c = createWorldState(2, ANCHOR, ['cncf/x']);
    const counts = (s: typeof a) => viewRepo(s, s.list()[0]!, ANCHOR + 3 * DAY).counts;
    expect(counts(a)).toEqual(counts(b));
    expect(counts(c)).not.toEqual(counts(a));
  });

  it('keeps stars, forks and commits non-decreasing hour by hour over weeks', () => {
    const s = createWorldState(5, ANCHOR, ['kubernetes/kubernetes', 'small/one']);
    for (const record of s.list()) {
      let prev = viewRepo(s, record, ANCHOR).counts;
      for (let h = 1; h <= 24 * 28; h++) {
        const next = viewRepo(s, record, ANCHOR + h * 3_600_000).counts;
        expect(next.stars).toBeGreaterThanOrEqual(prev.stars);
        expect(next.forks).toBeGreaterThanOrEqual(prev.forks);
        expect(next.commits).toBeGreaterThanOrEqual(prev.commits);
        prev = next;
      }
    }
    const found = s.resolve('kubernetes/kubernetes');
    if (found.kind !== 'found') throw new Error('kubernetes/kubernetes missing');
    const k8s = viewRepo(s, found.record, ANCHOR).counts;
    expect(k8s.stars).toBeGreaterThan(100_000);
    expect(k8s.forks).toBeGreaterThan(20_000);
  });

  it('plants a breakout: the daily rate multiplies from the given day', () => {
    const s = createWorldState(5, ANCHOR, ['cncf/quiet', 'cncf/boom']);
    const from = ANCHOR + 10 * DAY;
    s.setRepo('cncf/boom', { stars: { atAnchor: 2_000, exponent: 1, breakouts: [{ from, factor: 10 }] } });
    s.setRepo('cncf/quiet', { stars: { atAnchor: 2_000, exponent: 1 } });
    const gained = (name: string, t0: number) => {
      const r = s.list().find((x) => x.profile.name === name.split('/')[1])!;
      return viewRepo(s, r, t0 + 7 * DAY).counts.stars - viewRepo(s, r, t0).counts.stars;
    };
    const before = gained('cncf/boom', ANCHOR);
    const after = gained('cncf/boom', from);
    expect(after / before).toBeGreaterThan(7);
    expect(after / before).toBeLessThan(13);
    expect(gained('cncf/quiet', from) / gained('cncf/quiet', ANCHOR)).toBeLessThan(1.5);
  });

  it('lists items whose times match the counts (the i-th star is starred when the count passes i)', () => {
    const s = createWorldState(9, ANCHOR, ['cncf/x']);
    const v = viewRepo(s, s.list()[0]!, ANCHOR);
    const i = Math.floor(v.counts.stars / 2);
    const t = v.stargazer(i).starredAt;
    expect(v.countAt('stars', t)).toBeGreaterThan(i);
    expect(v.countAt('stars', t - 1000)).toBeLessThanOrEqual(i);
  });

  it('holds ~1,050 repos with distinct ids, each answering without stored lists', () => {
    const names = Array.from({ length: 1_050 }, (_, i) => `org${i % 300}/repo${i}`);
    const s = createWorldState(1, ANCHOR, names);
    expect(new Set(s.list().map((r) => r.profile.databaseId)).size).toBe(1_050);
    for (const r of s.list()) viewRepo(s, r, ANCHOR + DAY).latestRelease();
    expect(s.list()).toHaveLength(1_050);
  });
});

describe('extractRepoNames', () => {
  it('takes repo URLs in any case with optional .git or slash, and skips deeper links', () => {
    const text = `repo_url: https://github.com/cncf/landscape
      x: HTTP://GitHub.com/Helm/helm.git
      y: "https://github.com/etcd-io/etcd/"
      z: https://github.com/cncf/toc/pull/1080
      dup: https://github.com/CNCF/landscape`;
    expect(extractRepoNames(text)).toEqual(['cncf/landscape', 'Helm/helm', 'etcd-io/etcd']);
  });

  it('finds about a thousand repos in the real landscape.yml', () => {
    const names = extractRepoNames(readFileSync('/work/shared/data/landscape.yml', 'utf8'));
    expect(names.length).toBeGreaterThan(900);
    expect(names).toContain('kubernetes/kubernetes');
  });
});
