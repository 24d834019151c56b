import { summariseFloorRun } from '../../../bench/floor/floor-metrics';
import type { FloorCallRow } from '../../../bench/floor/floor-run';
import { serviceLevel } from '../../../src/staffing/erlang-c';
import { START, floorRun } from './floor-fixtures';

/**
 * A floor simulated in memory: Poisson callers, one FIFO queue, N agents each
 * taken by the next caller as soon as free, a fixed ring before the answer,
 * exponential talk, fixed wrap-up (the seeds' shape). A seeded generator keeps
 * it repeatable. If the metrics model ringing right, the measured service level
 * lands on the Erlang C prediction from the run's own inputs.
 */
function simulatedFloor(seed: number, calls: number, agents: number, compression: number) {
  let state = seed;
  const random = (): number => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const exponential = (mean: number): number => -Math.log(1 - random()) * mean;
  const arrivalsPerRealSecond = 10 / 184; // 10 Erl of ring + talk + wrap-up
  const ringMs = 4000 / compression;
  const wrapMs = 10_000 / compression;
  const free: number[] = new Array<number>(agents).fill(START);
  const rows: FloorCallRow[] = [];
  let t = START;
  let talkingMs = 0;
  for (let i = 0; i < calls; i++) {
    t += exponential(1000 / arrivalsPerRealSecond / compression);
    let agent = 0;
    for (let a = 1; a < agents; a++) if (free[a]! < free[agent]!) agent = a;
    const assignedAt = Math.max(t, free[agent]!);
    const talk = exponential(170_000 / compression);
    free[agent] = assignedAt + ringMs + talk + wrapMs;
    talkingMs += talk;
    const answeredAtMs = assignedAt + ringMs;
    rows.push({
      sipCallId: `sip-${i}`, callId: `call-${i}`, outcome: 'answered', queue: 'operators', agentId: `agent-${agent}`,
      startedAtMs: t, queuedAtMs: t, answeredAtMs, endedAtMs: answeredAtMs + talk, recording: null,
    });
  }
  const arrivalSeconds = (t - START) / 1000;
  return floorRun(rows, {
    endedAtMs: Math.max(...free),
    agentTime: { talkingMs, ringingMs: calls * ringMs, wrapUpMs: calls * wrapMs, readyMs: 0, loggedInMs: 1 },
  }, {
    agents, compression, arrivalSeconds, arrivalsPerSecond: arrivalsPerRealSecond * compression,
    talkMeanSeconds: 170, wrapUpSeconds: 10, ringDelaySeconds: { min: 4, max: 4 }, serviceLevelSeconds: 20,
  });
}

describe('the Erlang C comparison against a simulated floor', () => {
  const run = simulatedFloor(12345, 20_000, 13, 10);
  const s = summariseFloorRun(run);

  it('over four long runs the deviation averages out near zero (the ring handled right in both handle time and threshold)', () => {
    // 100,000 calls each. Checked: comparing with T instead of T − ring makes the mean −1.2 points (the ring left out entirely: next test).
    const deviations = [12345, 777, 4242, 99].map((seed) => summariseFloorRun(simulatedFloor(seed, 100_000, 13, 10)).erlangC.deviationFromMeasuredPoints!);
    const mean = deviations.reduce((sum, d) => sum + d, 0) / deviations.length;
    expect(Math.abs(mean)).toBeLessThan(0.6);
  });

  it('measured SL lands within 2 points of the prediction from the run\'s own inputs', () => {
    expect(s.erlangC.measured?.trafficErlangs).toBeGreaterThan(9.5);
    expect(s.erlangC.measured?.trafficErlangs).toBeLessThan(10.5);
    expect(Math.abs(s.erlangC.deviationFromMeasuredPoints!)).toBeLessThan(2);
    expect(Math.abs(s.erlangC.deviationFromNominalPoints!)).toBeLessThan(4);
  });

  it('ignoring the ring (handle without it, threshold T) would be optimistic by most of the 5-point bound', () => {
    const m = s.erlangC.measured!;
    const handleWithoutRing = m.handleSeconds - m.ringSeconds;
    const naive = serviceLevel(13, m.arrivalsPerSecond * handleWithoutRing, handleWithoutRing, 20);
    // Seeds 12345, 777 and 4242 put the naive prediction 3.4–4.5 points above the floor, the corrected one within 1.2.
    expect((naive - s.erlangC.measuredServiceLevel!) * 100).toBeGreaterThan(3);
  });

  it('the ASA matches too (ringing included), within 15 %', () => {
    const predicted = s.erlangC.measured!.asaSeconds;
    expect(s.asa.realMs! / 1000).toBeGreaterThan(predicted * 0.85);
    expect(s.asa.realMs! / 1000).toBeLessThan(predicted * 1.15);
  });
});
