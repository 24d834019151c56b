import pino from 'pino';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { rollupStore } from '../../../src/db/repositories/report-rollups-repository';
import { ReportRollupJob } from '../../../src/reports/report-rollup-job';
import { loadReportFixture, type FixtureIds } from './report-fixture';

/**
 * The queue and agent reports over the hand-made fixture (report-fixture.ts):
 * every figure below is worked out by hand from the fixture's tables, so a
 * change in how a metric is counted shows up here as a wrong number. Run
 * twice: straight from the raw rows, and after the rollup job has built the
 * hourly rollups (the API then answers from them: `x-report-source`).
 */
describe.each(['raw rows', 'hourly rollups'] as const)('reports over a hand-computed morning, from %s (real Postgres, real HTTP)', (source) => {
  let h: ApiHarness;
  let ids: FixtureIds;
  const period = 'from=2025-03-03T09:00:00Z&to=2025-03-03T11:00:00Z&tz=Europe/Moscow';
  const expectedSource = source === 'raw rows' ? /^raw; no rollups yet$/ : /^rollups$/;

  /** GET through the API; a report answered 200 says it came from the source under test. */
  const get = async (path: string, opts: { token?: string } = {}) => {
    const res = await h.call('GET', path, opts);
    if (res.status === 200) expect(res.headers.get('x-report-source')).toMatch(expectedSource);
    return res;
  };

  beforeAll(async () => {
    h = await startApiHarness();
    ids = await loadReportFixture(h.db);
    if (source === 'hourly rollups') {
      const run = await new ReportRollupJob({ store: rollupStore(h.db), logger: pino({ level: 'silent' }) }).runOnce();
      expect(run).toMatchObject({ ran: true, reset: true, interrupted: false });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('queue report by the hour: counts, both service levels, ASA, AHT, longest wait, overflows and callbacks', async () => {
    const res = await get(`/api/reports/queues?${period}&interval=hour&slSeconds=20`, { token: h.tokens.supervisor });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ interval: 'hour', timeZone: 'Europe/Moscow', slSeconds: 20, shortAbandonSeconds: 5 });
    expect(Object.keys(res.body.definitions)).toEqual(expect.arrayContaining(['serviceLevelOfOffered', 'serviceLevelOfAnsweredAndAbandonedAfterSl', 'asaMs', 'ahtMs']));
    expect(res.body.rows).toEqual([
      {
        // c1 c2 c3 c9 answered (waits 5, 15, 30, 20 s), c4 c5 c6 abandoned (3, 40, 25 s), c7 callback, c8 overflowed (60 s).
        queue: 'operators', bucketStart: '2025-03-03T09:00:00.000Z', bucketLocal: '2025-03-03T12:00',
        offered: 9, answered: 4, abandoned: 3, shortAbandoned: 1, abandonedAfterSl: 2, answeredWithinSl: 3,
        serviceLevelOfOffered: 3 / 9, serviceLevelOfAnsweredAndAbandonedAfterSl: 3 / 6,
        asaMs: 17_500, // (5 + 15 + 30 + 20) / 4
        ahtMs: 110_000, // talk 60+120+90+30 = 300, hold 10, wrap-up 30+60+30+10 = 130 → 440 / 4
        talkMs: 300_000, holdMs: 10_000, wrapUpMs: 130_000, longestWaitMs: 60_000, overflowed: 1, callbacksRequested: 1,
      },
      {
        // c12 (25 s) and c14 (2 s) answered, c15 a short abandon (4.5 s); c16 left operators by overflow.
        queue: 'operators', bucketStart: '2025-03-03T10:00:00.000Z', bucketLocal: '2025-03-03T13:00',
        offered: 3, answered: 2, abandoned: 1, shortAbandoned: 1, abandonedAfterSl: 0, answeredWithinSl: 1,
        serviceLevelOfOffered: 1 / 3, serviceLevelOfAnsweredAndAbandonedAfterSl: 1 / 2,
        asaMs: 13_500, ahtMs: 162_500, // (200 + 45) + 20 + (30 + 30) = 325 / 2
        talkMs: 245_000, holdMs: 20_000, wrapUpMs: 60_000, longestWaitMs: 25_000, overflowed: 1, callbacksRequested: 0,
      },
      {
        queue: 'regional', bucketStart: '2025-03-03T09:00:00.000Z', bucketLocal: '2025-03-03T12:00',
        offered: 2, answered: 1, abandoned: 1, shortAbandoned: 0, abandonedAfterSl: 0, answeredWithinSl: 1,
        serviceLevelOfOffered: 1 / 2, serviceLevelOfAnsweredAndAbandonedAfterSl: 1,
        asaMs: 10_000, ahtMs: 130_000, talkMs: 100_000, holdMs: 0, wrapUpMs: 30_000, longestWaitMs: 10_000, overflowed: 0, callbacksRequested: 0,
      },
      {
        // c13 (transferred here: 12 s wait, talk 150, hold 15, two wrap-ups of 30 s) and c16 (70 s wait, talk 30, wrap-up 20).
        queue: 'regional', bucketStart: '2025-03-03T10:00:00.000Z', bucketLocal: '2025-03-03T13:00',
        offered: 2, answered: 2, abandoned: 0, shortAbandoned: 0, abandonedAfterSl: 0, answeredWithinSl: 1,
        serviceLevelOfOffered: 1 / 2, serviceLevelOfAnsweredAndAbandonedAfterSl: 1 / 2,
        asaMs: 41_000, ahtMs: 137_500, talkMs: 180_000, holdMs: 15_000, wrapUpMs: 80_000, longestWaitMs: 70_000, overflowed: 0, callbacksRequested: 0,
      },
    ]);
  });

  it('queue report by the day, cut at Moscow midnight, and for one queue only', async () => {
    const res = await get(`/api/reports/queues?${period}&interval=day`, { token: h.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      {
        queue: 'operators', bucketStart: '2025-03-02T21:00:00.000Z', bucketLocal: '2025-03-03T00:00',
        offered: 12, answered: 6, abandoned: 4, shortAbandoned: 2, abandonedAfterSl: 2, answeredWithinSl: 4,
        serviceLevelOfOffered: 4 / 12, serviceLevelOfAnsweredAndAbandonedAfterSl: 4 / 8,
        asaMs: 16_167, // 97 s / 6
        ahtMs: 127_500, // (545 + 30 + 190) / 6
        talkMs: 545_000, holdMs: 30_000, wrapUpMs: 190_000, longestWaitMs: 60_000, overflowed: 2, callbacksRequested: 1,
      },
      {
        queue: 'regional', bucketStart: '2025-03-02T21:00:00.000Z', bucketLocal: '2025-03-03T00:00',
        offered: 4, answered: 3, abandoned: 1, shortAbandoned: 0, abandonedAfterSl: 0, answeredWithinSl: 2,
        serviceLevelOfOffered: 2 / 4, serviceLevelOfAnsweredAndAbandonedAfterSl: 2 / 3,
        asaMs: 30_667, ahtMs: 135_000, talkMs: 280_000, holdMs: 15_000, wrapUpMs: 110_000, longestWaitMs: 70_000, overflowed: 0, callbacksRequested: 0,
      },
    ]);

    const one = await get(`/api/reports/queues?${period}&interval=day&queue=regional`, { token: h.tokens.admin });
    expect(one.body.rows).toEqual([res.body.rows[1]]);

    // A stricter threshold moves only the service-level figures.
    const strict = await get(`/api/reports/queues?${period}&interval=day&queue=operators&slSeconds=10`, { token: h.tokens.admin });
    expect(strict.body.rows[0]).toMatchObject({
      answeredWithinSl: 2, // c1 (5 s), c14 (2 s)
      abandonedAfterSl: 2, // c5 (40 s), c6 (25 s)
      serviceLevelOfOffered: 2 / 12, serviceLevelOfAnsweredAndAbandonedAfterSl: 2 / 8, offered: 12,
    });
  });

  it('agent report by the hour: handled, missed, talk/hold split across a transfer, state times cut at the hour, occupancy, AHT', async () => {
    const res = await get(`/api/reports/agents?${period}&interval=hour`, { token: h.tokens.supervisor });
    expect(res.status).toBe(200);
    const A = { agentId: ids.agentA, agentName: 'Anna Petrova' };
    const B = { agentId: ids.agentB, agentName: 'Ion Popescu' };
    const expected = {
      A: [
        {
          ...A, bucketStart: '2025-03-03T09:00:00.000Z', bucketLocal: '2025-03-03T12:00',
          handled: 2, missed: 1, talkMs: 180_000, holdMs: 10_000, wrapUpMs: 90_000,
          readyMs: 1_840_000, // ready 60 + 445 + 995 + 300, ringing 5 + 15 + 20
          notReadyMs: 1_480_000, // break 1200, after the missed call 280 (until the hour ends)
          occupancy: 280 / 2120, ahtMs: 140_000,
        },
        {
          ...A, bucketStart: '2025-03-03T10:00:00.000Z', bucketLocal: '2025-03-03T13:00',
          // c12 (talk 200, hold 20), c13 (A's part: talk 90, hold 10 + 5 s setting up the transfer), c16 (30), outbound c18 (40).
          handled: 4, missed: 0, talkMs: 360_000, holdMs: 35_000, wrapUpMs: 80_000,
          readyMs: 2_800_000, // ready 10 + 758 + 315 + 608 + 1080 (open until the period ends), ringing 2 + 25 + 2
          notReadyMs: 370_000, // 300 carried over the hour, 70 for the outbound call
          occupancy: 475 / 3275, ahtMs: 118_750,
        },
      ],
      B: [
        {
          ...B, bucketStart: '2025-03-03T09:00:00.000Z', bucketLocal: '2025-03-03T12:00',
          handled: 3, missed: 0, talkMs: 220_000, holdMs: 0, wrapUpMs: 70_000, readyMs: 3_190_000, notReadyMs: 120_000,
          occupancy: 290 / 3480, ahtMs: 96_667,
        },
        {
          ...B, bucketStart: '2025-03-03T10:00:00.000Z', bucketLocal: '2025-03-03T13:00',
          // c13 after the transfer (talk 60), c14 (45); logged out from 10:50 (not counted anywhere).
          handled: 2, missed: 0, talkMs: 105_000, holdMs: 0, wrapUpMs: 60_000, readyMs: 2_655_000, notReadyMs: 180_000,
          occupancy: 165 / 2820, ahtMs: 82_500,
        },
      ],
    };
    // Rows come ordered by agent id, then time.
    const rows = ids.agentA < ids.agentB ? [...expected.A, ...expected.B] : [...expected.B, ...expected.A];
    expect(res.body.rows).toEqual(rows.map((row) => ({ ...row, occupancy: expect.closeTo(row.occupancy, 12) })));
  });

  it('agent report by the day and for one agent', async () => {
    const res = await get(`/api/reports/agents?${period}&interval=day&agent=${ids.agentA}`, { token: h.tokens.supervisor });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([{
      agentId: ids.agentA, agentName: 'Anna Petrova', bucketStart: '2025-03-02T21:00:00.000Z', bucketLocal: '2025-03-03T00:00',
      handled: 6, missed: 1, talkMs: 540_000, holdMs: 45_000, wrapUpMs: 170_000, readyMs: 4_640_000, notReadyMs: 1_850_000,
      occupancy: expect.closeTo(755 / 5395, 12), ahtMs: 125_833,
    }]);
  });

  it('exports both reports as CSV downloads with a header row', async () => {
    const res = await fetch(`${h.baseUrl}/api/reports/queues?${period}&interval=hour&format=csv`, { headers: { authorization: `Bearer ${h.tokens.supervisor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('x-report-source')).toMatch(expectedSource);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="queue-report_2025-03-03_2025-03-03.csv"');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('queue,bucketStart,bucketLocal,offered,answered,abandoned,shortAbandoned,abandonedAfterSl,answeredWithinSl,serviceLevelOfOffered,serviceLevelOfAnsweredAndAbandonedAfterSl,asaMs,ahtMs,talkMs,holdMs,wrapUpMs,longestWaitMs,overflowed,callbacksRequested');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`operators,2025-03-03T09:00:00.000Z,2025-03-03T12:00,9,4,3,1,2,3,${3 / 9},0.5,17500,110000,300000,10000,130000,60000,1,1`);

    const agents = await fetch(`${h.baseUrl}/api/reports/agents?${period}&interval=day&format=csv&agent=${ids.agentB}`, { headers: { authorization: `Bearer ${h.tokens.admin}` } });
    expect(agents.headers.get('content-disposition')).toBe('attachment; filename="agent-report_2025-03-03_2025-03-03.csv"');
    const agentLines = (await agents.text()).trimEnd().split('\r\n');
    expect(agentLines).toEqual([
      'agentId,agentName,bucketStart,bucketLocal,handled,missed,talkMs,holdMs,wrapUpMs,readyMs,notReadyMs,occupancy,ahtMs',
      `${ids.agentB},Ion Popescu,2025-03-02T21:00:00.000Z,2025-03-03T00:00,5,0,325000,0,130000,5845000,300000,${455 / 6300},91000`,
    ]);
  });

  it('refuses operators, bad periods and unknown zones', async () => {
    expect((await get(`/api/reports/queues?${period}`, { token: h.tokens.operator })).status).toBe(403);
    expect((await get(`/api/reports/agents?${period}`, { token: h.tokens.operator })).status).toBe(403);
    expect((await get(`/api/reports/queues?${period}`)).status).toBe(401);
    const backwards = await get('/api/reports/queues?from=2025-03-03T11:00:00Z&to=2025-03-03T09:00:00Z', { token: h.tokens.admin });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/to must be later than from/);
    const zone = await get('/api/reports/queues?from=2025-03-03T09:00:00Z&to=2025-03-03T11:00:00Z&tz=Mars/Olympus', { token: h.tokens.admin });
    expect(zone.status).toBe(400);
    expect(zone.body.error.message).toMatch(/Mars\/Olympus/);
    const tooMany = await get('/api/reports/agents?from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z&interval=hour', { token: h.tokens.admin });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 10000/);
  });

  it('an empty period answers no rows, and UTC is the default zone', async () => {
    const res = await get('/api/reports/queues?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z', { token: h.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: 'UTC', interval: 'hour', rows: [] });
    const utc = await get('/api/reports/queues?from=2025-03-03T00:00:00Z&to=2025-03-04T00:00:00Z&interval=day&queue=regional', { token: h.tokens.admin });
    expect(utc.body.rows).toEqual([expect.objectContaining({ bucketStart: '2025-03-03T00:00:00.000Z', bucketLocal: '2025-03-03T00:00', offered: 4 })]);
  });
});
