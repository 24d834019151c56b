import pg from 'pg';
import pino from 'pino';
import {
  agentReport, agentReportWithSource, queueReport, queueReportWithSource, withReportSession, type ReportSource,
} from '../../../src/db/repositories/reports-repository';
import { listCallLog } from '../../../src/db/repositories/call-log-repository';
import type { Queryable } from '../../../src/db/pool';
import { rollupStore } from '../../../src/db/repositories/report-rollups-repository';
import { ReportRollupJob } from '../../../src/reports/report-rollup-job';
import { reportPeriod, type ReportPeriod } from '../../../src/reports/report-period';
import type { AgentReportRow } from '../../../src/reports/agent-metrics';
import type { QueueReportRow } from '../../../src/reports/queue-metrics';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-env';
import { expectedCounts, generateVolume, startOf, type VolumeSpec } from './report-volume-data';

/**
 * A year of calls (1,000,000, about what a mid-sized center takes) in a fresh
 * database: the rollup job builds the hourly rollups, then every report runs
 * over the year and over one day twice — from the raw rows and from the
 * rollups — and the call log pages and searches. Both answers must be equal
 * and count every call; the times are printed for the record (timing depends
 * on the machine, so nothing asserts on it).
 */
const SPEC: VolumeSpec = { calls: 1_000_000, from: new Date('2024-01-01T00:00:00Z'), eventDays: 30, agents: 200 };
const YEAR = { from: '2024-01-01T00:00:00Z', to: '2024-12-31T00:00:00Z' };
// A day inside the event subset (the last 30 days), so the agent report has state time to cut.
const DAY = { from: '2024-12-20T00:00:00Z', to: '2024-12-21T00:00:00Z' };

