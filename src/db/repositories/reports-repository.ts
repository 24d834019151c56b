import { queueReportRow, type QueueReportRow } from '../../reports/queue-metrics';
import { agentReportRow, type AgentReportRow } from '../../reports/agent-metrics';
import {
  addAgentCounters, addQueueCounters, agentAggregateOf, bigintOf, safeCount,
  queueAggregateOf, type AgentCounters, type QueueCounters,
} from '../../reports/report-counters';
import type { ReportPeriod } from '../../reports/report-period';
import { dayBlocks, serviceLevelGridIndex, splitForRollups, type RollupSplit, type TimeRange } from '../../reports/report-rollups';
import { inTransaction, type Db, type Queryable } from '../pool';
import { readRollupState } from './report-rollups-repository';
import { SqlParams, agentCountersCtes, bucketLocalOf, bucketOf, queueCountersCtes, sqlScope, stateColumn, type SqlScope } from './report-sql';

/**
 * Report queries. The heavy lifting is done in SQL: counters are added up per
 * (queue or agent, bucket), so a year of calls never travels to Node — only
 * one row per group does. src/reports turns the counters into the figures.
 *
 * Two sources, one result: closed whole hours come from the hourly rollups
 * (report-rollups-repository.ts) when they can answer the request, the rest —
 * a period's partial first and last hour, the still-open hour — from the raw
 * rows, and the counters of both are added up per bucket before anything is
 * rounded. The result is exactly the raw query's (report-rollups.test.ts).
 * The agent report also takes whole local days from the daily agent rows
 * (each the sum of its hours) where a day lies in one bucket of the report.
 */

/**
 * Runs report queries in one read-only transaction on one snapshot (the
 * rollups and the raw rows they are combined with must be seen at the same
 * instant), with more memory per sort and hash: a year's GROUP BY otherwise
 * spills to disk at the default 4 MB. A handful of supervisors run reports,
 * so the extra memory is bounded; SET LOCAL ends with the transaction.
 */
export async function withReportSession<T>(db: Db, work: (q: Queryable) => Promise<T>): Promise<T> {
  return inTransaction(db, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await client.query("SET LOCAL work_mem = '64MB'");
    return work(client);
  });
}

/** Where a report's figures came from. */
export type ReportSource =
  | { kind: 'raw'; reason: string }
  /** `days`: how many whole days of `split.hours` came from the daily rows (agent report). */
  | { kind: 'rollups'; split: RollupSplit; days?: number };

/** `auto`: rollups when they can answer exactly, else raw rows; `raw`: raw rows only (comparisons, benchmarks). */
export interface ReportOptions {
  source?: 'auto' | 'raw';
}

/**
 * Whether the hourly rollups can answer this period, and which parts of it.
 * They can when the job has sealed at least one whole hour inside it, the
 * service-level threshold (queue report) is on their 5 s grid, and every
 * rolled-up hour lies in one bucket of the report: the zone's offset is a
 * whole number of hours throughout (not Asia/Kolkata, not Lord Howe's
 * half-hour DST), checked by Postgres hour by hour over the period.
 */
export async function planReport(q: Queryable, period: ReportPeriod, options: { slSeconds?: number } = {}): Promise<ReportSource> {
  if (options.slSeconds !== undefined && serviceLevelGridIndex(options.slSeconds) === null) {
    return { kind: 'raw', reason: `service-level threshold ${options.slSeconds} s is not a multiple of 5 s up to 120 s` };
  }
  const state = await readRollupState(q);
  if (state === null) return { kind: 'raw', reason: 'no rollups yet' };
  const split = splitForRollups(period, state.sealedUntil);
  if (split === null) return { kind: 'raw', reason: 'no whole rolled-up hour in the period' };
  if (!(await hoursFitBuckets(q, split.hours, period))) {
    return { kind: 'raw', reason: `${period.timeZone}'s offset is not a whole number of hours throughout the period` };
  }
  return { kind: 'rollups', split };
}

