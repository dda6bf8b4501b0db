import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Database tests create their own databases; files run in parallel across 2 cores, and a test
    // that drives the real command (PGlite start-up, a landscape import) can take tens of seconds
    // on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
