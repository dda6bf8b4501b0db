/**
 * Quality of the alert test on a synthetic population (issue 6, "quality figures"): recall of
 * planted breakouts, false alerts per 1,000 repo-days, and the delay from a breakout's first day
 * to its alert. Runs the same detector and episode machine as `greenshoots alerts check`, without
 * a database (the database path is covered by test/alerts).
 *
 *   npx tsx bench/alerts-quality.ts [--repos 1200] [--seed 7]
 *
 * Each repo gets 150 days of daily counts: a base rate (log-uniform 0.2–150/day), gamma-Poisson
 * noise (overdispersed like real star counts), for half of them a weekly rhythm (weekends at 50%),
 * for a third a steady growth of 0.3–1.2% a day, and for some a slow acceleration (the rate ×1.5
 * over 60 days). Then one of: nothing (controls), a one-day spike (×5–×40), or a sustained
 * breakout (×2, ×3, ×5, ×10 from a random day of the last 40 on). Days 100–149 are evaluated one at
 * a time, as daily runs would.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_THRESHOLDS } from '../src/alerts/defaults.js';
import { addDays, evaluateDay, type CountSignal, type DailySeries } from '../src/alerts/detect.js';
import { advanceEpisode, NO_EPISODE, type EpisodeState } from '../src/alerts/episodes.js';

const { values: args } = parseArgs({
  options: { repos: { type: 'string', default: '1200' }, seed: { type: 'string', default: '7' }, signal: { type: 'string', default: 'stars' } },
});
const REPOS = Number(args.repos);
const SIGNAL = args.signal as CountSignal;
const DAYS = 150;
const EVAL_FROM = 100;
const FIRST_DAY = '2026-01-01';

let seed = Number(args.seed) >>> 0;
function random(): number {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
function gamma(shape: number): number {
  // Marsaglia–Tsang, scale 1
  if (shape < 1) return gamma(shape + 1) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal();
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(1 - random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
function poisson(mean: number): number {
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

type Plant = { kind: 'none' } | { kind: 'spike'; day: number; factor: number } | { kind: 'breakout'; day: number; factor: number };

interface SyntheticRepo {
  base: number;
  traits: string;
  plant: Plant;
  series: DailySeries;
}

function makeRepo(index: number): SyntheticRepo {
  const base = 0.2 * Math.exp(random() * Math.log(150 / 0.2));
  const dispersion = 3 + random() * 17; // gamma shape: variance = mean + mean²/shape
  const weekly = random() < 0.5;
  const growth = random() < 1 / 3 ? 0.003 + random() * 0.009 : 0;
  const accelerate = random() < 0.25;
  const which = index % 4;
  const plant: Plant =
    which === 0 || which === 1
      ? { kind: 'none' }
      : which === 2
        ? { kind: 'spike', day: EVAL_FROM + 5 + Math.floor(random() * 40), factor: [5, 10, 20, 40][Math.floor(random() * 4)] as number }
        : { kind: 'breakout', day: EVAL_FROM + 5 + Math.floor(random() * 35), factor: [2, 3, 5, 10][Math.floor(random() * 4)] as number };
  const values: number[] = [];
  for (let d = 0; d < DAYS; d++) {
    let rate = base * (1 + growth) ** d;
    if (accelerate && d > DAYS - 60) rate *= 1 + 0.5 * ((d - (DAYS - 60)) / 60);
    if (weekly && (d % 7 === 5 || d % 7 === 6)) rate *= 0.5;
    if (plant.kind === 'spike' && d === plant.day) rate *= plant.factor;
    if (plant.kind === 'breakout' && d >= plant.day) rate *= plant.factor;
    values.push(poisson(rate * (gamma(dispersion) / dispersion)));
  }
  const traits = [weekly ? 'weekly' : '', growth > 0 ? 'growth' : '', accelerate ? 'accel' : '', dispersion < 6 ? 'bursty' : ''].filter(Boolean).join('+') || 'plain';
  return { base, traits, plant, series: { firstDay: FIRST_DAY, values } };
}

const thresholds = { ...DEFAULT_THRESHOLDS[SIGNAL], ...(process.env.TH ? JSON.parse(process.env.TH) : {}) };
const settings = { minBaselineDays: 28 };
const ESCALATION = 2;

let controlDays = 0;
let controlAlerts = 0;
const byFactor = new Map<string, { planted: number; found: number; delays: number[]; kinds: Record<string, number> }>();

for (let r = 0; r < REPOS; r++) {
  const repo = makeRepo(r);
  let state: EpisodeState = NO_EPISODE;
  const alerts: Array<{ day: number; kind: string; escalation: boolean }> = [];
  for (let d = EVAL_FROM; d < DAYS; d++) {
    const verdict = evaluateDay(repo.series, addDays(FIRST_DAY, d), thresholds, settings);
    const step = advanceEpisode(state, addDays(FIRST_DAY, d), verdict, ESCALATION);
    state = step.state;
    if (step.alert) alerts.push({ day: d, kind: step.alert.kind, escalation: step.alert.escalation });
  }
  const p = repo.plant;
  if (p.kind === 'none') {
    controlDays += DAYS - EVAL_FROM;
    controlAlerts += alerts.length;

    continue;
  }
  // Alerts before the planted day are false; the first within 7 days of it is the find.
  controlDays += p.day - EVAL_FROM;
  controlAlerts += alerts.filter((a) => a.day < p.day).length;
  const size = repo.base * p.factor >= thresholds.minGain ? 'above' : 'below';
  const key = `${p.kind} ×${p.factor} (planted rate ${size} min gain)`;
  const entry = byFactor.get(key) ?? { planted: 0, found: 0, delays: [], kinds: {} };
  entry.planted++;
  const hit = alerts.find((a) => a.day >= p.day && a.day < p.day + 7);
  
  if (hit) {
    entry.found++;
    entry.delays.push(hit.day - p.day);
    entry.kinds[hit.kind] = (entry.kinds[hit.kind] ?? 0) + 1;
  }
  byFactor.set(key, entry);
}

console.log(`signal ${SIGNAL}, thresholds ${JSON.stringify(thresholds)}, ${REPOS} repos, seed ${args.seed}`);
console.log(`false alerts: ${controlAlerts} in ${controlDays} repo-days = ${((1000 * controlAlerts) / controlDays).toFixed(2)} per 1,000 repo-days`);
console.log('| planted | repos | alerted within 7 days | recall | delay: day 1 / day 2 / later | alerted as |');
console.log('|---|---|---|---|---|---|');
for (const [key, e] of [...byFactor.entries()].sort()) {
  const d0 = e.delays.filter((d) => d === 0).length;
  const d1 = e.delays.filter((d) => d === 1).length;
  const later = e.delays.length - d0 - d1;
  console.log(
    `| ${key} | ${e.planted} | ${e.found} | ${((100 * e.found) / Math.max(1, e.planted)).toFixed(1)}% | ${d0} / ${d1} / ${later} | ${Object.entries(e.kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')} |`,
  );
}