describe('reports over a year of calls (1M rows, real Postgres)', () => {
  let database: TestDatabase;
  let db: pg.Pool;
  let firstAgent: number;
  const timings: string[] = [];

  const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const started = process.hrtime.bigint();
    const result = await work();
    timings.push(`${label.padEnd(58)} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1).padStart(9)} ms`);
    return result;
  };

  /** One report both ways, timed; the rollup answer must come from the rollups and equal the raw one. */
  const both = async <R extends QueueReportRow | AgentReportRow>(
    label: string, run: (q: Queryable, raw: boolean) => Promise<{ rows: R[]; source: ReportSource }>,
  ): Promise<R[]> => {
    const raw = await timed(`${label} (raw rows)`, () => withReportSession(db, (q) => run(q, true)));
    const rolled = await timed(`${label} (rollups)`, () => withReportSession(db, (q) => run(q, false)));
    expect(rolled.source.kind).toBe('rollups');
    expect(rolled.rows).toEqual(raw.rows);
    return rolled.rows;
  };
  const queues = (p: ReportPeriod, filter: { slSeconds: number; queue?: string }) => (q: Queryable, raw: boolean) =>
    queueReportWithSource(q, p, filter, { source: raw ? 'raw' : 'auto' });
  const agents = (p: ReportPeriod, filter: { agentId?: number }) => (q: Queryable, raw: boolean) =>
    agentReportWithSource(q, p, filter, { source: raw ? 'raw' : 'auto' });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    const generated = await timed('generate 1M calls + events of 30 days', () => generateVolume(db, SPEC));
    firstAgent = generated.firstAgent;
    timings.push(`  (${generated.callEvents} call events, ${generated.acdEvents} ACD events)`);
    const job = new ReportRollupJob({ store: rollupStore(db), logger: pino({ level: 'silent' }) });
    const run = await timed('build the hourly rollups (the job\'s first run)', () => job.runOnce());
    expect(run).toMatchObject({ ran: true, reset: true, interrupted: false });
    const { rows } = await db.query<{ queue_rows: number; agent_rows: number; size: string }>(
      `SELECT (SELECT count(*) FROM report_queue_hours)::int AS queue_rows, (SELECT count(*) FROM report_agent_hours)::int AS agent_rows,
              pg_size_pretty(pg_total_relation_size('report_queue_hours') + pg_total_relation_size('report_agent_hours')) AS size`,
    );
    timings.push(`  (${rows[0]!.queue_rows} queue-hours, ${rows[0]!.agent_rows} agent-hours, ${rows[0]!.size}; ${run.sealedHours} hours sealed)`);
    const again = await timed('the job\'s next run, nothing new (its every-minute cost)', () => job.runOnce());
    expect(again).toMatchObject({ ran: true, reset: false, rebuiltHours: 0 });
  }, 600_000);

  afterAll(async () => {
    process.stdout.write(`\nreport query times at ${SPEC.calls.toLocaleString('en')} calls:\n${timings.join('\n')}\n`);
    await db?.end();
    await database?.drop();
  });

  const sum = <T>(rows: T[], pick: (r: T) => number): number => rows.reduce((total, r) => total + pick(r), 0);

  it('queue report: a year by the day and one day by the hour count every offered, answered and abandoned call', async () => {
    for (const [label, range, interval] of [['year by day', YEAR, 'day'], ['day by hour', DAY, 'hour']] as const) {
      const period = reportPeriod({ ...range, interval, timeZone: 'Europe/Moscow' });
      const rows = await both(`queue report, ${label}`, queues(period, { slSeconds: 20 }));
      const expected = expectedCounts(SPEC, period.from.getTime(), period.to.getTime());
      expect(sum(rows, (r) => r.offered)).toBe(expected.offered);
      expect(sum(rows, (r) => r.answered)).toBe(expected.answered);
      expect(sum(rows, (r) => r.abandoned)).toBe(expected.abandoned);
    }
    const one = await both('queue report, year by week, one queue', queues(reportPeriod({ ...YEAR, interval: 'week', timeZone: 'UTC' }), { slSeconds: 20, queue: 'regional' }));
    expect(new Set(one.map((r) => r.queue))).toEqual(new Set(['regional']));
    expect(sum(one, (r) => r.offered)).toBeGreaterThan(0);
    // The default pool path (no report session) answers from the rollups too.
    const plain = await timed('queue report, year by day, T = 30 s (rollups)', () =>
      queueReport(db, reportPeriod({ ...YEAR, interval: 'day', timeZone: 'UTC' }), { slSeconds: 30 }));
    expect(sum(plain, (r) => r.offered)).toBe(expectedCounts(SPEC, Date.parse(YEAR.from), Date.parse(YEAR.to)).offered);
  }, 300_000);

  it('agent report: a year by the day and one day by the hour count every call an agent handled', async () => {
    for (const [label, range, interval] of [['year by day', YEAR, 'day'], ['day by hour', DAY, 'hour']] as const) {
      const period = reportPeriod({ ...range, interval, timeZone: 'UTC' });
      const rows = await both(`agent report, ${label}`, agents(period, {}));
      expect(sum(rows, (r) => r.handled)).toBe(expectedCounts(SPEC, period.from.getTime(), period.to.getTime()).handled);
    }
    await both('agent report, year by day, one agent', agents(reportPeriod({ ...YEAR, interval: 'day', timeZone: 'UTC' }), { agentId: firstAgent + 3 }));
    const dayRows = await timed('agent report, day by hour, one agent (rollups)', () =>
      agentReport(db, reportPeriod({ ...DAY, interval: 'hour', timeZone: 'UTC' }), { agentId: firstAgent + 7 }));
    expect(dayRows.every((r) => r.agentId === firstAgent + 7)).toBe(true);
    expect(sum(dayRows, (r) => r.readyMs + r.wrapUpMs)).toBeGreaterThan(0);
  }, 300_000);

  it('call log: newest page of a year, deep pages, a number and an agent over the year', async () => {
    const year = { from: new Date(YEAR.from), to: new Date(YEAR.to) };
    const first = await timed('call log, first page of the year', () => listCallLog(db, { ...year, limit: 50 }));
    expect(first.items).toHaveLength(50);
    let page = first;
    for (let i = 0; i < 20; i++) {
      const cursor = page.nextCursor as string;
      const [startedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|') as [string, string];
      page = await listCallLog(db, { ...year, limit: 50, after: { startedAt, id } });
    }
    expect(page.items).toHaveLength(50);
    // Call i's number ends with i: number 123457 is called by call 123457 only (numbers repeat every 10 million).
    const byNumber = await timed('call log, number suffix over the year', () => listCallLog(db, { callerDigitsSuffix: '0123457', limit: 50 }));
    expect(byNumber.items.map((c) => c.startedAt)).toEqual([new Date(startOf(SPEC, 123_457)).toISOString()]);
    const byAgent = await timed('call log, one agent over the year', () => listCallLog(db, { ...year, agentId: firstAgent + 3, limit: 50 }));
    expect(byAgent.items).toHaveLength(50);
    const day = await timed('call log, one agent, one day, all pages', async () => {
      const all = [];
      let next: string | null = null;
      do {
        const after = next === null ? null : (([startedAt, id]) => ({ startedAt: startedAt!, id: id! }))(Buffer.from(next, 'base64url').toString('utf8').split('|'));
        const p = await listCallLog(db, { from: new Date(DAY.from), to: new Date(DAY.to), agentId: firstAgent + 3, after, limit: 50 });
        all.push(...p.items);
        next = p.nextCursor;
      } while (next !== null);
      return all;
    });
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM calls WHERE agent_ids @> ARRAY[$1::int] AND started_at >= $2 AND started_at < $3',
      [firstAgent + 3, DAY.from, DAY.to],
    );
    expect(day).toHaveLength(rows[0]!.n);
  }, 120_000);
});