/** True when each UTC hour of `hours` lies in one bucket of the period's interval and zone. */
async function hoursFitBuckets(q: Queryable, hours: TimeRange, period: ReportPeriod): Promise<boolean> {
  const { rows } = await q.query<{ ok: boolean | null }>(
    `SELECT bool_and(
              extract(epoch FROM (h AT TIME ZONE $4::text) - (h AT TIME ZONE 'UTC')) % 3600 = 0
          AND extract(epoch FROM (hour_end AT TIME ZONE $4::text) - (hour_end AT TIME ZONE 'UTC')) % 3600 = 0
          AND date_trunc($3::text, h, $4::text) = date_trunc($3::text, hour_end, $4::text)) AS ok
     FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') AS h
     CROSS JOIN LATERAL (SELECT h + interval '59:59.999999' AS hour_end) l`,
    [hours.from, hours.to, period.interval, period.timeZone],
  );
  return rows[0]?.ok === true;
}

/** Counters per key and bucket (its start in epoch milliseconds), from however many sources, added up exactly. */
class BucketTable<K extends string | number, C> {
  // Key, then bucket: no composite string key to build and hash for each of a year's ~73,000 rows.
  private readonly entries = new Map<K, Map<number, { key: K; bucketMs: number; bucketLocal: string; counters: C }>>();

  constructor(private readonly addInto: (into: C, more: C) => void) {}

  /** Adds `counters` (the table may keep the object: pass a fresh one). */
  add(key: K, bucketMs: number, bucketLocal: string, counters: C): void {
    let buckets = this.entries.get(key);
    if (!buckets) {
      buckets = new Map();
      this.entries.set(key, buckets);
    }
    const entry = buckets.get(bucketMs);
    if (entry) this.addInto(entry.counters, counters);
    else buckets.set(bucketMs, { key, bucketMs, bucketLocal, counters });
  }

  keys(): K[] {
    return [...this.entries.keys()];
  }

  values(): Array<{ key: K; bucketMs: number; bucketLocal: string; counters: C }> {
    const all: Array<{ key: K; bucketMs: number; bucketLocal: string; counters: C }> = [];
    for (const buckets of this.entries.values()) for (const entry of buckets.values()) all.push(entry);
    return all;
  }
}

/** The period with another range, same buckets. */
const within = (period: ReportPeriod, range: TimeRange): ReportPeriod => ({ ...period, from: range.from, to: range.to });

// ---------------------------------------------------------------------------------------------- queue

export interface QueueReportFilter {
  /** Only this queue (queues.name). */
  queue?: string | null;
  /** Service-level threshold T in seconds. */
  slSeconds: number;
}

interface QueueCountersRow {
  queue: string;
  bucket: Date;
  bucket_local: string;
  offered: number; answered: number; answered_within_sl: number; abandoned: number; short_abandoned: number;
  abandoned_after_sl: number; callbacks_requested: number; overflowed: number; answer_wait_ms: number; talk_ms: number;
  hold_ms: number; longest_wait_ms: number | null; wrap_up_us: string | null;
}

const QUEUE_SUMS = `sum(offered)::int AS offered, sum(answered)::int AS answered, sum(abandoned)::int AS abandoned,
       sum(short_abandoned)::int AS short_abandoned, sum(callbacks_requested)::int AS callbacks_requested, sum(overflowed)::int AS overflowed,
       sum(answer_wait_ms)::bigint AS answer_wait_ms, sum(talk_ms)::bigint AS talk_ms, sum(hold_ms)::bigint AS hold_ms,
       max(longest_wait_ms) AS longest_wait_ms, sum(wrap_up_us)::text AS wrap_up_us`;

function queueCountersOf(r: QueueCountersRow): QueueCounters {
  return {
    offered: r.offered, answered: r.answered, answeredWithinSl: r.answered_within_sl, abandoned: r.abandoned,
    shortAbandoned: r.short_abandoned, abandonedAfterSl: r.abandoned_after_sl, callbacksRequested: r.callbacks_requested,
    overflowed: r.overflowed, answerWaitMs: r.answer_wait_ms, talkMs: r.talk_ms, holdMs: r.hold_ms,
    longestWaitMs: r.longest_wait_ms, wrapUpUs: bigintOf(r.wrap_up_us),
  };
}

