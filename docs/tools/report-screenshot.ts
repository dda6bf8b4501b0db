/**
 * Makes docs/report-screenshot.png, the README's picture of `greenshoots report`, from simulated
 * data: the local GitHub simulator (test/simulator) serves eight made-up projects, the real
 * collector reads them twice a simulated day for six weeks into a temporary embedded database,
 * and headless Chromium (Debian's, driven by playwright-core) photographs the report.
 *
 *   npx tsx docs/tools/report-screenshot.ts [--out docs/report-screenshot.png] [--html report.html]
 *
 * Loopback only; takes a few minutes on 2 cores.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { collectPass } from '../../src/collect/pass.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { createGitHubClient } from '../../src/github/index.js';
import { importList } from '../../src/landscape/index.js';
import { createLogger } from '../../src/log/logger.js';
import { buildReport } from '../../src/report/index.js';
import type { RepoOverrides } from '../../test/simulator/index.js';

// graphql-js reads NODE_ENV when it loads: production skips its dev checks (the simulator runs faster).
process.env['NODE_ENV'] = 'production';
const { startSimulator } = await import('../../test/simulator/index.js');

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/report-screenshot.png' }, html: { type: 'string' } } });
const DAY = 86_400_000;
const DAYS = 42;
const COLLECT_HOURS = [6, 18];
const COLLECTOR_DOWN = [20, 21]; // two days nobody collected: interpolated in the charts
const OPERATOR_LISTED_ON = 12; // a second repo joins Tidewater's listing: no project total before
const PROMOTED_ON = 26; // Nightjar moves from sandbox to incubating

interface Repo { name: string; stars: number; exponent: number; years: number; breakoutDay?: number }
interface Project { name: string; maturity: string; category: string; subcategory: string; repos: Repo[] }

/** Made-up projects: names, sizes and growth are invented, not real ones. */
const PROJECTS: Project[] = [
  { name: 'Skyhook', maturity: 'sandbox', category: 'Orchestration & Management', subcategory: 'Scheduling & Orchestration', repos: [{ name: 'skyhook-dev/skyhook', stars: 2_400, exponent: 1.6, years: 1.2, breakoutDay: 33 }] },
  { name: 'Tidewater', maturity: 'incubating', category: 'Orchestration & Management', subcategory: 'Service Mesh', repos: [{ name: 'tidewater/tidewater', stars: 15_000, exponent: 1.1, years: 4 }, { name: 'tidewater/tidewater-operator', stars: 900, exponent: 1.3, years: 1.5 }] },
  { name: 'Lumen', maturity: 'graduated', category: 'Observability and Analysis', subcategory: 'Monitoring', repos: [{ name: 'lumen-io/lumen', stars: 42_000, exponent: 1.05, years: 7 }] },
  { name: 'Nightjar', maturity: 'sandbox', category: 'Observability and Analysis', subcategory: 'Tracing', repos: [{ name: 'nightjar-dev/nightjar', stars: 3_500, exponent: 1.4, years: 2 }] },
  { name: 'Quarry', maturity: 'sandbox', category: 'Runtime', subcategory: 'Container Runtime', repos: [{ name: 'quarry-rt/quarry', stars: 600, exponent: 1.8, years: 0.8 }] },
  { name: 'Brightwell', maturity: 'incubating', category: 'Runtime', subcategory: 'Cloud Native Storage', repos: [{ name: 'brightwell/brightwell', stars: 7_800, exponent: 1.15, years: 3 }] },
  { name: 'Fernbank', maturity: 'sandbox', category: 'Provisioning', subcategory: 'Automation & Configuration', repos: [{ name: 'fernbank/fernbank', stars: 1_500, exponent: 1.25, years: 1.5 }] },
  { name: 'Marlin', maturity: 'sandbox', category: 'App Definition and Development', subcategory: 'Streaming & Messaging', repos: [{ name: 'marlin-mq/marlin', stars: 4_200, exponent: 1.3, years: 2.5 }] },
];

