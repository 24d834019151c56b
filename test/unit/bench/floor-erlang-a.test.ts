import { predictWithAbandonment } from '../../../bench/floor/floor-erlang-a';
import { summariseFloorRun } from '../../../bench/floor/floor-metrics';
import { limitVerdict } from '../../../bench/floor/floor-limit';
import { serviceLevel } from '../../../src/staffing/erlang-c';
import { simulatedFloor } from './floor-simulation';

const inputs = { label: 'test', arrivalsPerSecond: 10 / 184, handleSeconds: 184, ringSeconds: 4, agents: 13, thresholdSeconds: 20 };

describe('Erlang A (Erlang C plus exponential patience): M/M/N+G with every caller impatient', () => {
  it('with a patience far longer than any wait it is Erlang C', () => {
    const a = predictWithAbandonment({ ...inputs, patienceSeconds: 1e9 })!;
    expect(a.serviceLevelA).toBeCloseTo(serviceLevel(13, 10, 184, 16), 5);
    expect(a.serviceLevelB).toBeCloseTo(a.serviceLevelA, 5);
    expect(a.abandonShare).toBeLessThan(1e-5);
  });

  it('stays finite on an overloaded floor (fewer agents than Erlangs): the impatient keep the queue bounded', () => {
    const a = predictWithAbandonment({ ...inputs, agents: 8, patienceSeconds: 60 })!;
    // 10 Erl on 8 agents: at least the 2 Erl the agents cannot carry must leave, a fifth of the callers.
    expect(a.abandonShare).toBeGreaterThan(0.2);
    for (const p of [a.pWait, a.serviceLevelA, a.serviceLevelB]) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
  });

  it('a ring longer than T answers nobody in time; no callers, nobody waits', () => {
    expect(predictWithAbandonment({ ...inputs, ringSeconds: 25, patienceSeconds: 60 })!.serviceLevelA).toBe(0);
    expect(predictWithAbandonment({ ...inputs, arrivalsPerSecond: 0, patienceSeconds: 60 })).toMatchObject({ pWait: 0, serviceLevelA: 1, abandonShare: 0 });
    expect(predictWithAbandonment({ ...inputs, patienceSeconds: 0 })).toBeNull();
  });

  // Simulated floors of 50,000 callers each; the model is exact for the simulation except for the fixed wrap-up and ring.
  it.each([
    [11, 60], [10, 120], [12, 30], [8, 60],
  ])('predicts a simulated floor of %i agents with a %i s patience within 1.5 points (A, B and abandons)', (agents, patience) => {
    const run = simulatedFloor({ seed: 777, calls: 50_000, agents, compression: 1, patienceSeconds: patience });
    const s = summariseFloorRun(run);
    const a = s.erlangC.withAbandonment!;
    expect(Math.abs(a.serviceLevelA - s.serviceLevel.definitionA!) * 100).toBeLessThan(1.5);
    expect(Math.abs(a.serviceLevelB - s.serviceLevel.definitionB!) * 100).toBeLessThan(1.5);
    expect(Math.abs(a.abandonShare - s.abandonRate!) * 100).toBeLessThan(1.5);
  });
});

describe('when only some callers have a patience (the seeds: a share of impatient callers)', () => {
  it.each([
    [11, 60, 0.05], [10, 120, 0.5], [8, 60, 0.5], [12, 120, 0.05],
  ])('predicts a simulated floor of %i agents, %i s patience for a share %d, within 1.5 points', (agents, patience, share) => {
    const s = summariseFloorRun(simulatedFloor({ seed: 777, calls: 50_000, agents, compression: 1, patienceSeconds: patience, impatientShare: share }));
    const a = s.erlangC.withAbandonment!;
    expect(a.impatientShare).toBe(share);
    expect(Math.abs(a.serviceLevelA - s.serviceLevel.definitionA!) * 100).toBeLessThan(1.5);
    expect(Math.abs(a.serviceLevelB - s.serviceLevel.definitionB!) * 100).toBeLessThan(1.5);
    expect(Math.abs(a.abandonShare - s.abandonRate!) * 100).toBeLessThan(1.5);
  });

  it('the note says what share of callers has a patience', () => {
    const s = summariseFloorRun(simulatedFloor({ seed: 5, calls: 2000, agents: 11, compression: 10, patienceSeconds: 60, impatientShare: 0.05 }));
    expect(s.erlangC.abandonmentNote).toMatch(/^callers abandon \(5 % of callers with a mean patience of 60 s\): \d+\.\d % of the operator queues' callers did, Erlang A expects \d+\.\d %/);
  });

  it('the patient callers alone overloading the agents: nobody is answered in time and every impatient caller leaves', () => {
    // 10 Erl on 9 agents, half the callers never give up: 5 Erl of patient callers fit, so this is stable…
    expect(predictWithAbandonment({ ...inputs, agents: 9, patienceSeconds: 60, impatientShare: 0.5 })!.serviceLevelA).toBeGreaterThan(0);
    // …but with 95 % patient callers (9.5 Erl) on 9 agents their queue grows for ever.
    expect(predictWithAbandonment({ ...inputs, agents: 9, patienceSeconds: 60, impatientShare: 0.05 })).toMatchObject({ serviceLevelA: 0, abandonShare: 0.05, pWait: 1 });
  });

  it('stays finite at the seeds\' busiest floor (250 agents, 240 Erl)', () => {
    const a = predictWithAbandonment({ ...inputs, arrivalsPerSecond: 240 / 200, handleSeconds: 200, agents: 250, patienceSeconds: 60, impatientShare: 0.05 })!;
    for (const p of [a.pWait, a.serviceLevelA, a.serviceLevelB, a.abandonShare]) expect(Number.isFinite(p) && p >= 0 && p <= 1).toBe(true);
    expect(a.serviceLevelA).toBeGreaterThan(0.5);
  });
});

describe('the service-level bound when callers have a patience', () => {
  const run = simulatedFloor({ seed: 4242, calls: 50_000, agents: 11, compression: 10, patienceSeconds: 60 });
  const s = summariseFloorRun(run);

  it('Erlang C is far too pessimistic there: it predicts under 45 % where the floor answers over 80 % (definition B)', () => {
    expect(s.erlangC.measured!.serviceLevel).toBeLessThan(0.45);
    expect(s.serviceLevel.definitionB).toBeGreaterThan(0.8);
  });

  it('so the bound is checked against Erlang A, and the note says how far apart the models are', () => {
    expect(s.erlangC).toMatchObject({ comparedDefinition: 'B', boundModel: 'Erlang A' });
    expect(s.erlangC.boundServiceLevel).toBe(s.erlangC.withAbandonment!.serviceLevelB);
    expect(Math.abs(s.erlangC.boundDeviationPoints!)).toBeLessThan(1.5);
    const gap = (s.erlangC.withAbandonment!.serviceLevelB - s.erlangC.measured!.serviceLevel) * 100;
    expect(s.erlangC.abandonmentNote).toContain(`${gap.toFixed(1)} points below Erlang A's`);
    expect(limitVerdict(s, run).broken.map((b) => b.bound)).not.toContain('service level below Erlang A, points');
  });

  it('a floor 10 points short of Erlang A breaks the bound, though it is still far above Erlang C', () => {
    const short = { ...s, erlangC: { ...s.erlangC, boundDeviationPoints: -10 } };
    expect(limitVerdict(short, { processes: [] }).broken).toContainEqual({ bound: 'service level below Erlang A, points', measured: 10, limit: 5 });
  });
});