/** Queue counters of a period straight from the calls and events. */
async function rawQueueCounters(q: Queryable, period: ReportPeriod, filter: QueueReportFilter): Promise<QueueCountersRow[]> {
  const p = new SqlParams();
  const s = sqlScope(p, period);
  const ctes = queueCountersCtes(s, { queue: filter.queue ?? null, sl: { kind: 'threshold', ms: filter.slSeconds * 1000 } });
  const { rows } = await q.query<QueueCountersRow>(
    `WITH ${ctes}
     SELECT queue, bucket, ${bucketLocalOf(s, 'bucket')} AS bucket_local, ${QUEUE_SUMS},
       sum(answered_within_sl)::int AS answered_within_sl, sum(abandoned_after_sl)::int AS abandoned_after_sl
     FROM q_parts GROUP BY 1, 2`,
    p.values,
  );
  return rows;
}

/**
 * The hours buckets are made of, each with its bucket: date_trunc in the zone
 * runs once per hour of the period rather than once per rollup row.
 */
function hourBuckets(s: SqlScope, hours: TimeRange): string {
  const p = s.p;
  return `hours AS (
       SELECT h, ${bucketOf(s, 'h')} AS bucket
       FROM generate_series(${p.add(hours.from, 'timestamptz')}, ${p.add(hours.to, 'timestamptz')} - interval '1 hour', interval '1 hour') AS h
     )`;
}

/** Queue counters of whole rolled-up hours, regrouped into the period's buckets. */
async function rollupQueueCounters(q: Queryable, period: ReportPeriod, hours: TimeRange, filter: QueueReportFilter): Promise<QueueCountersRow[]> {
  const k = serviceLevelGridIndex(filter.slSeconds);
  if (k === null) throw new Error(`rollups cannot answer a ${filter.slSeconds} s service level`);
  const p = new SqlParams();
  const s = sqlScope(p, within(period, hours));
  const queue = filter.queue ?? null;
  const { rows } = await q.query<QueueCountersRow>(
    `WITH ${hourBuckets(s, hours)}
     SELECT r.queue, hours.bucket, ${bucketLocalOf(s, 'hours.bucket')} AS bucket_local, ${QUEUE_SUMS},
       sum(r.answered_within[${p.add(k, 'int')}])::int AS answered_within_sl,
       sum(r.abandoned_after[${p.add(k, 'int')}])::int AS abandoned_after_sl
     FROM report_queue_hours r JOIN hours ON hours.h = r.hour
     WHERE r.hour >= ${s.from} AND r.hour < ${s.to} ${queue === null ? '' : `AND r.queue = ${p.add(queue, 'text')}`}
     GROUP BY 1, 2`,
    p.values,
  );
  return rows;
}

/** The queue report: one row per queue per bucket that had calls, ordered by queue then time. */
export async function queueReport(q: Queryable, period: ReportPeriod, filter: QueueReportFilter, options: ReportOptions = {}): Promise<QueueReportRow[]> {
  return (await queueReportWithSource(q, period, filter, options)).rows;
}

/** As queueReport, saying where the figures came from. */
export async function queueReportWithSource(
  q: Queryable, period: ReportPeriod, filter: QueueReportFilter, options: ReportOptions = {},
): Promise<{ rows: QueueReportRow[]; source: ReportSource }> {
  const source: ReportSource = options.source === 'raw'
    ? { kind: 'raw', reason: 'raw rows asked for' }
    : await planReport(q, period, { slSeconds: filter.slSeconds });
  const parts: QueueCountersRow[][] = [];
  if (source.kind === 'raw') {
    parts.push(await rawQueueCounters(q, period, filter));
  } else {
    const { head, hours, tail } = source.split;
    if (head) parts.push(await rawQueueCounters(q, within(period, head), filter));
    parts.push(await rollupQueueCounters(q, period, hours, filter));
    if (tail) parts.push(await rawQueueCounters(q, within(period, tail), filter));
  }

  const table = new BucketTable<string, QueueCounters>(addQueueCounters);
  for (const r of parts.flat()) table.add(r.queue, r.bucket.getTime(), r.bucket_local, queueCountersOf(r));
  const rows = table.values()
    .sort((a, b) => (a.key === b.key ? a.bucketMs - b.bucketMs : a.key < b.key ? -1 : 1))
    .map((g) => queueReportRow({ queue: g.key, bucketStart: new Date(g.bucketMs).toISOString(), bucketLocal: g.bucketLocal }, queueAggregateOf(g.counters)));
  return { rows, source };
}

