import { summariseFloorRun, type FloorSummary } from '../../../bench/floor/floor-metrics';
import {
  firstSaturated, limitStep, limitVerdict, nextLoad, scaledLoad, type FloorLoad, type LimitStep,
} from '../../../bench/floor/floor-limit';
import type { ProcessSample } from '../../../bench/floor/floor-run';
import { START, answeredRow, floorRun } from './floor-fixtures';

/** A run that meets every bound: fast rings and IVR audio, every row and recording, SL at Erlang C's. */
function goodRun() {
  const rows = Array.from({ length: 10 }, (_, i) => answeredRow(i, 0));
  return floorRun(rows, {
    ringLatenciesMs: Array.from({ length: 10 }, () => 20),
    ivrAudioMs: Array.from({ length: 10 }, () => 100),
    agentTime: { talkingMs: 100_000, ringingMs: 0, wrapUpMs: 0, readyMs: 0, loggedInMs: 1_400_000 },
  });
}

describe('limitVerdict: the issue\'s bounds', () => {
  it('a run within every bound is ok', () => {
    const run = goodRun();
    const verdict = limitVerdict(summariseFloorRun(run), run);
    expect(verdict).toEqual({ ok: true, broken: [], saturated: null });
  });

  it('ring latency p99 over 100 ms breaks (exactly 100 does not)', () => {
    const run = goodRun();
    run.ringLatenciesMs = [...Array.from({ length: 98 }, () => 10), 100, 250];
    expect(limitVerdict(summariseFloorRun(run), run).ok).toBe(true);
    run.ringLatenciesMs = [...Array.from({ length: 97 }, () => 10), 101, 101, 250];
    expect(limitVerdict(summariseFloorRun(run), run).broken).toEqual([{ bound: 'ring latency p99, ms', measured: 101, limit: 100 }]);
  });

  it('IVR audio p99 later than 500 ms breaks', () => {
    const run = goodRun();
    run.ivrAudioMs = [100, 600];
    expect(limitVerdict(summariseFloorRun(run), run).broken).toEqual([{ bound: 'IVR audio p99, ms', measured: 600, limit: 500 }]);
  });

  it('one lost row, one silent recording, one missing recording each break', () => {
    const run = goodRun();
    run.rows = run.rows.filter((r) => r.sipCallId !== 'sip-9');
    run.rows[0] = { ...run.rows[0]!, recording: { path: 'x', callerRms: 3000, agentRms: 0 } };
    run.rows[1] = { ...run.rows[1]!, recording: null };
    const broken = limitVerdict(summariseFloorRun(run), run).broken.map((b) => [b.bound, b.measured]);
    expect(broken).toEqual([['lost call rows', 1], ['silent recordings', 1], ['missing recordings', 1]]);
  });

  it('a caller refused by the overload control breaks: the load was not carried, though no row was lost', () => {
    const run = goodRun();
    run.rows = run.rows.filter((r) => r.sipCallId !== 'sip-9');
    run.refusedSipCallIds = ['sip-9'];
    const broken = limitVerdict(summariseFloorRun(run), run).broken.map((b) => [b.bound, b.measured]);
    expect(broken).toEqual([['callers refused by the overload control', 1]]);
  });

  it('service level more than 5 points below Erlang C breaks; 5 points or less does not', () => {
    const summary = summariseFloorRun(goodRun());
    const at = (deviation: number): FloorSummary => ({ ...summary, erlangC: { ...summary.erlangC, boundDeviationPoints: deviation } });
    expect(limitVerdict(at(-5), { processes: [] }).ok).toBe(true);
    expect(limitVerdict(at(+12), { processes: [] }).ok).toBe(true);
    expect(limitVerdict(at(-5.5), { processes: [] }).broken).toEqual([{ bound: 'service level below Erlang C, points', measured: 5.5, limit: 5 }]);
  });

  it('a bound that was not measured is broken, not passed', () => {
    const run = goodRun();
    run.ivrAudioMs = [];
    expect(limitVerdict(summariseFloorRun(run), run).broken).toEqual([{ bound: 'IVR audio p99, ms', measured: null, limit: 500 }]);
  });
});

