import type { AlertRow } from './store.js';

/** github.com for api.github.com; https://HOST for GitHub Enterprise Server's https://HOST/api/v3. */
export function githubWebUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return `${url.protocol}//${url.host}`;
}

const SIGNAL_WORDS: Record<string, { one: string; many: string }> = {
  stars: { one: 'star', many: 'stars' },
  forks: { one: 'fork', many: 'forks' },
  new_contributors: { one: 'new contributor', many: 'new contributors' },
};

/** What a receiver gets: the alert with its evidence, links, and one readable line. */
export interface AlertPayload {
  type: 'greenshoots.alert' | 'greenshoots.test';
  idempotency_key: string;
  text: string;
  alert: {
    id: number | null;
    kind: string;
    signal: string;
    escalation: boolean;
    repo: string | null;
    repo_url: string | null;
    project: string | null;
    project_url: string | null;
    window: { days: number | null; start: string | null; end: string | null };
    observed: number | null;
    expected: number | null;
    ratio: number | null;
    p_value: number | null;
    score: number | null;
    baseline: { days: number | null; mean_per_day: number | null; nb_size: number | null };
    thresholds: Record<string, unknown>;
    details: Record<string, unknown>;
    episode_key: string;
    created_at: string;
  };
}

/** The payload of a stored alert. */
export function alertPayload(alert: AlertRow, githubUrl: string): AlertPayload {
  const details = alert.details ?? {};
  const repoUrl = alert.repo ? `${githubUrl}/${alert.repo}` : null;
  const projectUrl = typeof details['project_url'] === 'string' ? (details['project_url'] as string) : null;
  const payload: AlertPayload = {
    type: 'greenshoots.alert',
    idempotency_key: alert.idempotency_key,
    text: '',
    alert: {
      id: alert.id,
      kind: alert.kind,
      signal: alert.signal,
      escalation: alert.escalation,
      repo: alert.repo,
      repo_url: repoUrl,
      project: alert.project,
      project_url: projectUrl,
      window: { days: alert.window_days, start: alert.window_start, end: alert.window_end },
      observed: alert.observed,
      expected: round(alert.expected, 2),
      ratio: round(alert.ratio, 2),
      p_value: alert.p_value,
      score: round(alert.score, 1),
      baseline: { days: alert.baseline_days, mean_per_day: round(alert.baseline_mean, 2), nb_size: round(alert.baseline_size, 2) },
      thresholds: alert.thresholds ?? {},
      details,
      episode_key: alert.episode_key,
      created_at: new Date(alert.created_at).toISOString(),
    },
  };
  payload.text = describeAlert(payload.alert);
  return payload;
}

/** One readable sentence with the numbers (links are added per channel). */
export function describeAlert(a: AlertPayload['alert']): string {
  const who = a.repo ? `${a.repo}${a.project && a.project !== a.repo ? ` (${a.project})` : ''}` : (a.project ?? 'unknown');
  const d = a.details;
  switch (a.kind) {
    case 'spike':
    case 'breakout': {
      const words = SIGNAL_WORDS[a.signal] ?? { one: a.signal, many: a.signal };
      const n = a.observed ?? 0;
      const perDay = a.baseline.mean_per_day ?? 0;
      const what =
        a.kind === 'spike'
          ? `one-day ${words.one} spike: +${n} ${n === 1 ? words.one : words.many} on ${a.window.end}`
          : `sustained ${words.one} breakout: +${n} ${n === 1 ? words.one : words.many} in the ${a.window.days} days to ${a.window.end}`;
      return (
        `${a.escalation ? 'Escalated — ' : ''}${who}: ${what}, ${formatNumber(a.ratio)}× the expected ${formatNumber(a.expected)} ` +
        `(baseline ${formatNumber(perDay)}/day over ${a.baseline.days} days; p = ${formatP(a.p_value)})`
      );
    }
    case 'maturity_change':
      return `${a.project ?? who}: CNCF maturity ${String(d['from'])} → ${String(d['to'])}${d['effective_on'] ? ` (effective ${String(d['effective_on'])})` : ''}`;
    case 'first_release':
      return `${who}: first release ${String(d['tag'])} on ${a.window.end}`;
    case 'major_release':
      return `${who}: new major version ${String(d['tag'])} on ${a.window.end} (previous: ${String(d['previous_tag'])})`;
    default:
      return `${who}: ${a.kind}`;
  }
}

/** Slack mrkdwn: the sentence plus links to the repo and the project. */
export function slackText(payload: AlertPayload): string {
  const a = payload.alert;
  const links = [
    a.repo_url ? `<${a.repo_url}|${a.repo}>` : null,
    a.project_url ? `<${a.project_url}|${a.project ?? 'project'}>` : null,
  ].filter((l): l is string => l !== null);
  const title = payload.type === 'greenshoots.test' ? '*greenshoots test message*' : '*greenshoots alert*';
  return `${title}\n${payload.text}${links.length > 0 ? `\n${links.join(' · ')}` : ''}\n_key ${payload.idempotency_key}_`;
}

function round(value: number | null, digits: number): number | null {
  if (value === null || !Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function formatNumber(value: number | null): string {
  if (value === null) return '?';
  if (value >= 100) return String(Math.round(value));
  if (value >= 10) return value.toFixed(1).replace(/\.0$/, '');
  return value.toFixed(2).replace(/\.?0+$/, '') || '0';
}

function formatP(p: number | null): string {
  if (p === null) return '?';
  if (p === 0) return '< 1e-300';
  return p < 0.001 ? p.toExponential(0) : p.toFixed(3);
}