// ---------------------------------------------------------------------------------------------- agent

export interface AgentReportFilter {
  /** Only this staff member. */
  agentId?: number | null;
}

/**
 * One agent's counters in one bucket as SQL gives them: the bucket's start in
 * epoch milliseconds and the counters packed into one text (PACKED_COUNTERS).
 * A year by day is ~73,000 rows, and reading them as ten columns of their own
 * cost more than computing them: node-postgres builds every field of every row.
 */
interface PackedAgentRow {
  agent_id: number;
  bucket_ms: number;
  bucket_local: string;
  counters: string;
}

/** A bucket's counters before they are added up with other sources' counters for the same agent and bucket. */
interface AgentBucketCounters {
  agentId: number;
  bucketMs: number;
  bucketLocal: string;
  counters: AgentCounters;
}

/** The counter columns, in the order they are packed (agentCountersOfPacked reads them in this order). */
const PACKED_COUNTERS = [
  'handled', 'missed', 'single_talk_ms', 'single_hold_ms', 'shared_talk_us', 'shared_hold_us',
  stateColumn('ready'), stateColumn('reserved'), stateColumn('not_ready'), stateColumn('wrap_up'),
] as const;

/**
 * The counters as decimal integers joined by commas: exact whatever their
 * size (sums of bigint are numeric). `column` maps a column name to the
 * expression that yields it; COALESCE keeps every position filled.
 */
const packCounters = (column: (name: string) => string): string =>
  `concat_ws(',', ${PACKED_COUNTERS.map((c) => `COALESCE(${column(c)}, 0)`).join(', ')})`;

const packed = new Float64Array(PACKED_COUNTERS.length);

/**
 * Reads the packed counters digit by digit: no substring per field (a year's
 * report has ~730,000 of them), no closure. A field past 2^53 comes out
 * ≥ 2^53 and is refused, as safeCount refuses it.
 */
function agentCountersOfPacked(text: string): AgentCounters {
  let field = 0;
  let value = 0;
  let digits = 0;
  let negative = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 44 && digits > 0 && field < packed.length) {
      packed[field++] = negative ? -value : value;
      value = 0;
      digits = 0;
      negative = false;
    } else if (c === 45 && digits === 0 && !negative) {
      negative = true;
    } else {
      throw new Error(`agent counters "${text}" are not ${packed.length} integers`);
    }
  }
  if (field !== packed.length) throw new Error(`agent counters "${text}" are not ${packed.length} integers`);
  for (const v of packed) if (!Number.isSafeInteger(v)) safeCount(String(v));
  return {
    handled: packed[0]!,
    missed: packed[1]!,
    singleTalkMs: packed[2]!,
    singleHoldMs: packed[3]!,
    sharedTalkUs: packed[4]!,
    sharedHoldUs: packed[5]!,
    stateUs: { ready: packed[6]!, reserved: packed[7]!, not_ready: packed[8]!, wrap_up: packed[9]! },
  };
}

/** A bucket's start as epoch milliseconds (the INT8 reader gives a number; exact far beyond any date). */
const BUCKET_MS = (expr: string): string => `(extract(epoch FROM ${expr}) * 1000)::bigint`;

function unpackAgentRows(rows: readonly PackedAgentRow[]): AgentBucketCounters[] {
  return rows.map((r) => ({ agentId: r.agent_id, bucketMs: r.bucket_ms, bucketLocal: r.bucket_local, counters: agentCountersOfPacked(r.counters) }));
}