describe('firstSaturated', () => {
  const sample = (atS: number, component: string, cpuPercent: number): ProcessSample => ({ atMs: START + atS * 1000, component, cpuPercent, rssBytes: 0 });

  it('a single-threaded component at ≥ 90 % of one core for two samples', () => {
    const processes = [
      sample(1, 'switchboard', 95), sample(2, 'switchboard', 50), sample(3, 'switchboard', 92), sample(4, 'switchboard', 97),
      sample(1, 'rtpengine', 40), sample(2, 'rtpengine', 40), sample(3, 'rtpengine', 40), sample(4, 'rtpengine', 40),
    ];
    expect(firstSaturated(processes)).toBe('switchboard (single-threaded, ≥ 90 % of one core)');
  });

  it('one sample at the ceiling (a GC pause) is not saturation', () => {
    expect(firstSaturated([sample(1, 'redis', 99), sample(2, 'redis', 10), sample(3, 'redis', 99)])).toBeNull();
  });

  it('rtpengine at 150 % is not saturated by itself: it has a thread per core; the machine at ≥ 95 % of both cores is', () => {
    expect(firstSaturated([sample(1, 'rtpengine', 150), sample(2, 'rtpengine', 150)])).toBeNull();
    const full = [sample(1, 'rtpengine', 150), sample(1, 'postgres', 45), sample(2, 'rtpengine', 160), sample(2, 'postgres', 35)];
    expect(firstSaturated(full)).toBe('machine (≥ 95 % of all 2 cores, most of it rtpengine at 150 %)');
  });

  it('the earliest wins, and sipp is named as the load generator', () => {
    const processes = [
      sample(1, 'sipp', 120), sample(1, 'drachtio-server', 75), sample(2, 'sipp', 120), sample(2, 'drachtio-server', 75),
      sample(3, 'drachtio-server', 91), sample(4, 'drachtio-server', 91),
    ];
    expect(firstSaturated(processes)).toBe('machine (≥ 95 % of all 2 cores, most of it sipp, the load generator, at 120 %)');
    expect(firstSaturated(processes, { cores: 4 })).toBe('drachtio-server (single-threaded, ≥ 90 % of one core)');
  });

  it('the verdict carries it', () => {
    const run = goodRun();
    run.processes = [sample(1, 'switchboard', 99), sample(2, 'switchboard', 99)];
    expect(limitVerdict(summariseFloorRun(run), run)).toMatchObject({ ok: true, saturated: 'switchboard (single-threaded, ≥ 90 % of one core)' });
  });
});

