import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

describe('POST /api/staffing/plan (real HTTP)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const classic = { intervals: [{ start: '09:00', calls: 100 }, { start: '09:30', calls: 0 }], intervalMinutes: 30, ahtSeconds: 180, slPercent: 80, slSeconds: 20 };

  it('plans the classic example for a supervisor: 100 calls per half hour, AHT 3 min, 80/20 → 14 agents', async () => {
    const res = await h.call('POST', '/api/staffing/plan', { token: h.tokens.supervisor, body: { ...classic, shrinkagePercent: 30 } });
    expect(res.status).toBe(200);
    expect(res.body.intervals[0]).toEqual({
      start: '09:00', calls: 100, trafficErlangs: 10, agentsNeeded: 14, withShrinkage: 20, agentsEvaluated: 14,
      expectedSl: 88.84, asaSeconds: 7.8, occupancy: 71.43, pWait: 0.1741,
    });
    expect(res.body.intervals[1]).toMatchObject({ calls: 0, trafficErlangs: 0, agentsNeeded: 0, withShrinkage: 0, expectedSl: 100, pWait: 0 });
    expect(res.body).toMatchObject({ totalCalls: 100, peak: { start: '09:00', agentsNeeded: 14, withShrinkage: 20 } });
  });

  it('evaluates a given headcount, with an unbounded wait as null', async () => {
    const res = await h.call('POST', '/api/staffing/plan', { token: h.tokens.admin, body: { ...classic, intervals: [{ start: '09:00', calls: 100 }], headcount: 10 } });
    expect(res.body.intervals[0]).toMatchObject({ agentsNeeded: 14, agentsEvaluated: 10, expectedSl: 0, asaSeconds: null, pWait: 1, meetsTarget: false });
  });

  it('names the fields it refuses, and is not for operators', async () => {
    const bad = await h.call('POST', '/api/staffing/plan', { token: h.tokens.admin, body: { ...classic, slPercent: 100, intervalMinutes: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body/slPercent', 'body/intervalMinutes']));
    const huge = await h.call('POST', '/api/staffing/plan', { token: h.tokens.admin, body: { ...classic, intervals: [{ start: 'x', calls: 10_000_000 }], ahtSeconds: 36_000, intervalMinutes: 1 } });
    expect(huge.status).toBe(400);
    expect(huge.body.error.message).toMatch(/Erlangs/);
    expect((await h.call('POST', '/api/staffing/plan', { token: h.tokens.operator, body: classic })).status).toBe(403);
  });
});
