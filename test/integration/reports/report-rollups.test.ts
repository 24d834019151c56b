import pg from 'pg';
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import {
  agentReport, agentReportWithSource, queueReport, queueReportWithSource, withReportSession,
} from '../../../src/db/repositories/reports-repository';
import { readRollupState, rollupStore } from '../../../src/db/repositories/report-rollups-repository';
import { ReportRollupJob } from '../../../src/reports/report-rollup-job';
import { reportPeriod, type ReportInterval, type ReportPeriod } from '../../../src/reports/report-period';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-env';
import { RANDOM_QUEUES, insertAcdRows, insertCallEvents, isoMicros, loadRandomData } from './report-random-data';
import { loadReportFixture, type FixtureIds } from './report-fixture';

/**
 * Reports answered from the hourly (and daily agent) rollups equal the raw queries exactly —
 * every row, every figure — on the hand-computed fixture and on random data
 * around both 2025 DST changes in Europe/Berlin, for periods that start and
 * end mid-hour (raw edges around rollup hours), every interval, several zones
 * and service-level thresholds, one queue or agent. Then rows arrive late
 * (an outbox replay, ACD events stored late, a wrap-up ending after its
 * hour): the rollups are stale until the job's next run, and exact after it.
 * The daily agent rows are local days of the job's zone (UTC, then
 * Europe/Berlin with its 23- and 25-hour days): a report takes a day from
 * them only where the whole day lies in one of its buckets.
 */

const silent = pino({ level: 'silent' });
// Berlin changes at 01:00 UTC on 2025-03-30 (23-hour day) and on 2025-10-26 (25-hour day).
const SPRING = { from: new Date('2025-03-28T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z') };
const AUTUMN = { from: new Date('2025-10-24T00:00:00Z'), to: new Date('2025-10-28T00:00:00Z') };
const WHOLE_HOUR_ZONES = ['UTC', 'Europe/Berlin', 'Europe/Moscow', 'America/New_York'] as const;
const INTERVALS: readonly ReportInterval[] = ['hour', 'day', 'week'];

const period = (range: { from: Date; to: Date }, interval: ReportInterval, timeZone: string): ReportPeriod =>
  reportPeriod({ from: range.from.toISOString(), to: range.to.toISOString(), interval, timeZone });

/** A period starting and ending mid-hour: raw rows before the first and after the last whole hour. */
const ragged = (range: { from: Date; to: Date }): { from: Date; to: Date } => ({
  from: new Date(range.from.getTime() + 77 * 60_000 + 23_456),
  to: new Date(range.to.getTime() - 123 * 60_000 - 500),
});

