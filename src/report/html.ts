import { escapeHtml as e } from './escape.js';
import type { ReportModel } from './index.js';
import { alertsSection, chartsSection, moversSection, rankingSection } from './sections.js';

/**
 * The whole report as one HTML document: CSS inline, charts as inline SVG, no script, no font,
 * image or link to fetch — it opens offline, from a mail attachment or a CI artifact alike. The
 * Content-Security-Policy says so to the browser too: anything that would load is refused.
 */
export function renderReport(model: ReportModel): string {
  const charted = new Set(model.charts.map((c) => c.projectId));
  const body =
    model.asOf === null
      ? noData(model)
      : [rankingSection(model, charted), moversSection(model, charted), alertsSection(model), chartsSection(model)].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="greenshoots">
<title>${e(title(model))}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${e(title(model))}</h1>
<p class="meta">${header(model)}</p>
${model.asOf === null ? '' : '<nav><a href="#ranking">Ranking</a> · <a href="#movers">Top movers</a> · <a href="#alerts">Recent alerts</a> · <a href="#charts">Charts</a></nav>'}
</header>
<main>
${body}
</main>
<footer><p>Made by greenshoots report. Every figure and formula: docs/metrics.md in the greenshoots repository.
Stars are GitHub's counts as greenshoots observed them; days nobody observed are interpolated or left empty, never made up.</p></footer>
</body>
</html>
`;
}

function title(model: ReportModel): string {
  return `greenshoots report${model.asOf ? ` — data as of ${model.asOf}` : ''}`;
}

function header(model: ReportModel): string {
  const generated = `${model.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const filters = [
    model.filters.category ? `category or subcategory containing “${e(model.filters.category)}”` : null,
    model.filters.maturity ? `maturity ${e(model.filters.maturity === 'cncf' ? 'any CNCF level' : model.filters.maturity)}` : null,
  ].filter(Boolean);
  const scope = filters.length
    ? `${model.matching.toLocaleString('en-US')} of ${model.projects.toLocaleString('en-US')} tracked projects match: ${filters.join(', ')}.`
    : `${model.projects.toLocaleString('en-US')} tracked projects.`;
  return [
    `Generated <time datetime="${e(model.generatedAt.toISOString())}">${e(generated)}</time> from ${e(model.database)}.`,
    model.asOf ? `Data as of <b>${e(model.asOf)}</b> (the latest UTC day with data; today may still be filling).` : 'No trend data yet.',
    scope,
    `Ranking: the top ${model.top.toLocaleString('en-US')}.`,
  ].join(' ');
}

function noData(model: ReportModel): string {
  const what =
    model.projects === 0
      ? 'This database tracks no projects yet. Run <code>greenshoots landscape import</code> (or import your own list), then <code>greenshoots collect</code>'
      : model.matching === 0
        ? 'No tracked project matches these filters. Try without them, or with another <code>--category</code> or <code>--maturity</code>'
        : 'The tracked projects have no trends yet. Run <code>greenshoots collect</code>';
  const then = model.matching === 0 && model.projects > 0 ? '.' : ' every hour (or leave <code>greenshoots start</code> running) and make the report again: 7-day figures need a week of snapshots, the ranking 30 days.';
  return `<section class="no-data-yet"><h2>No data yet</h2><p>${what}${then}</p></section>`;
}

const CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-alt: #f6f8fa; --accent: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; border-bottom: 3px solid var(--accent); padding-bottom: 10px; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 28px 0 6px; padding-top: 4px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 4px; }
.meta, .explain, .sub, footer { color: var(--muted); }
.explain { max-width: 70em; margin: 0 0 10px; }
.sub { display: block; font-size: 12px; }
.unit { font-weight: normal; color: var(--muted); font-size: 12px; }
.empty { font-style: italic; color: var(--muted); }
nav a, a { color: #0550ae; }
code { background: var(--bg-alt); padding: 1px 4px; border-radius: 3px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--bg-alt); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.ranking th { min-width: 5em; }
.alerts td:first-child { white-space: nowrap; }
.component { display: block; font-size: 11px; color: var(--muted); }
.score { font-weight: 700; }
.movers { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px 22px; }
.mover table td:first-child { max-width: 14em; overflow-wrap: anywhere; }
.alerts td { font-size: 13px; }
.alerts .evidence { font-size: 12px; color: var(--muted); min-width: 16em; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 18px 26px; }
.chart-card { margin: 0; padding: 10px 10px 4px; border: 1px solid var(--line); border-radius: 6px; break-inside: avoid; }
svg.chart { display: block; width: 100%; max-width: 640px; height: auto; font-family: inherit; }
svg .axis { stroke: #57606a; stroke-width: 1; }
svg .grid { stroke: #e4e8ec; stroke-width: 1; }
svg .tick { font-size: 10px; fill: #3d444d; }
svg .axis-label { font-size: 11px; fill: #3d444d; }
svg .legend-label { font-size: 11px; fill: #3d444d; }
svg .note, svg .no-data-label { font-size: 11px; fill: #59636e; font-style: italic; }
svg .release-mark { fill: #953800; }
svg .release-label { font-size: 10px; font-weight: 700; fill: #953800; }
svg .maturity-rule { stroke: #6639ba; stroke-width: 1.5; stroke-dasharray: 2 3; }
svg .maturity-label { font-size: 11px; font-weight: 600; fill: #6639ba; }
footer { margin-top: 30px; padding-bottom: 30px; font-size: 12px; border-top: 1px solid var(--line); }
@media print { .charts { grid-template-columns: 1fr 1fr; } h2 { break-after: avoid; } }
`;
