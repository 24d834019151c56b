import {
  agentsNeeded, averageSpeedOfAnswer, erlangB, erlangC, evaluateStaffing, onPhonesAfterShrinkage, scheduledWithShrinkage, serviceLevel,
  trafficIntensity,
} from '../../../src/staffing/erlang-c';

/*
 * Expected figures were computed independently of this code: the closed form
 *   C(N, A) = (Aᴺ/N! · N/(N−A)) / (Σ_{k<N} Aᵏ/k! + Aᴺ/N! · N/(N−A)),
 *   SL = 1 − C·e^(−(N−A)·T/AHT),  ASA = C·AHT/(N−A)
 * with exact factorials in Python mpmath at 60 significant digits (not the
 * Erlang B recursion the implementation uses). The A = 10 Erl rows match the
 * classic table in Koole, "Call Center Optimization", ch. 5, and the widely
 * quoted example "100 calls per half hour, AHT 3 min, 80/20 → 14 agents".
 */

describe('Erlang C (pure)', () => {
  it('computes the offered load in Erlangs', () => {
    expect(trafficIntensity(100, 1800, 180)).toBe(10);
    expect(trafficIntensity(1600, 3600, 180)).toBe(80);
    expect(trafficIntensity(0, 1800, 180)).toBe(0);
  });

  // A = 10 Erl, AHT 180 s, T = 20 s.
  const tableA10: Array<[agents: number, pWait: number, sl: number, asa: number]> = [
    [11, 0.6821182046893324, 0.3896138117291534, 122.78127684407983],
    [12, 0.44938822429827086, 0.6401580403740066, 40.44494018684438],
    [13, 0.28527045303649295, 0.7955947884177831, 17.116227182189576],
    [14, 0.17413193359504983, 0.8883500191794669, 7.835937011777243],
    [15, 0.10204236700798801, 0.9414528428690223, 3.673525212287568],
  ];
  it.each(tableA10)('A = 10 Erl with %i agents: P(wait), service level 20 s and ASA match the closed form', (agents, pWait, sl, asa) => {
    expect(erlangC(agents, 10)).toBeCloseTo(pWait, 12);
    expect(serviceLevel(agents, 10, 180, 20)).toBeCloseTo(sl, 12);
    expect(averageSpeedOfAnswer(agents, 10, 180)).toBeCloseTo(asa, 9);
    expect(evaluateStaffing(agents, 10, 180, 20).occupancy).toBeCloseTo(10 / agents, 15);
  });

  it('classic example: 100 calls in 30 min, AHT 180 s, 80 % in 20 s needs 14 agents (SL 88.8 %; 13 give 79.6 %)', () => {
    const a = trafficIntensity(100, 30 * 60, 180);
    expect(agentsNeeded(a, { serviceLevel: 0.8, slSeconds: 20, ahtSeconds: 180 })).toBe(14);
    expect(serviceLevel(14, a, 180, 20)).toBeCloseTo(0.88835, 5);
    expect(serviceLevel(13, a, 180, 20)).toBeLessThan(0.8);
  });

  it('an unstable queue (agents ≤ traffic) always waits, never meets a target and has no finite ASA', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangC(5, 10)).toBe(1);
    const figures = evaluateStaffing(10, 10, 180, 20);
    expect(figures).toMatchObject({ pWait: 1, serviceLevel: 0, occupancy: 1 });
    expect(figures.asaSeconds).toBe(Infinity);
  });

  it('no traffic needs nobody and waits for nothing', () => {
    expect(agentsNeeded(0, { serviceLevel: 0.9, slSeconds: 20, ahtSeconds: 180 })).toBe(0);
    expect(erlangC(3, 0)).toBe(0);
    expect(evaluateStaffing(0, 0, 180, 20)).toMatchObject({ pWait: 0, serviceLevel: 1, asaSeconds: 0 });
  });

  it('stays finite and accurate for loads of several hundred Erlangs (no factorials)', () => {
    // Reference: closed form in mpmath. A = 240 (the peak hour tripled, design §1), A = 500.
    expect(agentsNeeded(240, { serviceLevel: 0.9, slSeconds: 20, ahtSeconds: 180 })).toBe(252);
    expect(serviceLevel(252, 240, 180, 20)).toBeCloseTo(0.9111559654972508, 10);
    expect(serviceLevel(251, 240, 180, 20)).toBeCloseTo(0.8900925633507908, 10);
    expect(agentsNeeded(500, { serviceLevel: 0.9, slSeconds: 20, ahtSeconds: 180 })).toBe(514);
    expect(erlangC(514, 500)).toBeCloseTo(0.42200171733836084, 10);
    // Far beyond what a factorial in doubles survives (170! overflows): still a probability.
    const big = erlangC(5100, 5000);
    expect(Number.isFinite(big) && big > 0 && big < 1).toBe(true);
  });

  it('Erlang B is the blocking probability: B(1, A) = A/(1+A), and C ≥ B', () => {
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 15);
    expect(erlangB(0, 3)).toBe(1);
    for (const n of [11, 20, 40]) expect(erlangC(n, 10)).toBeGreaterThanOrEqual(erlangB(n, 10));
  });

  describe('monotonicity', () => {
    const target = { serviceLevel: 0.9, slSeconds: 20, ahtSeconds: 180 };

    it('more agents: P(wait), ASA and occupancy fall, service level rises', () => {
      let previous = evaluateStaffing(81, 80, 180, 20);
      for (let n = 82; n <= 110; n++) {
        const next = evaluateStaffing(n, 80, 180, 20);
        expect(next.pWait).toBeLessThan(previous.pWait);
        expect(next.asaSeconds).toBeLessThan(previous.asaSeconds);
        expect(next.occupancy).toBeLessThan(previous.occupancy);
        expect(next.serviceLevel).toBeGreaterThan(previous.serviceLevel);
        previous = next;
      }
    });

    it('more traffic never needs fewer agents; the agents needed are the smallest meeting the target', () => {
      let previous = 0;
      for (let a = 0.5; a <= 300; a += 3.7) {
        const n = agentsNeeded(a, target);
        expect(n).toBeGreaterThanOrEqual(previous);
        expect(n).toBeGreaterThan(a);
        expect(serviceLevel(n, a, 180, 20)).toBeGreaterThanOrEqual(0.9);
        if (n - 1 > a) expect(serviceLevel(n - 1, a, 180, 20)).toBeLessThan(0.9);
        previous = n;
      }
    });

    it('a stricter target or a longer handle time never needs fewer agents', () => {
      expect(agentsNeeded(80, { ...target, serviceLevel: 0.95 })).toBeGreaterThanOrEqual(agentsNeeded(80, target));
      expect(agentsNeeded(80, { ...target, slSeconds: 10 })).toBeGreaterThanOrEqual(agentsNeeded(80, target));
      // Same calls, longer AHT: more Erlangs.
      expect(agentsNeeded(trafficIntensity(1600, 3600, 240), { ...target, ahtSeconds: 240 })).toBeGreaterThan(agentsNeeded(80, target));
    });
  });

  it('an occupancy cap raises the headcount where the service target alone would overload agents', () => {
    // 80 Erl: 89 agents meet 90/20 at 89.9 % occupancy; a cap of 85 % needs ⌈80/0.85⌉ = 95.
    expect(agentsNeeded(80, { serviceLevel: 0.9, slSeconds: 20, ahtSeconds: 180 })).toBe(89);
    expect(agentsNeeded(80, { serviceLevel: 0.9, slSeconds: 20, ahtSeconds: 180, maxOccupancy: 0.85 })).toBe(95);
    // A loose cap changes nothing.
    expect(agentsNeeded(80, { serviceLevel: 0.9, slSeconds: 20, ahtSeconds: 180, maxOccupancy: 0.95 })).toBe(89);
  });

  it('shrinkage: schedules enough people that the needed remain on the phones, without rounding errors', () => {
    expect(scheduledWithShrinkage(14, 0.3)).toBe(20); // 14/0.7 = 20 exactly (20.000000000000004 in doubles)
    expect(scheduledWithShrinkage(89, 0.3)).toBe(128);
    expect(scheduledWithShrinkage(0, 0.3)).toBe(0);
    expect(onPhonesAfterShrinkage(20, 0.3)).toBe(14);
    expect(onPhonesAfterShrinkage(128, 0.3)).toBe(89);
  });

  it('refuses nonsense input instead of returning a plausible-looking number', () => {
    expect(() => agentsNeeded(10, { serviceLevel: 1, slSeconds: 20, ahtSeconds: 180 })).toThrow(RangeError);
    expect(() => agentsNeeded(-1, { serviceLevel: 0.8, slSeconds: 20, ahtSeconds: 180 })).toThrow(RangeError);
    expect(() => erlangC(2.5, 1)).toThrow(RangeError);
    expect(() => trafficIntensity(10, 0, 180)).toThrow(RangeError);
    expect(() => scheduledWithShrinkage(10, 1)).toThrow(RangeError);
  });
});
