import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, describeDatabase } from '../../src/report/index.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { NOW, XSS_NAME, seedReportWorld } from './seed.js';

/** Debian's package: playwright-core brings no browser of its own, and nothing may be downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(PROJECT_ROOT, 'test-artifacts/report.png');
// No background traffic: this machine has no network, and the test counts every request.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

describe('the report in headless Chromium', () => {
  let t: TestDatabase;
  let browser: Browser | undefined;
  let file: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does) to run the browser test`);
    }
    t = await createTestDatabase('pglite');
    await seedReportWorld(t.db);
    const { html } = await buildReport(t.db, { top: 20, now: NOW, database: describeDatabase(t.kind, t.location) });
    file = path.join(mkdtempSync(path.join(os.tmpdir(), 'greenshoots-report-')), 'report.html');
    writeFileSync(file, html);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.drop();
  });

  it('opens with no console errors and no requests, shows every chart, and is screenshotted', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const url = pathToFileURL(file).href;
    const errors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    // Anything but the file itself is refused, so a stray reference could not reach out even once.
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));

    await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');

    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(3);
    for (const chart of await charts.all()) {
      await expect.poll(() => chart.isVisible()).toBe(true);
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(150);
    }
    // Each chart is an image with a name for screen readers.
    expect(await page.getByRole('img', { name: /^Rocket: stars and forks per day/ }).count()).toBe(1);
    // The hostile project name is shown as text and never runs.
    expect(await page.getByRole('heading', { name: XSS_NAME, exact: true }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Green shoots: the ranking' }).isVisible()).toBe(true);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
