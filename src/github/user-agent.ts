import { readFileSync } from 'node:fs';

/**
 * `greenshoots/<version>`, the version read from the package.json above this file (GitHub asks every
 * client to send a User-Agent that names it). Works from `src/` under tsx and from `dist/` alike.
 */
export function defaultUserAgent(): string {
  return `greenshoots/${packageVersion() ?? 'dev'}`;
}

function packageVersion(): string | null {
  for (let dir = new URL('./', import.meta.url), i = 0; i < 5; dir = new URL('../', dir), i++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'greenshoots' && 'version' in pkg) {
        return String(pkg.version);
      }
    } catch {
      // no package.json at this level: look one up
    }
  }
  return null;
}
