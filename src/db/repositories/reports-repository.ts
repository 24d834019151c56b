import { queueReportRow, type QueueReportRow } from '../../reports/queue-metrics';
import { agentReportRow, type AgentReportRow } from '../../reports/agent-metrics';
import {
  COUNTED_AGENT_STATES, addAgentCounters, addQueueCounters, agentAggregateOf, bigintOf, emptyAgentCounters,
  queueAggregateOf, type AgentCounters, type CountedAgentState, type QueueCounters,
} from '../../reports/report-counters';
import type { ReportPeriod } from '../../reports/report-period';
import { serviceLevelGridIndex, splitForRollups, type RollupSplit, type TimeRange } from '../../reports/report-rollups';
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
  | { kind: 'rollups'; split: RollupSplit };

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

/** Counters per key and bucket, from however many sources, added up exactly. */
class BucketTable<K extends string | number, C> {
  private readonly entries = new Map<string, { key: K; bucket: Date; bucketLocal: string; counters: C }>();

  constructor(private readonly addInto: (into: C, more: C) => void) {}

  /** Adds `counters` (the table may keep the object: pass a fresh one). */
  add(key: K, bucket: Date, bucketLocal: string, counters: C): void {
    const id = `${key}\u0000${bucket.getTime()}`;
    const entry = this.entries.get(id);
    if (entry) this.addInto(entry.counters, counters);
    else this.entries.set(id, { key, bucket, bucketLocal, counters });
  }

  values(): Array<{ key: K; bucket: Date; bucketLocal: string; counters: C }> {
    return [...this.entries.values()];
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
  for (const r of parts.flat()) table.add(r.queue, r.bucket, r.bucket_local, queueCountersOf(r));
  const rows = table.values()
    .sort((a, b) => (a.key === b.key ? a.bucket.getTime() - b.bucket.getTime() : a.key < b.key ? -1 : 1))
    .map((g) => queueReportRow({ queue: g.key, bucketStart: g.bucket.toISOString(), bucketLocal: g.bucketLocal }, queueAggregateOf(g.counters)));
  return { rows, source };
}

// ---------------------------------------------------------------------------------------------- agent

export interface AgentReportFilter {
  /** Only this staff member. */
  agentId?: number | null;
}

type AgentCountersRow = {
  agent_id: number;
  bucket: Date;
  bucket_local: string;
  handled: number;
  missed: number;
  single_talk_ms: number;
  single_hold_ms: number;
  shared_talk_us: string | null;
  shared_hold_us: string | null;
} & Record<`${CountedAgentState}_us`, string | null>;

const AGENT_SUMS = `sum(handled)::int AS handled, sum(missed)::int AS missed, sum(single_talk_ms)::bigint AS single_talk_ms,
       sum(single_hold_ms)::bigint AS single_hold_ms, sum(shared_talk_us)::text AS shared_talk_us, sum(shared_hold_us)::text AS shared_hold_us,
       ${COUNTED_AGENT_STATES.map((st) => `sum(${stateColumn(st)})::text AS ${stateColumn(st)}`).join(', ')}`;

function agentCountersOf(r: AgentCountersRow): AgentCounters {
  const c = emptyAgentCounters();
  c.handled = r.handled;
  c.missed = r.missed;
  c.singleTalkMs = r.single_talk_ms;
  c.singleHoldMs = r.single_hold_ms;
  c.sharedTalkUs = bigintOf(r.shared_talk_us);
  c.sharedHoldUs = bigintOf(r.shared_hold_us);
  for (const st of COUNTED_AGENT_STATES) c.stateUs[st] = bigintOf(r[`${st}_us`]);
  return c;
}

async function rawAgentCounters(q: Queryable, period: ReportPeriod, filter: AgentReportFilter): Promise<AgentCountersRow[]> {
  const p = new SqlParams();
  const s = sqlScope(p, period);
  const ctes = agentCountersCtes(s, { agentId: filter.agentId ?? null });
  const { rows } = await q.query<AgentCountersRow>(
    `WITH RECURSIVE ${ctes}
     SELECT agent_id, bucket, ${bucketLocalOf(s, 'bucket')} AS bucket_local, ${AGENT_SUMS}
     FROM a_parts GROUP BY 1, 2`,
    p.values,
  );
  return rows;
}

async function rollupAgentCounters(q: Queryable, period: ReportPeriod, hours: TimeRange, filter: AgentReportFilter): Promise<AgentCountersRow[]> {
  const p = new SqlParams();
  const s = sqlScope(p, within(period, hours));
  const agent = filter.agentId ?? null;
  const { rows } = await q.query<AgentCountersRow>(
    `WITH ${hourBuckets(s, hours)}
     SELECT r.agent_id, hours.bucket, ${bucketLocalOf(s, 'hours.bucket')} AS bucket_local, ${AGENT_SUMS}
     FROM report_agent_hours r JOIN hours ON hours.h = r.hour
     WHERE r.hour >= ${s.from} AND r.hour < ${s.to} ${agent === null ? '' : `AND r.agent_id = ${p.add(agent, 'int')}`}
     GROUP BY 1, 2`,
    p.values,
  );
  return rows;
}

/** The agent report: one row per agent per bucket with any call or state time, ordered by agent then time. */
export async function agentReport(q: Queryable, period: ReportPeriod, filter: AgentReportFilter, options: ReportOptions = {}): Promise<AgentReportRow[]> {
  return (await agentReportWithSource(q, period, filter, options)).rows;
}

/** As agentReport, saying where the figures came from. */
export async function agentReportWithSource(
  q: Queryable, period: ReportPeriod, filter: AgentReportFilter, options: ReportOptions = {},
): Promise<{ rows: AgentReportRow[]; source: ReportSource }> {
  const source: ReportSource = options.source === 'raw' ? { kind: 'raw', reason: 'raw rows asked for' } : await planReport(q, period);
  const parts: AgentCountersRow[][] = [];
  if (source.kind === 'raw') {
    parts.push(await rawAgentCounters(q, period, filter));
  } else {
    const { head, hours, tail } = source.split;
    if (head) parts.push(await rawAgentCounters(q, within(period, head), filter));
    parts.push(await rollupAgentCounters(q, period, hours, filter));
    if (tail) parts.push(await rawAgentCounters(q, within(period, tail), filter));
  }

  const table = new BucketTable<number, AgentCounters>(addAgentCounters);
  for (const r of parts.flat()) table.add(r.agent_id, r.bucket, r.bucket_local, agentCountersOf(r));
  const groups = table.values();
  const ids = [...new Set(groups.map((g) => g.key))];
  const names = new Map<number, string>();
  if (ids.length > 0) {
    const { rows } = await q.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff WHERE id = ANY($1::int[])', [ids]);
    for (const r of rows) names.set(r.id, r.full_name);
  }
  const rows = groups
    .sort((a, b) => a.key - b.key || a.bucket.getTime() - b.bucket.getTime())
    .map((g) => agentReportRow(
      { agentId: g.key, agentName: names.get(g.key) ?? null, bucketStart: g.bucket.toISOString(), bucketLocal: g.bucketLocal },
      agentAggregateOf(g.counters),
    ));
  return { rows, source };
}
