import { describe, expect, it } from 'vitest';
import { parseRepoUrl } from '../../src/landscape/repo-url.js';

describe('parseRepoUrl', () => {
  it.each([
    ['https://github.com/kubernetes/kubernetes', 'kubernetes/kubernetes', []],
    ['http://github.com/drasi-project/drasi-platform', 'drasi-project/drasi-platform', ['http → https']],
    ['https://www.github.com/Foo/Bar/', 'foo/bar', ['www. removed', 'trailing slash removed']],
    ['https://github.com/foo/bar.git', 'foo/bar', ['.git removed']],
    ['https://github.com/foo/bar/tree/main/charts', 'foo/bar', ['path /tree/main/charts ignored']],
    ['HTTPS://GitHub.com/CNCF/Landscape', 'cncf/landscape', []],
    ['cncf/landscape', 'cncf/landscape', []],
    ['github.com/a_b/c.d-e', 'a_b/c.d-e', []],
  ])('%s → %s', (raw, key, fixes) => {
    const result = parseRepoUrl(raw);
    expect(result).toMatchObject({ ok: true, repo: { key, fixes } });
  });

  it('keeps the case as given while keying on lower case', () => {
    expect(parseRepoUrl('https://github.com/CNCF/Landscape')).toMatchObject({
      ok: true,
      repo: { owner: 'CNCF', name: 'Landscape', key: 'cncf/landscape' },
    });
  });

  it.each([
    [undefined, 'no repository'],
    ['', 'no repository'],
    ['https://github.com/tensorflow', 'GitHub organisation, not a repository'],
    ['https://gitlab.haskell.org/ghc/ghc', 'not a GitHub repository (other host)'],
    ['https://opendev.org/zuul/zuul', 'not a GitHub repository (other host)'],
    ['https://github.com/', 'malformed URL'],
    ['ftp://github.com/a/b', 'malformed URL'],
    ['https://github.com/a b/c', 'malformed URL'],
    [42, 'malformed URL'],
  ])('%s is skipped as %s', (raw, reason) => {
    expect(parseRepoUrl(raw)).toEqual({ ok: false, reason });
  });
});