/** The landscape.yml of `day`: the operator repo is listed from OPERATOR_LISTED_ON, Nightjar promoted on PROMOTED_ON. */
function landscape(day: number, date: (d: number) => string): string {
  const lines = ['landscape:'];
  for (const category of [...new Set(PROJECTS.map((p) => p.category))]) {
    lines.push('  - category:', `    name: ${category}`, '    subcategories:');
    for (const p of PROJECTS.filter((x) => x.category === category)) {
      const repos = p.repos.filter((r) => !r.name.endsWith('-operator') || day >= OPERATOR_LISTED_ON);
      const promoted = p.name === 'Nightjar' && day >= PROMOTED_ON;
      lines.push('      - subcategory:', `        name: ${p.subcategory}`, '        items:', '          - item:', `            name: ${p.name}`);
      lines.push(`            project: ${promoted ? 'incubating' : p.maturity}`, `            repo_url: https://github.com/${repos[0]!.name}`);
      if (repos.length > 1) lines.push('            additional_repos:', ...repos.slice(1).map((r) => `              - repo_url: https://github.com/${r.name}`));
      if (promoted) lines.push('            extra:', `              incubating: '${date(PROMOTED_ON)}'`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const sim = await startSimulator({ repos: [], seed: 7 });
const start = sim.clock.nowMs();
const date = (d: number): string => new Date(start + d * DAY).toISOString().slice(0, 10);
for (const p of PROJECTS) {
  for (const r of p.repos) {
    const overrides: RepoOverrides = {
      createdAt: start - Math.round(r.years * 365 * DAY),
      archived: false,
      stars: { atAnchor: r.stars, exponent: r.exponent, ...(r.breakoutDay ? { breakouts: [{ from: start + r.breakoutDay * DAY, factor: 5 }] } : {}) },
      forks: { atAnchor: Math.round(r.stars / 7), exponent: r.exponent },
    };
    sim.state.addRepo(r.name, overrides);
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-screenshot-'));
const logger = createLogger({ level: 'silent' });
const config = loadConfig({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'ghp_simulated', GREENSHOOTS_DATA_DIR: path.join(dir, 'db'), LOG_LEVEL: 'silent' }, dir);
const database = await openDatabase(config.database);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
try {
  await migrate(database.db);
  const list = path.join(dir, 'landscape.yml');
  for (let day = 0; day < DAYS; day++) {
    if (day === 0 || day === OPERATOR_LISTED_ON || day === PROMOTED_ON) {
      writeFileSync(list, landscape(day, date));
      await importList(database.db, { source: { file: list } });
    }
    if (COLLECTOR_DOWN.includes(day)) continue;
    for (const hour of COLLECT_HOURS) {
      sim.clock.set(start + day * DAY + hour * 3_600_000);
      const client = createGitHubClient({
        apiUrl: sim.url,
        tokens: config.github.tokens,
        concurrency: 2,
        budgetShare: 1,
        logger,
        graphqlSpacingMs: 0,
        now: () => sim.clock.nowMs(),
        sleep: async (ms) => sim.clock.advance(ms),
      });
      const pass = await collectPass(database.db, client, config, { logger });
      if (pass.snapshots.status !== 'succeeded') throw new Error(`collect on simulated day ${day} ended ${pass.snapshots.status}`);
    }
    log(`simulated ${date(day)} collected`);
  }

  const { html, model } = await buildReport(database.db, {
    top: 8,
    now: sim.clock.now(),
    database: 'a temporary embedded database filled from the local GitHub simulator (simulated data, made-up projects)',
  });
  const file = values.html ? path.resolve(values.html) : path.join(dir, 'report.html');
  writeFileSync(file, html);
  log(`report: ${model.ranking.length} ranked, ${model.alerts.length} alerts, ${model.charts.length} charts → ${file}`);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${file}`);
    // The top of the page down to the first row of charts: ranking, movers, alerts and two charts.
    const firstRow = await page.locator('.chart-card').nth(1).boundingBox();
    const height = firstRow ? Math.ceil(firstRow.y + firstRow.height + 16) : 1600;
    await page.screenshot({ path: values.out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height } });
  } finally {
    await browser.close();
  }
  log(`wrote ${values.out} (${Math.round(statSync(values.out).size / 1024)} KB)`);
} finally {
  await database.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