async function rawAgentCounters(q: Queryable, period: ReportPeriod, filter: AgentReportFilter): Promise<AgentBucketCounters[]> {
  const p = new SqlParams();
  const s = sqlScope(p, period);
  const ctes = agentCountersCtes(s, { agentId: filter.agentId ?? null });
  const { rows } = await q.query<PackedAgentRow>(
    `WITH RECURSIVE ${ctes}
     SELECT agent_id, ${BUCKET_MS('bucket')} AS bucket_ms, ${bucketLocalOf(s, 'bucket')} AS bucket_local, ${packCounters((c) => `sum(${c})`)} AS counters
     FROM a_parts GROUP BY agent_id, bucket`,
    p.values,
  );
  return unpackAgentRows(rows);
}

/** A built day that lies in one bucket of the report, with that bucket. */
interface UsableDay extends TimeRange {
  bucketMs: number;
  bucketLocal: string;
}

/**
 * The built days (report_rollup_days) inside `hours` that each lie in one
 * bucket of the period — none when the report is by the hour, or when its
 * zone's midnights are not the days' (a UTC report over Moscow days).
 */
async function usableDays(q: Queryable, period: ReportPeriod, hours: TimeRange): Promise<UsableDay[]> {
  if (period.interval === 'hour') return [];
  const p = new SqlParams();
  const s = sqlScope(p, within(period, hours));
  const { rows } = await q.query<{ day_start: Date; day_end: Date; bucket_ms: number; bucket_local: string }>(
    `SELECT day_start, day_end, ${BUCKET_MS(bucketOf(s, 'day_start'))} AS bucket_ms, ${bucketLocalOf(s, bucketOf(s, 'day_start'))} AS bucket_local
     FROM report_rollup_days
     WHERE day_start >= ${s.from} AND day_end <= ${s.to}
       AND ${bucketOf(s, 'day_start')} = ${bucketOf(s, "day_end - interval '1 microsecond'")}
     ORDER BY day_start`,
    p.values,
  );
  return rows.map((r) => ({ from: r.day_start, to: r.day_end, bucketMs: r.bucket_ms, bucketLocal: r.bucket_local }));
}

/**
 * Agent counters of whole rolled-up hours in the period's buckets: whole days
 * from the daily rows where a day lies in one bucket, the hours around them
 * from the hourly rows. The hours are added up per bucket in SQL (a year of
 * them is ~900,000 rows), each hour's bucket computed once (MATERIALIZED), not
 * once per agent row; the day rows come as they are, one per agent and day,
 * and are added up with the rest in Node — a GROUP BY of ~73,000 rows into as
 * many groups would cost more than it saves. Both come in report order, so
 * that sorting the report is a merge of ordered runs.
 */
