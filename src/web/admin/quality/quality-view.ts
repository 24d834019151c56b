import { scoreEvaluation } from '../../../quality/evaluation-scoring';
import type { QualityForm, ReportRow } from './quality-api';

/*
 * The quality screens' decisions without the DOM: the live score preview,
 * the picker's query, offsets into a recording, the report's trend series.
 * Kept free of preact and the i18n module so unit tests run them in Node.
 */

/** Scores typed so far, by criterion id; undefined = not scored yet. */
export type ScoreDraft = Readonly<Record<string, number | undefined>>;

export interface ScorePreview {
  /** The weighted percent (one decimal) the server would store, counting criteria not scored yet as 0. */
  percent: number;
  /** Criteria not scored yet, in form order: the server refuses the evaluation until there are none. */
  missing: string[];
  /** A critical criterion scored 0. */
  criticalFailed: boolean;
  /** Whether it would pass as it stands: all scored, at or above the pass mark, no critical failure. */
  passes: boolean;
}

/**
 * The total the reviewer sees while scoring, from the server's own scoring
 * core (src/quality/evaluation-scoring.ts, bundled on purpose like the routing
 * core the editors run), so the preview and the stored total cannot differ.
 */
export function previewScore(form: QualityForm, scores: ScoreDraft): ScorePreview {
  const given = new Map<string, number>();
  const missing: string[] = [];
  for (const c of form.criteria) {
    const score = scores[c.id];
    if (score === undefined || !Number.isFinite(score)) missing.push(c.id);
    else given.set(c.id, score);
  }
  const outcome = scoreEvaluation(form, given);
  return { percent: outcome.totalPercent, missing, criticalFailed: outcome.criticalFailed, passes: outcome.passed && missing.length === 0 };
}

/** The share of the total each criterion carries, in percent with one decimal (the form editor shows it beside the weight). */
export function weightShares(form: QualityForm): number[] {
  const total = form.criteria.reduce((sum, c) => sum + (c.weight > 0 ? c.weight : 0), 0);
  return form.criteria.map((c) => (total > 0 && c.weight > 0 ? Math.round((c.weight / total) * 1000) / 10 : 0));
}

/** The picker's filters as the screen holds them (strings straight from the inputs). */
export interface CallFilters {
  /** yyyy-mm-dd, the first day included */
  from: string;
  /** yyyy-mm-dd, the last day included */
  to: string;
  queue: string;
  agentId: string;
  tag: string;
  minSeconds: string;
  maxSeconds: string;
  notEvaluated: boolean;
  /** A random sample of this many calls; empty = the whole list. */
  sample: string;
}

export const NO_FILTERS: CallFilters = { from: '', to: '', queue: '', agentId: '', tag: '', minSeconds: '', maxSeconds: '', notEvaluated: false, sample: '' };

/** Local midnight of a yyyy-mm-dd day, as an ISO instant; `dayAfter` moves to the next midnight (an inclusive last day). */
export function dayStart(day: string, dayAfter = false): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (dayAfter ? 1 : 0));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `GET /api/quality/calls`'s query for the filters: empty fields are left out, days become instants. */
export function callQuery(filters: CallFilters, limit = 50): string {
  const q = new URLSearchParams();
  const from = dayStart(filters.from);
  const to = dayStart(filters.to, true);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  if (filters.queue.trim()) q.set('queue', filters.queue.trim());
  if (/^\d+$/.test(filters.agentId)) q.set('agentId', filters.agentId);
  if (filters.tag.trim()) q.set('tag', filters.tag.trim());
  if (/^\d+$/.test(filters.minSeconds.trim())) q.set('minSeconds', filters.minSeconds.trim());
  if (/^\d+$/.test(filters.maxSeconds.trim())) q.set('maxSeconds', filters.maxSeconds.trim());
  if (filters.notEvaluated) q.set('evaluated', 'false');
  if (/^[1-9]\d*$/.test(filters.sample.trim())) q.set('sample', filters.sample.trim());
  else q.set('limit', String(limit));
  return q.toString();
}

/** The filters read back from a hash route's query (so a filtered list survives opening a call and coming back). */
export function filtersFromQuery(query: URLSearchParams): CallFilters {
  const get = (key: keyof CallFilters): string => query.get(key) ?? '';
  return {
    from: get('from'), to: get('to'), queue: get('queue'), agentId: get('agentId'), tag: get('tag'),
    minSeconds: get('minSeconds'), maxSeconds: get('maxSeconds'), notEvaluated: query.get('notEvaluated') === '1', sample: get('sample'),
  };
}

export function filtersToQuery(filters: CallFilters): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (key === 'notEvaluated') {
      if (value === true) q.set(key, '1');
    } else if (typeof value === 'string' && value !== '') q.set(key, value);
  }
  return q.toString();
}

/** A criterion id for a new row that no other criterion of the form has: criterion_2, criterion_3, … */
export function newCriterionId(form: QualityForm): string {
  let n = form.criteria.length + 1;
  while (form.criteria.some((c) => c.id === `criterion_${n}`)) n += 1;
  return `criterion_${n}`;
}

export interface TrendSeries {
  /** Bucket starts (yyyy-mm-dd), oldest first. */
  buckets: string[];
  /** Per agent: the average percent of each bucket, null where they had no evaluation. */
  agents: Array<{ agentId: number | null; agentName: string; values: Array<number | null> }>;
}

/** The report's rows as one line per agent over the buckets, for the trend chart. */
export function trendSeries(rows: readonly ReportRow[]): TrendSeries {
  const buckets = [...new Set(rows.map((r) => r.bucketStart.slice(0, 10)))].sort();
  const byAgent = new Map<number | null, { agentName: string; values: Array<number | null> }>();
  for (const row of rows) {
    const entry = byAgent.get(row.agentId) ?? { agentName: row.agentName ?? '—', values: buckets.map(() => null) };
    entry.values[buckets.indexOf(row.bucketStart.slice(0, 10))] = row.averagePercent;
    byAgent.set(row.agentId, entry);
  }
  const agents = [...byAgent.entries()].map(([agentId, e]) => ({ agentId, ...e })).sort((a, b) => a.agentName.localeCompare(b.agentName));
  return { buckets, agents };
}

/** Every criterion the report's rows mention, in the order first seen: the table's criterion columns. */
export function reportCriteria(rows: readonly ReportRow[]): Array<{ criterionId: string; label: string }> {
  const seen = new Map<string, string>();
  for (const row of rows) for (const c of row.criteria) if (!seen.has(c.criterionId)) seen.set(c.criterionId, c.label);
  return [...seen.entries()].map(([criterionId, label]) => ({ criterionId, label }));
}

/**
 * A validator path in one spelling, `criteria[0].weight`, whether the server
 * wrote it as a JSON pointer (`/criteria/0/weight`) or dotted (`criteria.0.weight`).
 */
export function normalisePath(path: string): string {
  return path.replace(/^(body\/)?(document\/)?\/?/, '').replace(/[/.](\d+)(?=[/.[]|$)/g, '[$1]').replace(/\//g, '.');
}

/** The messages about one criterion (or one of its fields) among the validator's issues. */
export function criterionIssues(issues: ReadonlyArray<{ path: string; message: string }>, index: number, field?: string): string[] {
  const prefix = `criteria[${index}]${field ? `.${field}` : ''}`;
  return issues.filter((i) => {
    const path = normalisePath(i.path);
    return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
  }).map((i) => i.message);
}