describe('report rollups equal the raw queries (real Postgres)', () => {
  let database: TestDatabase;
  let db: pg.Pool;
  let job: ReportRollupJob;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 3 });
    // Small chunks, so that state spans and wrap-up episodes cross the job's transaction boundaries too.
    job = new ReportRollupJob({ store: rollupStore(db), logger: silent, chunkHours: 100 });
  });
  afterAll(async () => {
    await job?.stop();
    await db?.end();
    await database?.drop();
  });

  /** The queue report both ways; the rollup one must have used the rollups when `expectRollups`. */
  async function compareQueues(p: ReportPeriod, filter: { slSeconds: number; queue?: string }, expectRollups: boolean): Promise<number> {
    const raw = await withReportSession(db, (q) => queueReport(q, p, filter, { source: 'raw' }));
    const auto = await withReportSession(db, (q) => queueReportWithSource(q, p, filter));
    expect(auto.source.kind).toBe(expectRollups ? 'rollups' : 'raw');
    expect(auto.rows).toEqual(raw);
    return raw.length;
  }

  async function compareAgents(p: ReportPeriod, filter: { agentId?: number }, expectRollups: boolean): Promise<number> {
    return (await compareAgentsDays(p, filter, expectRollups)).rows;
  }

  /** As compareAgents, also saying how many whole days the rollup answer took from the daily rows. */
  async function compareAgentsDays(p: ReportPeriod, filter: { agentId?: number }, expectRollups = true): Promise<{ rows: number; days: number }> {
    const raw = await withReportSession(db, (q) => agentReport(q, p, filter, { source: 'raw' }));
    const auto = await withReportSession(db, (q) => agentReportWithSource(q, p, filter));
    expect(auto.source.kind).toBe(expectRollups ? 'rollups' : 'raw');
    expect(auto.rows).toEqual(raw);
    return { rows: raw.length, days: auto.source.kind === 'rollups' ? auto.source.days ?? 0 : 0 };
  }

  /** Every daily agent row is the sum of its agent's hourly rows over the day's hours, and every listed day has all its rows. */
  async function expectDaysSumTheirHours(): Promise<void> {
    const columns = 'handled, missed, single_talk_ms, single_hold_ms, shared_talk_us, shared_hold_us, ready_us, reserved_us, not_ready_us, wrap_up_us';
    const { rows } = await db.query<{ mismatched: number; days: number }>(
      `WITH summed AS (
         SELECT d.day_start, h.agent_id, ${columns.split(', ').map((c) => `sum(h.${c})::bigint AS ${c}`).join(', ')}
         FROM report_rollup_days d JOIN report_agent_hours h ON h.hour >= d.day_start AND h.hour < d.day_end
         GROUP BY 1, 2
       ), stored AS (SELECT day_start, agent_id, ${columns} FROM report_agent_days)
       SELECT (SELECT count(*) FROM ((SELECT * FROM summed EXCEPT SELECT * FROM stored) UNION ALL (SELECT * FROM stored EXCEPT SELECT * FROM summed)) x)::int AS mismatched,
              (SELECT count(*) FROM report_rollup_days)::int AS days`,
    );
    expect(rows[0]).toMatchObject({ mismatched: 0 });
    expect(rows[0]!.days).toBeGreaterThan(0);
  }

  describe('the hand-computed fixture', () => {
    let ids: FixtureIds;
    beforeAll(async () => {
      ids = await loadReportFixture(db);
      expect(await job.runOnce()).toMatchObject({ ran: true, reset: true, interrupted: false });
    });

    it('every interval and zone, whole and ragged periods, both reports, filtered or not', async () => {
      const morning = { from: new Date('2025-03-03T09:00:00Z'), to: new Date('2025-03-03T11:00:00Z') };
      const day = { from: new Date('2025-03-02T21:00:00Z'), to: new Date('2025-03-04T00:00:00Z') };
      let rows = 0;
      for (const range of [morning, day, ragged(day)]) {
        for (const interval of INTERVALS) {
          for (const zone of ['Europe/Moscow', 'UTC']) {
            const p = period(range, interval, zone);
            for (const slSeconds of [20, 10, 5, 120]) rows += await compareQueues(p, { slSeconds }, true);
            rows += await compareQueues(p, { slSeconds: 20, queue: 'regional' }, true);
            rows += await compareAgents(p, {}, true);
            rows += await compareAgents(p, { agentId: ids.agentA }, true);
          }
        }
      }
      expect(rows).toBeGreaterThan(100);
      // The job's days are UTC days (its default zone): a UTC report by day takes 3 March whole from them, a Moscow one cannot.
      expect((await compareAgentsDays(period(day, 'day', 'UTC'), {})).days).toBe(1);
      expect((await compareAgentsDays(period(day, 'day', 'Europe/Moscow'), {})).days).toBe(0);
      await expectDaysSumTheirHours();
    });
  });

  describe('random data across the 2025 DST changes', () => {
    let agents: number[];
    let offStaffAgent: number;

    beforeAll(async () => {
      ({ agents, offStaffAgent } = await loadRandomData(db, { seed: 20251026, windows: [SPRING, AUTUMN], callsPerWindow: 300 }));
      const run = await job.runOnce();
      expect(run).toMatchObject({ ran: true, interrupted: false });
    }, 120_000);

    it('queue report: whole and ragged periods, every interval, zones with whole-hour offsets, thresholds on the 5 s grid', async () => {
      let rows = 0;
      for (const window of [SPRING, AUTUMN]) {
        for (const range of [window, ragged(window)]) {
          for (const interval of INTERVALS) {
            for (const zone of WHOLE_HOUR_ZONES) {
              const p = period(range, interval, zone);
              rows += await compareQueues(p, { slSeconds: 20 }, true);
              rows += await compareQueues(p, { slSeconds: 35, queue: 'regional' }, true);
            }
            rows += await compareQueues(period(range, interval, 'Europe/Berlin'), { slSeconds: 5 }, true);
            rows += await compareQueues(period(range, interval, 'Europe/Berlin'), { slSeconds: 120 }, true);
          }
        }
      }
      expect(rows).toBeGreaterThan(500);
    }, 120_000);

    it('agent report: the same periods, all agents and one, an agent no longer on staff included', async () => {
      let rows = 0;
      for (const window of [SPRING, AUTUMN]) {
        for (const range of [window, ragged(window)]) {
          for (const interval of INTERVALS) {
            for (const zone of WHOLE_HOUR_ZONES) rows += await compareAgents(period(range, interval, zone), {}, true);
            rows += await compareAgents(period(range, interval, 'Europe/Berlin'), { agentId: offStaffAgent }, true);
            rows += await compareAgents(period(range, interval, 'Europe/Berlin'), { agentId: agents[0]! }, true);
          }
        }
      }
      expect(rows).toBeGreaterThan(500);
    }, 120_000);

    it('daily agent rows in the job\'s zone (Europe/Berlin): 23- and 25-hour DST days, taken where a day fits a bucket, exact everywhere', async () => {
      // REPORTS_TIME_ZONE changed: the job rebuilds the days from the hours it has, and keeps them in that zone from then on.
      await job.stop();
      job = new ReportRollupJob({ store: rollupStore(db), logger: silent, chunkHours: 100, dayTimeZone: 'Europe/Berlin' });
      expect(await job.runOnce()).toMatchObject({ ran: true, reset: false, daysRebuilt: true, rebuiltHours: 0, interrupted: false });
      expect(await readRollupState(db)).toMatchObject({ dayZone: 'Europe/Berlin' });
      expect(await job.runOnce()).toMatchObject({ ran: true, daysRebuilt: false, rebuiltHours: 0 });
      await expectDaysSumTheirHours();
      const { rows: dst } = await db.query<{ day_start: Date; hours: number }>(
        `SELECT day_start, (extract(epoch FROM day_end - day_start) / 3600)::int AS hours FROM report_rollup_days
         WHERE day_start IN ('2025-03-28T23:00:00Z', '2025-03-29T23:00:00Z', '2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z') ORDER BY day_start`,
      );
      expect(dst.map((r) => r.hours)).toEqual([24, 23, 25, 24]);

      let usedDays = 0;
      for (const window of [SPRING, AUTUMN]) {
        for (const range of [window, ragged(window)]) {
          for (const interval of INTERVALS) {
            // Paris has Berlin's midnights: its buckets fit Berlin's days as well.
            for (const zone of [...WHOLE_HOUR_ZONES, 'Europe/Paris']) {
              const { days } = await compareAgentsDays(period(range, interval, zone), {});
              // By the hour never; by day only with Berlin's midnights; by week also other zones' weeks, for the Berlin
              // days that do not straddle their Monday midnight.
              const berlinMidnights = zone === 'Europe/Berlin' || zone === 'Europe/Paris';
              if (interval !== 'week' || berlinMidnights) {
                expect({ zone, interval, usesDays: days > 0 }).toEqual({ zone, interval, usesDays: interval !== 'hour' && berlinMidnights });
              }
              usedDays += days;
            }
            usedDays += (await compareAgentsDays(period(range, interval, 'Europe/Berlin'), { agentId: offStaffAgent })).days;
            usedDays += (await compareAgentsDays(period(range, interval, 'Europe/Berlin'), { agentId: agents[0]! })).days;
          }
        }
      }
      expect(usedDays).toBeGreaterThan(20);
      // A whole window by day in Berlin: its three whole local days from the daily rows, the partial ones around them by the hour.
      expect((await compareAgentsDays(period(AUTUMN, 'day', 'Europe/Berlin'), {})).days).toBe(3);
    }, 180_000);

    it('the DST days are 23 and 25 hours long in Berlin, and their figures come whole from the rollups', async () => {
      const spring = await withReportSession(db, (q) => agentReportWithSource(q, period(SPRING, 'day', 'Europe/Berlin'), {}));
      expect(spring.source.kind).toBe('rollups');
      const springDay = spring.rows.filter((r) => r.bucketLocal === '2025-03-30T00:00');
      expect(springDay.length).toBeGreaterThan(0);
      expect(springDay[0]!.bucketStart).toBe('2025-03-29T23:00:00.000Z');
      const autumn = await withReportSession(db, (q) => queueReportWithSource(q, period(AUTUMN, 'day', 'Europe/Berlin'), { slSeconds: 20 }));
      const autumnBuckets = [...new Set(autumn.rows.map((r) => `${r.bucketLocal} ${r.bucketStart}`))].sort();
      expect(autumnBuckets).toEqual(expect.arrayContaining(['2025-10-26T00:00 2025-10-25T22:00:00.000Z', '2025-10-27T00:00 2025-10-26T23:00:00.000Z']));
    });

    it('falls back to the raw rows, with the same answer, for zones off whole hours (at any instant of the period) and thresholds off the grid', async () => {
      for (const interval of INTERVALS) {
        await compareQueues(period(AUTUMN, interval, 'Asia/Kolkata'), { slSeconds: 20 }, false);
        await compareAgents(period(AUTUMN, interval, 'Asia/Kathmandu'), {}, false);
        await compareQueues(period(AUTUMN, interval, 'UTC'), { slSeconds: 7 }, false);
        await compareQueues(period(AUTUMN, interval, 'UTC'), { slSeconds: 125 }, false);
      }
      // Lord Howe is UTC+11 in its summer (the autumn window) but UTC+10:30 from 6 April 2025: the offset is checked
      // hour by hour over the period, not once.
      await compareAgents(period(AUTUMN, 'day', 'Australia/Lord_Howe'), {}, true);
      await compareQueues(period({ from: new Date('2025-04-04T00:00:00Z'), to: new Date('2025-04-08T00:00:00Z') }, 'day', 'Australia/Lord_Howe'), { slSeconds: 20 }, false);
      await compareQueues(period({ from: new Date('2025-04-04T00:00:00Z'), to: new Date('2025-04-05T00:00:00Z') }, 'day', 'Australia/Lord_Howe'), { slSeconds: 20 }, true);
      // Less than one whole hour: nothing to take from the rollups.
      await compareQueues(period({ from: new Date('2025-10-26T00:10:00Z'), to: new Date('2025-10-26T00:50:00Z') }, 'hour', 'UTC'), { slSeconds: 20 }, false);
    });

    it('rows stored late make the rollups stale until the next run, which rebuilds exactly the hours they touched', async () => {
      const before = await readRollupState(db);
      const spring = period(SPRING, 'day', 'Europe/Berlin');
      const autumn = period(AUTUMN, 'hour', 'Europe/Berlin');
      const [agent, other] = [agents[1]!, agents[2]!];
      const { rows: [answered] } = await db.query<{ id: string; started_at: Date }>(
        "SELECT id, started_at FROM calls WHERE queue_name IS NOT NULL AND agent_answered_at IS NOT NULL AND direction = 'inbound' AND started_at >= $1 AND started_at < $2 ORDER BY started_at LIMIT 1 OFFSET 20",
        [AUTUMN.from, AUTUMN.to],
      );
      const at = (iso: string): number => new Date(iso).getTime() * 1000;

      // An outbox replay: a call from the spring window, written only now, overflowed out of finance.
      const replayed = randomUUID();
      await db.query(
        `INSERT INTO calls (id, direction, caller_number, started_at, agent_answered_at, queue_name, queue_wait_ms, agent_ids, talk_ms, hold_ms, outcome)
         VALUES ($1, 'inbound', '+74950000000', $2, $3, 'operators', 17000, $4, 90000, 0, 'answered')`,
        [replayed, isoMicros(at('2025-03-30T00:30:00.123456Z')), isoMicros(at('2025-03-30T00:30:17.123456Z')), [agent]],
      );
      await insertCallEvents(db, [{ callId: replayed, seq: 1, at: at('2025-03-30T00:30:10Z'), type: 'overflowed', data: { from: 'queued', to: 'routing', queue: 'finance' } }]);
      // A correction to a sealed call's row.
      await db.query("UPDATE calls SET queue_wait_ms = 4000, outcome = 'abandoned_queue', agent_answered_at = NULL, updated_at = now() WHERE id = (SELECT id FROM calls WHERE queue_name IS NOT NULL AND direction = 'inbound' AND started_at >= $1 ORDER BY started_at LIMIT 1)", [SPRING.from]);
      // ACD events stored late: a break in the middle of an agent's day, a wrap-up for a call hours after it
      // started, a missed call.
      const answeredAt = answered!.started_at.getTime() * 1000;
      await insertAcdRows(db, [
        { at: at('2025-10-26T01:20:00.5Z'), type: 'agent_state', agentId: agent, data: { type: 'agent_state', from: 'ready', to: 'not_ready' } },
        { at: answeredAt + 7_000_000_000, type: 'agent_state', agentId: other, data: { type: 'agent_state', from: 'on_call', to: 'wrap_up', callId: answered!.id } },
        { at: answeredAt + 7_000_000_000 + 42_424_242, type: 'agent_state', agentId: other, data: { type: 'agent_state', from: 'wrap_up', to: 'ready' } },
        { at: at('2025-10-25T12:34:56Z'), type: 'call_released', agentId: agent, data: { type: 'call_released', reason: 'ring_no_answer' } },
      ]);

      // Stale until the job runs…
      const staleQueues = await withReportSession(db, (q) => queueReport(q, spring, { slSeconds: 20 }));
      expect(staleQueues).not.toEqual(await withReportSession(db, (q) => queueReport(q, spring, { slSeconds: 20 }, { source: 'raw' })));
      const staleAgents = await withReportSession(db, (q) => agentReport(q, autumn, {}));
      expect(staleAgents).not.toEqual(await withReportSession(db, (q) => agentReport(q, autumn, {}, { source: 'raw' })));
      // The late break falls on 26 October, a 25-hour day taken whole from the daily rows: stale too.
      const autumnDays = period(AUTUMN, 'day', 'Europe/Berlin');
      const staleDays = await withReportSession(db, (q) => agentReportWithSource(q, autumnDays, {}));
      expect(staleDays.source).toMatchObject({ kind: 'rollups', days: 3 });
      expect(staleDays.rows).not.toEqual(await withReportSession(db, (q) => agentReport(q, autumnDays, {}, { source: 'raw' })));

      // …which rebuilds the touched hours only, and then every figure is exact again.
      const run = await job.runOnce();
      expect(run.ran).toBe(true);
      expect(run.rebuiltHours).toBeGreaterThan(0);
      expect(run.rebuiltHours).toBeLessThan(200);
      expect(run.daysRebuilt).toBe(false);
      await expectDaysSumTheirHours();
      expect((await readRollupState(db))!.changesSince.getTime()).toBeGreaterThanOrEqual(before!.changesSince.getTime());
      for (const window of [SPRING, AUTUMN]) {
        for (const interval of INTERVALS) {
          await compareQueues(period(window, interval, 'Europe/Berlin'), { slSeconds: 20 }, true);
          await compareAgents(period(window, interval, 'Europe/Berlin'), {}, true);
        }
      }
      // A run with nothing new rebuilds nothing.
      expect(await job.runOnce()).toMatchObject({ ran: true, rebuiltHours: 0 });
    }, 120_000);

    it('the hour in progress is read raw: a call that started minutes ago is in the report', async () => {
      const now = Date.now();
      await db.query(
        `INSERT INTO calls (id, direction, caller_number, started_at, queue_name, queue_wait_ms, outcome)
         VALUES ($1, 'inbound', '+74950000001', $2, $3, 3000, 'abandoned_queue')`,
        [randomUUID(), new Date(now - 1000), RANDOM_QUEUES[2]],
      );
      const p = period({ from: SPRING.from, to: new Date(now + 3_600_000) }, 'week', 'Europe/Berlin');
      const auto = await withReportSession(db, (q) => queueReportWithSource(q, p, { slSeconds: 20, queue: RANDOM_QUEUES[2] }));
      expect(auto.source).toMatchObject({ kind: 'rollups', split: { tail: { to: p.to } } });
      expect(auto.rows).toEqual(await withReportSession(db, (q) => queueReport(q, p, { slSeconds: 20, queue: RANDOM_QUEUES[2] }, { source: 'raw' })));
      expect(auto.rows.at(-1)!.offered).toBeGreaterThanOrEqual(1);
    });

    it('one process at a time: while another holds the lock a run does nothing', async () => {
      const holder = await db.connect();
      try {
        await holder.query('SELECT pg_advisory_lock(4242700, 1)');
        expect(await job.runOnce()).toMatchObject({ ran: false });
      } finally {
        await holder.query('SELECT pg_advisory_unlock(4242700, 1)');
        holder.release();
      }
      expect(await job.runOnce()).toMatchObject({ ran: true });
    });

    it('a day zone whose midnights are not on UTC hours lists no days: reports add up the hours, exactly', async () => {
      await job.stop();
      job = new ReportRollupJob({ store: rollupStore(db), logger: silent, chunkHours: 100, dayTimeZone: 'Asia/Kolkata' });
      expect(await job.runOnce()).toMatchObject({ ran: true, daysRebuilt: true, interrupted: false });
      const { rows } = await db.query<{ days: number; agent_rows: number }>(
        'SELECT (SELECT count(*) FROM report_rollup_days)::int AS days, (SELECT count(*) FROM report_agent_days)::int AS agent_rows',
      );
      expect(rows[0]).toEqual({ days: 0, agent_rows: 0 });
      for (const interval of INTERVALS) expect((await compareAgentsDays(period(AUTUMN, interval, 'UTC'), {})).days).toBe(0);
      expect(() => new ReportRollupJob({ store: rollupStore(db), logger: silent, dayTimeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    }, 60_000);
  });
});
