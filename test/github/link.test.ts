import { describe, expect, it } from 'vitest';
import { lastPageFromLink } from '../../src/github/index.js';

describe('lastPageFromLink', () => {
  it('reads the rel="last" page number (the contributor count with per_page=1)', () => {
    const link =
      '<https://api.github.com/repositories/1/contributors?per_page=1&anon=true&page=2>; rel="next", ' +
      '<https://api.github.com/repositories/1/contributors?per_page=1&anon=true&page=1234>; rel="last"';
    expect(lastPageFromLink(link)).toBe(1234);
  });

  it('finds last wherever it is listed', () => {
    const link =
      '<https://api.github.com/x?page=9>; rel="last", <https://api.github.com/x?page=1>; rel="first", <https://api.github.com/x?page=3>; rel="prev"';
    expect(lastPageFromLink(link)).toBe(9);
  });

  it('is null without a last link (a single page) or without a header', () => {
    expect(lastPageFromLink('<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"')).toBeNull();
    expect(lastPageFromLink(null)).toBeNull();
    expect(lastPageFromLink('')).toBeNull();
  });

  it('is null when the last link has no usable page', () => {
    expect(lastPageFromLink('<https://api.github.com/x?per_page=1>; rel="last"')).toBeNull();
    expect(lastPageFromLink('<https://api.github.com/x?page=abc>; rel="last"')).toBeNull();
  });
});