async function rollupAgentCounters(
  q: Queryable, period: ReportPeriod, hours: TimeRange, filter: AgentReportFilter,
): Promise<{ rows: AgentBucketCounters[]; days: number }> {
  const days = await usableDays(q, period, hours);
  const blocks = dayBlocks(hours, days);
  const agent = filter.agentId ?? null;
  const rows: AgentBucketCounters[] = [];
  if (blocks.hours.length > 0) {
    const p = new SqlParams();
    const s = sqlScope(p, within(period, hours));
    const { rows: hourRows } = await q.query<PackedAgentRow>(
      `WITH hour_buckets AS MATERIALIZED (
         SELECT h, ${bucketOf(s, 'h')} AS bucket
         FROM unnest(${p.add(blocks.hours.map((r) => r.from), 'timestamptz[]')}, ${p.add(blocks.hours.map((r) => r.to), 'timestamptz[]')}) AS g(f, t)
         CROSS JOIN LATERAL generate_series(g.f, g.t - interval '1 hour', interval '1 hour') AS h
       )
       SELECT r.agent_id, ${BUCKET_MS('b.bucket')} AS bucket_ms, ${bucketLocalOf(s, 'b.bucket')} AS bucket_local,
              ${packCounters((c) => `sum(r.${c})`)} AS counters
       FROM report_agent_hours r JOIN hour_buckets b ON b.h = r.hour
       WHERE r.hour >= ${s.from} AND r.hour < ${s.to} ${agent === null ? '' : `AND r.agent_id = ${p.add(agent, 'int')}`}
       GROUP BY r.agent_id, b.bucket
       ORDER BY r.agent_id, b.bucket`,
      p.values,
    );
    rows.push(...unpackAgentRows(hourRows));
  }
  if (blocks.days.length > 0) {
    const bucketOfDay = new Map(days.map((d) => [d.from.getTime(), d]));
    const p = new SqlParams();
    const { rows: dayRows } = await q.query<{ agent_id: number; day_ms: number; counters: string }>(
      `SELECT agent_id, ${BUCKET_MS('day_start')} AS day_ms, ${packCounters((c) => c)} AS counters
       FROM report_agent_days
       WHERE day_start = ANY(${p.add(blocks.days.map((d) => d.from), 'timestamptz[]')})
         ${agent === null ? '' : `AND agent_id = ${p.add(agent, 'int')}`}
       ORDER BY agent_id, day_start`,
      p.values,
    );
    for (const r of dayRows) {
      const day = bucketOfDay.get(r.day_ms);
      if (!day) throw new Error(`daily agent row for an unexpected day ${new Date(r.day_ms).toISOString()}`);
      rows.push({ agentId: r.agent_id, bucketMs: day.bucketMs, bucketLocal: day.bucketLocal, counters: agentCountersOfPacked(r.counters) });
    }
  }
  return { rows, days: blocks.days.length };
}

/** The agent report: one row per agent per bucket with any call or state time, ordered by agent then time. */
export async function agentReport(q: Queryable, period: ReportPeriod, filter: AgentReportFilter, options: ReportOptions = {}): Promise<AgentReportRow[]> {
  return (await agentReportWithSource(q, period, filter, options)).rows;
}

/** As agentReport, saying where the figures came from. */
export async function agentReportWithSource(
  q: Queryable, period: ReportPeriod, filter: AgentReportFilter, options: ReportOptions = {},
): Promise<{ rows: AgentReportRow[]; source: ReportSource }> {
  let source: ReportSource = options.source === 'raw' ? { kind: 'raw', reason: 'raw rows asked for' } : await planReport(q, period);
  const parts: AgentBucketCounters[][] = [];
  if (source.kind === 'raw') {
    parts.push(await rawAgentCounters(q, period, filter));
  } else {
    const { head, hours, tail } = source.split;
    if (head) parts.push(await rawAgentCounters(q, within(period, head), filter));
    const rolled = await rollupAgentCounters(q, period, hours, filter);
    parts.push(rolled.rows);
    source = { ...source, days: rolled.days };
    if (tail) parts.push(await rawAgentCounters(q, within(period, tail), filter));
  }

  const table = new BucketTable<number, AgentCounters>(addAgentCounters);
  for (const part of parts) {
    for (const r of part) table.add(r.agentId, r.bucketMs, r.bucketLocal, r.counters);
  }
  const ids = table.keys();
  const names = new Map<number, string>();
  if (ids.length > 0) {
    const { rows } = await q.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff WHERE id = ANY($1::int[])', [ids]);
    for (const r of rows) names.set(r.id, r.full_name);
  }
  // Every agent has the same few hundred buckets: Date#toISOString once per bucket, not per row (it is slow).
  const isoOf = new Map<number, string>();
  const bucketStart = (ms: number): string => {
    let iso = isoOf.get(ms);
    if (iso === undefined) {
      iso = new Date(ms).toISOString();
      isoOf.set(ms, iso);
    }
    return iso;
  };
  const rows = table.values()
    .sort((a, b) => a.key - b.key || a.bucketMs - b.bucketMs)
    .map((g) => agentReportRow(
      { agentId: g.key, agentName: names.get(g.key) ?? null, bucketStart: bucketStart(g.bucketMs), bucketLocal: g.bucketLocal },
      agentAggregateOf(g.counters),
    ));
  return { rows, source };
}
