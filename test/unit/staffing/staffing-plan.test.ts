import { planStaffing } from '../../../src/staffing/staffing-plan';

/*
 * The worked example from the source documents (design §1): a large center
 * answering 16,000 calls a day at peak with 90 % of callers answered within
 * 20 seconds. The documents give no hourly profile, so we state one: a 24/7
 * line with a morning peak (10:00–12:00, 10 % of the day's calls in each hour),
 * a lunch dip and an afternoon shoulder, a quiet night. Percent of the day's
 * calls per hour, 00:00 … 23:00 (sums to 100):
 */
const HOURLY_PROFILE_PERCENT = [
  0.5, 0.3, 0.2, 0.2, 0.2, 0.4, 1.2, 3.0, 6.5, 9.0, 10.0, 10.0,
  7.5, 7.0, 8.5, 8.0, 7.5, 6.0, 4.5, 3.5, 2.5, 1.7, 1.1, 0.7,
];
const CALLS_PER_DAY = 16_000;
const hour = (h: number): string => `2026-11-23T${String(h).padStart(2, '0')}:00:00+03:00`;
const intervals = HOURLY_PROFILE_PERCENT.map((p, h) => ({ start: hour(h), calls: Math.round((CALLS_PER_DAY * p) / 100) }));

/*
 * Agents needed per hour with AHT 180 s and 90/20, computed independently
 * with the closed-form Erlang C (exact factorials, Python mpmath, 60 digits),
 * searching the smallest N > A with SL ≥ 90 %:
 */
const EXPECTED_AGENTS = [7, 5, 4, 4, 4, 6, 14, 30, 60, 81, 89, 89, 68, 64, 77, 72, 68, 56, 43, 35, 26, 19, 13, 9];

describe('staffing plan (pure)', () => {
  it('the profile distributes exactly 16,000 calls', () => {
    expect(HOURLY_PROFILE_PERCENT.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    expect(intervals.reduce((n, i) => n + i.calls, 0)).toBe(CALLS_PER_DAY);
  });

  it('16,000 calls a day, 90 % in 20 s, AHT 180 s: agents per hour and the day\'s peak match the independent computation', () => {
    const plan = planStaffing({ intervals, intervalMinutes: 60, ahtSeconds: 180, slPercent: 90, slSeconds: 20, shrinkagePercent: 30 });
    expect(plan.totalCalls).toBe(16_000);
    expect(plan.intervals.map((i) => i.agentsNeeded)).toEqual(EXPECTED_AGENTS);

    // Peak hours: 1,600 calls × 180 s / 3,600 s = 80 Erlangs → 89 agents (SL 91.3 %; 88 would give 88.3 %).
    const peak = plan.intervals[10]!;
    expect(peak).toMatchObject({ start: hour(10), calls: 1600, trafficErlangs: 80, agentsNeeded: 89, agentsEvaluated: 89 });
    expect(peak.expectedSl).toBeCloseTo(91.31, 2);
    expect(peak.asaSeconds).toBeCloseTo(4.7, 1);
    expect(peak.occupancy).toBeCloseTo(89.89, 2);
    // 30 % shrinkage: 89 on the phones need ⌈89 / 0.7⌉ = 128 scheduled.
    expect(peak.withShrinkage).toBe(128);
    expect(plan.peak).toEqual({ start: hour(10), agentsNeeded: 89, withShrinkage: 128 });

    // 09:00: 1,440 calls = 72 Erl → 81 agents, SL 92.0 %.
    expect(plan.intervals[9]).toMatchObject({ calls: 1440, trafficErlangs: 72, agentsNeeded: 81 });
    expect(plan.intervals[9]!.expectedSl).toBeCloseTo(92.05, 2);

    // Every interval meets the target with the agents it is given, and the night is cheap per call but not free.
    for (const i of plan.intervals) expect(i.expectedSl).toBeGreaterThanOrEqual(90);
    const night = plan.intervals[3]!;
    expect(night).toMatchObject({ calls: 32, agentsNeeded: 4 });
    expect(night.occupancy).toBeLessThan(peak.occupancy);
  });

  it('with a fixed headcount it reports what that headcount achieves and where it falls short', () => {
    // 110 scheduled, 20 % shrinkage → 88 on the phones: one short of the 89 the peak needs.
    const plan = planStaffing({ intervals, intervalMinutes: 60, ahtSeconds: 180, slPercent: 90, slSeconds: 20, shrinkagePercent: 20, headcount: 110 });
    const peak = plan.intervals[10]!;
    expect(peak).toMatchObject({ agentsNeeded: 89, agentsEvaluated: 88, meetsTarget: false });
    expect(peak.expectedSl).toBeCloseTo(88.33, 2);
    expect(plan.intervals[12]).toMatchObject({ agentsNeeded: 68, agentsEvaluated: 88, meetsTarget: true });
    expect(plan.intervals.filter((i) => i.meetsTarget === false).map((i) => i.start)).toEqual([hour(10), hour(11)]);
  });

  it('a headcount below the load reports an unbounded wait rather than a number', () => {
    const plan = planStaffing({ intervals: [{ start: hour(10), calls: 1600 }], intervalMinutes: 60, ahtSeconds: 180, slPercent: 90, slSeconds: 20, headcount: 80 });
    expect(plan.intervals[0]).toMatchObject({ agentsEvaluated: 80, expectedSl: 0, asaSeconds: null, pWait: 1, occupancy: 100, meetsTarget: false });
  });

  it('half-hour intervals of the same load need the same agents (load is a rate, not a count)', () => {
    const hourly = planStaffing({ intervals: [{ start: hour(10), calls: 1600 }], intervalMinutes: 60, ahtSeconds: 180, slPercent: 90, slSeconds: 20 });
    const halfHourly = planStaffing({ intervals: [{ start: hour(10), calls: 800 }], intervalMinutes: 30, ahtSeconds: 180, slPercent: 90, slSeconds: 20 });
    expect(halfHourly.intervals[0]!.agentsNeeded).toBe(hourly.intervals[0]!.agentsNeeded);
  });
});
