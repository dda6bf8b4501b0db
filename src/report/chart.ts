import { scaleLinear, scaleUtc, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { line } from 'd3-shape';
import { utcFormat } from 'd3-time-format';
import { formatCount } from '../cli/format.js';
import { escapeHtml as e } from './escape.js';
import type { ProjectSeries, SeriesPoint } from './series.js';

/**
 * One project's chart as a static SVG: stars (top panel) and forks (bottom panel) over a shared
 * UTC time axis. Drawn on the server with d3-scale and d3-shape, so the report needs no script
 * and fetches nothing. Nothing relies on colour alone: stars and forks have their own panels and
 * marker shapes (dots, squares), interpolated days are dashed, days without data are hatched,
 * releases are "R" triangles on the axis and maturity changes labelled dotted rules.
 */
export interface ChartInput extends Pick<ProjectSeries, 'stars' | 'forks' | 'releases' | 'maturityChanges'> {
  /** Unique within the page: prefixes the SVG's element ids. */
  id: string;
  /** The project's name (plain text: escaped here). */
  name: string;
  from: string;
  to: string;
}

const WIDTH = 640;
const LEFT = 66;
const RIGHT = WIDTH - 18;
const PANELS = { stars: { top: 42, height: 112 }, forks: { top: 178, height: 80 } } as const;
const AXIS_Y = PANELS.forks.top + PANELS.forks.height;
const HEIGHT = AXIS_Y + 64;
const STYLE = {
  stars: { colour: '#1a7f37', label: 'stars (total)' },
  forks: { colour: '#0550ae', label: 'forks (total)' },
} as const;
const tickDate = utcFormat('%b %-d');

const toDate = (day: string): Date => new Date(Date.parse(`${day}T00:00:00Z`));
const num = (v: number): string => (Math.round(v * 10) / 10).toString();

/** The chart's SVG markup. */
export function renderChart(input: ChartInput): string {
  const single = input.from === input.to;
  const x = scaleUtc()
    .domain([toDate(single ? shift(input.from, -1) : input.from), toDate(single ? shift(input.to, 1) : input.to)])
    .range([LEFT + 6, RIGHT - 6]);
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${e(input.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${e(titleId)} ${e(descId)}">`,
    `<title id="${e(titleId)}">${e(`${input.name}: stars and forks per day, ${input.from} to ${input.to} (UTC)`)}</title>`,
    `<desc id="${e(descId)}">${e(describe(input))}</desc>`,
    `<defs><pattern id="${e(input.id)}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#a8a8a8" stroke-width="2"/></pattern></defs>`,
    legend(input.id),
    timeGrid(x),
    panel('stars', input.stars, x, input.id),
    panel('forks', input.forks, x, input.id),
    timeAxis(x),
    ...input.maturityChanges.map((c) => maturityRule(c, x)),
    ...releaseMarks(input.releases, x),
    '</svg>',
  ].join('\n');
}

function panel(kind: 'stars' | 'forks', points: SeriesPoint[], x: ScaleTime<number, number>, id: string): string {
  const { top, height } = PANELS[kind];
  const known = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const lo = known.length ? Math.min(...known) : 0;
  const hi = known.length ? Math.max(...known) : 1;
  const pad = lo === hi ? Math.max(1, Math.abs(hi) * 0.05) : 0;
  const y = scaleLinear().domain([lo - pad, hi + pad]).nice(4).range([top + height, top]);
  const px = (p: SeriesPoint): number => x(toDate(p.day));
  const out = [`<g class="panel ${kind}">`, yAxis(kind, y, top, height)];
  for (const band of runs(points, (p) => p.value === null)) {
    const x0 = Math.max(LEFT, px(band[0] as SeriesPoint) - halfDay(x));
    const x1 = Math.min(RIGHT, px(band[band.length - 1] as SeriesPoint) + halfDay(x));
    const from = (band[0] as SeriesPoint).day;
    const to = (band[band.length - 1] as SeriesPoint).day;
    out.push(
      `<g class="no-data" data-from="${from}" data-to="${to}"><title>${e(`no ${kind} count: ${from === to ? from : `${from} to ${to}`}`)}</title>` +
        `<rect x="${num(x0)}" y="${top}" width="${num(x1 - x0)}" height="${height}" fill="url(#${e(id)}-hatch)"/>` +
        (x1 - x0 >= 46 ? `<text x="${num((x0 + x1) / 2)}" y="${top + height / 2 + 4}" text-anchor="middle" class="no-data-label">no data</text>` : '') +
        '</g>',
    );
  }
  if (known.length === 0) out.push(`<text x="${(LEFT + RIGHT) / 2}" y="${top + 16}" text-anchor="middle" class="note">no ${kind} counts in this period</text>`);
  const path = line<SeriesPoint>().x(px).y((p) => y(p.value as number));
  for (const segment of segments(points)) {
    const dashed = segment.style === 'interpolated';
    out.push(
      `<path class="series ${kind} ${segment.style}" data-from="${segment.points[0]?.day}" data-to="${segment.points[segment.points.length - 1]?.day}" ` +
        `d="${path(segment.points) ?? ''}" fill="none" stroke="${STYLE[kind].colour}" stroke-width="${dashed ? 1.6 : 2}"${dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
  }
  for (const p of points) {
    if (p.source !== 'observed' || p.value === null) continue;
    const cx = num(px(p));
    const cy = num(y(p.value));
    out.push(kind === 'stars' ? `<circle class="point" data-day="${p.day}" cx="${cx}" cy="${cy}" r="2.4" fill="${STYLE.stars.colour}"/>` : `<rect class="point" data-day="${p.day}" x="${num(px(p) - 2.3)}" y="${num(y(p.value) - 2.3)}" width="4.6" height="4.6" fill="${STYLE.forks.colour}"/>`);
  }
  out.push('</g>');
  return out.join('\n');
}

/** Left axis: whole-number ticks with thousands separators, light grid lines, and the quantity. */
function yAxis(kind: 'stars' | 'forks', y: ScaleLinear<number, number>, top: number, height: number): string {
  const ticks = y.ticks(4).filter((t) => Number.isInteger(t));
  const parts = [`<line x1="${LEFT}" y1="${top}" x2="${LEFT}" y2="${top + height}" class="axis"/>`];
  for (const t of ticks) {
    const ty = num(y(t));
    parts.push(`<line x1="${LEFT}" y1="${ty}" x2="${RIGHT}" y2="${ty}" class="grid"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${ty}" dy="0.32em" text-anchor="end" class="tick">${formatCount(t)}</text>`);
  }
  parts.push(`<text transform="translate(14 ${top + height / 2}) rotate(-90)" text-anchor="middle" class="axis-label">${STYLE[kind].label}</text>`);
  return parts.join('\n');
}

function timeGrid(x: ScaleTime<number, number>): string {
  return dayTicks(x)
    .map((d) => `<line x1="${num(x(d))}" y1="${PANELS.stars.top}" x2="${num(x(d))}" y2="${AXIS_Y}" class="grid"/>`)
    .join('\n');
}

function timeAxis(x: ScaleTime<number, number>): string {
  const parts = [`<line x1="${LEFT}" y1="${AXIS_Y}" x2="${RIGHT}" y2="${AXIS_Y}" class="axis"/>`];
  for (const d of dayTicks(x)) {
    parts.push(`<line x1="${num(x(d))}" y1="${AXIS_Y}" x2="${num(x(d))}" y2="${AXIS_Y + 4}" class="axis"/>`);
    parts.push(`<text x="${num(x(d))}" y="${AXIS_Y + 38}" text-anchor="middle" class="tick">${tickDate(d)}</text>`);
  }
  const [start, end] = x.domain() as [Date, Date];
  const years = [...new Set([start.getUTCFullYear(), end.getUTCFullYear()])].join('–');
  parts.push(`<text x="${(LEFT + RIGHT) / 2}" y="${AXIS_Y + 58}" text-anchor="middle" class="axis-label">date (UTC, ${years})</text>`);
  return parts.join('\n');
}

/** Releases: a triangle with "R" under the time axis per day, the tags in its tooltip. */
function releaseMarks(releases: ChartInput['releases'], x: ScaleTime<number, number>): string[] {
  const byDay = new Map<string, ChartInput['releases']>();
  for (const r of releases) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  return [...byDay].map(([day, list]) => {
    const rx = x(toDate(day));
    const tags = list.map((r) => r.tag);
    const title = `Release ${list.map((r) => `${r.tag} (${r.repo})`).join(', ')} on ${day}`;
    return (
      `<g class="release" data-day="${day}" data-tags="${e(tags.join(' '))}"><title>${e(title)}</title>` +
      `<path d="M${num(rx)},${AXIS_Y + 1} l-6,11 h12 z" class="release-mark"/>` +
      `<text x="${num(rx)}" y="${AXIS_Y + 23}" text-anchor="middle" class="release-label">R</text></g>`
    );
  });
}

/** A maturity change: a dotted rule through both panels, labelled with the new level. */
function maturityRule(change: ChartInput['maturityChanges'][number], x: ScaleTime<number, number>): string {
  const mx = x(toDate(change.day));
  const anchor = mx > RIGHT - 110 ? 'end' : 'start';
  const label = `→ ${change.to}`;
  return (
    `<g class="maturity-change" data-day="${change.day}" data-to="${e(change.to)}"><title>${e(`CNCF maturity ${change.from} → ${change.to} on ${change.day}`)}</title>` +
    `<line x1="${num(mx)}" y1="${PANELS.stars.top - 4}" x2="${num(mx)}" y2="${AXIS_Y}" class="maturity-rule"/>` +
    `<text x="${num(mx + (anchor === 'start' ? 3 : -3))}" y="${PANELS.stars.top - 7}" text-anchor="${anchor}" class="maturity-label">${e(label)}</text></g>`
  );
}

function legend(id: string): string {
  const y = 16;
  const items = [
    { x: 0, mark: `<line x1="0" y1="0" x2="18" y2="0" stroke="${STYLE.stars.colour}" stroke-width="2"/><circle cx="9" cy="0" r="2.6" fill="${STYLE.stars.colour}"/>`, text: 'stars' },
    { x: 62, mark: `<line x1="0" y1="0" x2="18" y2="0" stroke="${STYLE.forks.colour}" stroke-width="2"/><rect x="6.5" y="-2.5" width="5" height="5" fill="${STYLE.forks.colour}"/>`, text: 'forks' },
    { x: 124, mark: `<line x1="0" y1="0" x2="22" y2="0" stroke="#555" stroke-width="1.6" stroke-dasharray="5 4"/>`, text: 'interpolated' },
    { x: 232, mark: `<rect x="0" y="-6" width="18" height="12" fill="url(#${e(id)}-hatch)" stroke="#a8a8a8"/>`, text: 'no data' },
    { x: 316, mark: `<path d="M9,-6 l-6,11 h12 z" class="release-mark"/>`, text: 'release' },
    { x: 392, mark: `<line x1="9" y1="-8" x2="9" y2="8" class="maturity-rule"/>`, text: 'maturity change' },
  ];
  return (
    `<g class="legend" transform="translate(${LEFT} ${y})">` +
    items.map((i) => `<g transform="translate(${i.x} 0)">${i.mark}<text x="${i.text === 'interpolated' ? 27 : 23}" y="0" dy="0.32em" class="legend-label">${i.text}</text></g>`).join('') +
    '</g>'
  );
}

/** One line segment per stretch of known days: solid between observed (or listed) days, dashed where interpolated. */
function segments(points: SeriesPoint[]): Array<{ style: 'observed' | 'interpolated'; points: SeriesPoint[] }> {
  const out: Array<{ style: 'observed' | 'interpolated'; points: SeriesPoint[] }> = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as SeriesPoint;
    const b = points[i] as SeriesPoint;
    if (a.value === null || b.value === null) continue;
    const style = a.source === 'interpolated' || b.source === 'interpolated' ? 'interpolated' : 'observed';
    const last = out[out.length - 1];
    if (last && last.style === style && last.points[last.points.length - 1] === a) last.points.push(b);
    else out.push({ style, points: [a, b] });
  }
  return out;
}

/** Consecutive points for which `test` holds. */
function runs(points: SeriesPoint[], test: (p: SeriesPoint) => boolean): SeriesPoint[][] {
  const out: SeriesPoint[][] = [];
  let current: SeriesPoint[] = [];
  for (const p of points) {
    if (test(p)) current.push(p);
    else if (current.length) (out.push(current), (current = []));
  }
  if (current.length) out.push(current);
  return out;
}

function dayTicks(x: ScaleTime<number, number>): Date[] {
  // d3 picks hours for a short domain; the series has one value per UTC day.
  return x.ticks(7).filter((d) => d.getUTCHours() === 0);
}

const halfDay = (x: ScaleTime<number, number>): number => (x(toDate('2000-01-02')) - x(toDate('2000-01-01'))) / 2;
const shift = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** What the chart shows, in words, for screen readers. */
function describe(input: ChartInput): string {
  const count = (source: string) => input.stars.filter((p) => p.source === source).length;
  const ends = (points: SeriesPoint[]) => {
    const known = points.filter((p) => p.value !== null);
    return known.length ? `${formatCount(known[0]?.value ?? null)} on ${known[0]?.day} to ${formatCount(known[known.length - 1]?.value ?? null)} on ${known[known.length - 1]?.day}` : 'no counts';
  };
  const parts = [
    `Stars ${ends(input.stars)}; forks ${ends(input.forks)}.`,
    `${count('observed')} observed days, ${count('interpolated')} interpolated, ${count('list')} from the stargazer list, ${count('none')} without data.`,
  ];
  if (input.releases.length) parts.push(`Releases: ${input.releases.map((r) => `${r.tag} (${r.repo}) on ${r.day}`).join(', ')}.`);
  if (input.maturityChanges.length) parts.push(`Maturity: ${input.maturityChanges.map((c) => `${c.from} → ${c.to} on ${c.day}`).join(', ')}.`);
  return parts.join(' ');
}
