import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collect, type CollectOptions, type CollectSummary } from '../../src/collect/index.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/index.js';
import { importList } from '../../src/landscape/index.js';
import { createLogger } from '../../src/log/logger.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './database.js';

export interface CollectorWorld {
  sim: Simulator;
  database: TestDatabase;
  /** A fresh client (as each `greenshoots collect` process makes) and one collect run. */
  run(options?: Partial<CollectOptions> & { client?: GitHubClient }): Promise<CollectSummary>;
  /** `localClockAheadMs`: the client's own clock runs that far ahead of the simulator's (negative: behind). */
  client(options?: { budgetShare?: number; tokens?: string[]; localClockAheadMs?: number }): GitHubClient;
  close(): Promise<void>;
}

const silent = createLogger({ level: 'silent' });

/**
 * A simulator serving `repos`, a fresh database tracking the same repos (imported as a custom list),
 * and a GitHub client whose waits advance the simulator's clock instead of real time.
 */
export async function collectorWorld(
  kind: DatabaseKind,
  repos: string[],
  simOptions: SimulatorOptions = {},
): Promise<CollectorWorld> {
  const sim = await startSimulator({ ...simOptions, repos: simOptions.repos ?? repos });
  const database = await createTestDatabase(kind);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-repos-'));
  const file = path.join(dir, 'repos.yml');
  writeFileSync(file, repos.map((r) => `- ${r}`).join('\n'));
  await importList(database.db, { source: { file } });

  const client = (options: { budgetShare?: number; tokens?: string[]; localClockAheadMs?: number } = {}): GitHubClient =>
    createGitHubClient({
      apiUrl: sim.url,
      tokens: options.tokens ?? ['ghp_test'],
      concurrency: 2,
      budgetShare: options.budgetShare ?? 1,
      logger: silent,
      graphqlSpacingMs: 0,
      // Waits (rate-limit resets, retry-after, backoff) pass on the simulated clock, not in real time.
      now: () => sim.clock.nowMs() + (options.localClockAheadMs ?? 0),
      sleep: async (ms) => {
        sim.clock.advance(ms);
      },
    });

  return {
    sim,
    database,
    client,
    run: ({ client: given, ...options } = {}) =>
      collect(database.db, given ?? client(), { logger: silent, ...options }),
    close: async () => {
      await sim.close();
      await database.drop();
    },
  };
}

export const HOUR = 3_600_000;
