import { alertPayload, describeAlert } from '../alerts/index.js';
import { formatCount, formatFixed, formatPercent, formatSigned } from '../cli/format.js';
import { renderChart } from './chart.js';
import { escapeHtml as e } from './escape.js';
import type { ChartedProject, MoverList, ReportModel } from './index.js';
import type { RankedProject, ReportAlert } from './queries.js';

/** The page's sections, each a function of the model; every value from data is escaped. */

const anchor = (projectId: number): string => `project-${projectId}`;
const projectLink = (id: number, name: string, charted: Set<number>): string =>
  charted.has(id) ? `<a href="#${anchor(id)}">${e(name)}</a>` : e(name);
/** A component's percent rank (0–1) among the ranked projects, or '—' when the project lacks it. */
const component = (score: number | null): string => (score === null ? '—' : score.toFixed(2));
/** As alert messages print p-values: exact tails can underflow to 0. */
const formatP = (p: number): string => (p === 0 ? '< 1e-300' : `= ${p < 0.001 ? p.toExponential(1) : p.toFixed(3)}`);

export function rankingSection(model: ReportModel, charted: Set<number>): string {
  const head = `<h2 id="ranking">Green shoots: the ranking</h2>
<p class="explain">Projects with a 30-day star gain, best first. The <b>score</b> is 100 × traction × √(size weight × age weight);
<b>traction</b> is the weighted mean of five components, each a percent rank from 0 (lowest) to 1 (highest) among the ranked
projects: star growth (weight 0.35), star acceleration (0.20), fork growth (0.15), new-contributor growth (0.15) and releases
(0.15). Each cell shows the figure and, below it, its component. “—” is a figure without enough data: that component is left out.</p>`;
  if (model.ranking.length === 0) {
    return `${head}\n<p class="empty">No project has a 30-day star gain yet: the ranking needs snapshots 30 days apart (greenshoots collect, hourly).</p>`;
  }
  const rows = model.ranking.map((r) => rankingRow(r, charted)).join('\n');
  return `${head}
<div class="scroll"><table class="ranking">
<thead><tr><th>#</th><th>project</th><th class="num">score</th><th class="num">stars</th><th class="num">star growth, 30 days</th>
<th class="num">star acceleration</th><th class="num">fork gain, 30 days</th><th class="num">new contributors, 90 days (the 90 before)</th>
<th class="num">releases, 1 year</th><th class="num">size × age weight</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function rankingRow(r: RankedProject, charted: Set<number>): string {
  const cell = (figure: string, score: number | null) => `<td class="num">${figure}<span class="component">${component(score)}</span></td>`;
  return `<tr data-project="${e(r.project)}"><td>${r.position}</td>
<td>${projectLink(r.project_id, r.project, charted)}<span class="sub">${e([r.maturity, r.category].filter(Boolean).join(' · '))}</span></td>
<td class="num score">${formatFixed(r.score, 1)}<span class="component">traction ${formatFixed(r.traction, 2)}, ${r.signals} of 5 signals</span></td>
<td class="num">${formatCount(r.stars)}</td>
${cell(`${formatSigned(r.stars_gained_30d)} (${formatPercent(r.stars_growth_30d)})`, r.star_growth_score)}
${cell(formatFixed(r.stars_acceleration, 2, '×'), r.star_acceleration_score)}
${cell(formatSigned(r.forks_gained_30d), r.fork_growth_score)}
${cell(`${formatCount(r.new_contributors_90d)} (${formatCount(r.new_contributors_prev_90d)})`, r.contributor_growth_score)}
${cell(formatCount(r.releases_365d), r.release_score)}
<td class="num">${formatFixed(r.size_weight, 2)} × ${formatFixed(r.age_weight, 2)}</td></tr>`;
}

export function moversSection(model: ReportModel, charted: Set<number>): string {
  const lists = model.movers.map((list) => moverList(list, charted)).join('\n');
  return `<h2 id="movers">Top movers</h2>
<p class="explain">The largest gains up to each project's latest day (summed over its repos). New contributors are commit
authors whose first commit in the repo falls in the window; they need the commit history to cover it.</p>
<div class="movers">
${lists}
</div>`;
}

function moverList(list: MoverList, charted: Set<number>): string {
  const body =
    list.rows.length === 0
      ? `<p class="empty">No gains to show yet.</p>`
      : `<table><thead><tr><th>project</th><th class="num">gain</th><th class="num">growth</th><th class="num">now</th></tr></thead><tbody>
${list.rows
  .map(
    (r) =>
      `<tr><td>${projectLink(r.project_id, r.project, charted)}</td><td class="num">${formatSigned(r.gain)}</td>` +
      `<td class="num">${r.growth === null ? '—' : formatPercent(r.growth)}</td><td class="num">${formatCount(r.total)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  return `<section class="mover" aria-label="${e(list.title)}"><h3>${e(list.title)} <span class="unit">(${e(list.unit)})</span></h3>\n${body}</section>`;
}

export function alertsSection(model: ReportModel): string {
  const head = `<h2 id="alerts">Recent alerts</h2>
<p class="explain">Alerts whose window ends in the 30 days up to ${e(model.asOf)}, newest first, with their evidence: the
window's daily counts against the repo's own baseline (docs/metrics.md, “Alerts”).</p>`;
  if (model.alerts.length === 0) return `${head}\n<p class="empty">No alerts in this period.</p>`;
  return `${head}
<div class="scroll"><table class="alerts"><thead><tr><th>day</th><th>alert</th><th>project / repo</th><th>what happened</th><th>evidence</th></tr></thead><tbody>
${model.alerts.map(alertRow).join('\n')}
</tbody></table></div>`;
}

function alertRow(a: ReportAlert): string {
  const payload = alertPayload(a, 'https://github.com');
  const window = a.window_start && a.window_start !== a.window_end ? `${a.window_start} – ${a.window_end}` : (a.window_end ?? '');
  const daily = Array.isArray(a.details?.['daily']) ? (a.details['daily'] as Array<number | null>) : null;
  const evidence = [
    daily ? `daily ${a.signal.replace('_', ' ')}: ${daily.map((v) => (v === null ? '—' : formatCount(v))).join(', ')}` : null,
    a.observed !== null && a.expected !== null ? `observed ${formatCount(a.observed)}, expected ${formatFixed(a.expected, 1)}` : null,
    a.ratio !== null ? `ratio ${formatFixed(a.ratio, 1, '×')}` : null,
    a.p_value !== null ? `p ${formatP(a.p_value)}` : null,
    a.baseline_days !== null && a.baseline_mean !== null ? `baseline ${formatFixed(a.baseline_mean, 1)}/day over ${a.baseline_days} days` : null,
  ].filter((x): x is string => x !== null);
  const who = [a.project, a.repo && a.repo !== a.project ? a.repo : null].filter(Boolean).join(' / ');
  return `<tr class="alert ${e(a.kind)}"><td>${e(window)}</td><td>${e(a.kind.replace('_', ' '))}${a.escalation ? ' (escalated)' : ''}<span class="sub">${e(a.signal.replace('_', ' '))}</span></td>
<td>${e(who)}</td><td>${e(describeAlert(payload.alert))}</td><td class="evidence">${evidence.map((x) => e(x)).join('<br>') || '—'}</td></tr>`;
}

export function chartsSection(model: ReportModel): string {
  const head = `<h2 id="charts">Stars and forks over time</h2>
<p class="explain">Each project's total stars (top panel, dots) and forks (bottom panel, squares) per UTC day${
    model.chartRange ? `, ${e(model.chartRange.from)} to ${e(model.chartRange.to)}` : ''
  }. A solid line with markers is observed (a snapshot that day); a solid line without markers is counted back from
GitHub's fork or stargazer list, before the first snapshot; a dashed line is interpolated between two observed days; a
hatched band has no data. “R” under the axis marks a release; a dotted rule marks a CNCF maturity change, labelled with the
new level. The value axes do not start at zero.</p>`;
  if (model.charts.length === 0) return `${head}\n<p class="empty">No project has a daily series yet.</p>`;
  return `${head}\n<div class="charts">\n${model.charts.map((c) => chartCard(c, model)).join('\n')}\n</div>`;
}

function chartCard(c: ChartedProject, model: ReportModel): string {
  const range = model.chartRange as { from: string; to: string };
  const days = (source: string) => c.series.stars.filter((p) => p.source === source).length;
  const meta = [
    [c.maturity, c.category].filter(Boolean).join(' · '),
    `${c.series.repos.length === 1 ? 'repo' : 'repos'}: ${c.series.repos.join(', ')}`,
    `stars observed on ${days('observed')} of the ${c.series.stars.length} days shown, ${days('interpolated')} interpolated, ${days('none')} without data`,
  ].filter((x): x is string => Boolean(x));
  const svg = renderChart({ id: `chart-${c.projectId}`, name: c.name, from: range.from, to: range.to, ...c.series });
  return `<figure class="chart-card" id="${anchor(c.projectId)}"><figcaption><h3>${e(c.name)}</h3><span class="sub">${meta.map((m) => e(m)).join(' · ')}</span></figcaption>
${svg}
</figure>`;
}