describe('the limit search', () => {
  const start: FloorLoad = { arrivalsPerSecond: 2, agents: 50 };
  /** A step at `rate` that is good below `limit` calls/s. */
  const step = (rate: number, limit: number): LimitStep => {
    const load = scaledLoad(start, rate);
    const ok = rate < limit;
    return {
      load, verdict: { ok, broken: ok ? [] : [{ bound: 'ring latency p99, ms', measured: 150, limit: 100 }], saturated: null },
      callsPerSecond: rate, concurrentAnsweredMean: load.agents * 0.6, concurrentAnsweredPeak: load.agents,
      ringP99Ms: ok ? 20 : 150, ivrAudioP99Ms: 100, serviceLevel: 0.9, erlangServiceLevel: 0.9, lostRows: 0, silentRecordings: 0,
    };
  };
  /** Runs the search against a floor that breaks at `limit` calls/s. */
  const search = (limit: number, opts: { bisectSteps?: number; maxAgents?: number } = {}) => {
    const history: LimitStep[] = [];
    for (let i = 0; i < 30; i++) {
      const state = nextLoad(history, { start, ...opts });
      if (state.next === null) return { history, state };
      history.push(step(state.next.arrivalsPerSecond, limit));
    }
    throw new Error('the search did not end');
  };

  it('scales agents with the arrival rate, so occupancy stays the start\'s', () => {
    expect(scaledLoad(start, 8)).toEqual({ arrivalsPerSecond: 8, agents: 200 });
    expect(scaledLoad(start, 3)).toEqual({ arrivalsPerSecond: 3, agents: 75 });
    expect(scaledLoad(start, 0.01).agents).toBe(1);
  });

  it('starts at the start, doubles until a run breaks, then bisects 3 steps', () => {
    const { history, state } = search(21);
    expect(history.map((s) => s.load.arrivalsPerSecond)).toEqual([2, 4, 8, 16, 32, 24, 20, 22]);
    expect(state.lastGood?.load).toEqual({ arrivalsPerSecond: 20, agents: 500 });
    expect(state.firstBad?.load).toEqual({ arrivalsPerSecond: 22, agents: 550 });
    expect(state.reason).toContain('after 3 bisection steps');
  });

  it('the phases are named along the way', () => {
    expect(nextLoad([], { start })).toMatchObject({ next: start, phase: 'doubling' });
    expect(nextLoad([step(2, 10), step(4, 10)], { start })).toMatchObject({ next: { arrivalsPerSecond: 8 }, phase: 'doubling' });
    expect(nextLoad([step(2, 10), step(4, 10), step(8, 10), step(16, 10)], { start })).toMatchObject({ next: { arrivalsPerSecond: 12, agents: 300 }, phase: 'bisecting' });
  });

  it('a broken start is halved until a load holds, then bisected', () => {
    const { history, state } = search(0.7);
    expect(history.map((s) => s.load.arrivalsPerSecond)).toEqual([2, 1, 0.5, 0.75, 0.625, 0.6875]);
    expect(state.lastGood?.load.arrivalsPerSecond).toBe(0.6875);
  });

  it('gives up when nothing holds', () => {
    const { state } = search(0);
    expect(state).toMatchObject({ next: null, phase: 'done', lastGood: null });
    expect(state.reason).toContain('every load broke a bound');
  });

  it('stops at the most agents the harness can register when nothing broke', () => {
    const { history, state } = search(1000, { maxAgents: 300 });
    expect(history.map((s) => s.load)).toEqual([
      { arrivalsPerSecond: 2, agents: 50 }, { arrivalsPerSecond: 4, agents: 100 }, { arrivalsPerSecond: 8, agents: 200 }, { arrivalsPerSecond: 12, agents: 300 },
    ]);
    expect(state).toMatchObject({ next: null, firstBad: null, lastGood: { load: { agents: 300 } } });
  });

  it('a good run above a broken one (noise) does not raise the limit', () => {
    const history = [step(2, 10), step(4, 10), step(8, 10), step(16, 10), { ...step(12, 100) }, step(10, 10)];
    const state = nextLoad(history, { start, bisectSteps: 1 });
    expect(state.lastGood?.load.arrivalsPerSecond).toBe(8);
    expect(state.firstBad?.load.arrivalsPerSecond).toBe(10);
  });

  it('a step carries the figures of its summary: calls per second of the run and concurrent answered calls', () => {
    const run = goodRun();
    run.snapshots = [3, 5, 7].map((talking, i) => ({ atMs: START + i * 1000, waiting: 0, inIvr: 0, talking, agentsReady: 0, agentsWrapUp: 0 }));
    const summary = summariseFloorRun(run);
    const s = limitStep({ arrivalsPerSecond: 0.1, agents: 14 }, summary, limitVerdict(summary, run));
    // 10 placed in the 100 s arrival window.
    expect(s).toMatchObject({ callsPerSecond: 0.1, concurrentAnsweredMean: 5, concurrentAnsweredPeak: 7, ringP99Ms: 20, ivrAudioP99Ms: 100, lostRows: 0, silentRecordings: 0 });
  });
});
