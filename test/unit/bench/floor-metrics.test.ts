import { MACHINE_COMPONENT, SILENT_RMS, machineCpuSeries, summariseFloorRun } from '../../../bench/floor/floor-metrics';
import { describe as distribution, maxOf, minOf, percentile } from '../../../bench/floor/percentiles';
import { serviceLevel } from '../../../src/staffing/erlang-c';
import { START, abandonedRow, answeredRow, floorRun, placed } from './floor-fixtures';

describe('percentiles (nearest rank)', () => {
  it('gives values that occurred: p50/p95/p99/max of 1..100 are 50/95/99/100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(distribution(values)).toEqual({ count: 100, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
  });
  it('a small sample: p99 of 3 values is the largest, p50 the middle one', () => {
    expect(percentile([30, 10, 20], 99)).toBe(30);
    expect(percentile([30, 10, 20], 50)).toBe(20);
  });
  it('max and min of a sample too large to spread into Math.max', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000);
    expect(maxOf(many)).toBe(299_999);
    expect(minOf(many)).toBe(0);
    expect(maxOf([])).toBeNull();
  });
  it('an empty sample has no figures rather than zeros', () => {
    expect(distribution([])).toEqual({ count: 0, mean: null, p50: null, p95: null, p99: null, max: null });
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });
});

describe('summariseFloorRun: service level, ASA, AHT by the product definitions', () => {
  // compression 10: T = 20 s real = 2,000 run ms.
  const rows = [
    answeredRow(0, 0), answeredRow(1, 500), answeredRow(2, 1000), answeredRow(3, 1500), answeredRow(4, 1900),
    answeredRow(5, 2000), // exactly T: within
    answeredRow(6, 2500), answeredRow(7, 4000),
    abandonedRow(8, 1000), // before T: left out of definition B
    abandonedRow(9, 3000), // after T: a failure in both
  ];
  const run = floorRun(rows, { agentTime: { talkingMs: 80_000, ringingMs: 0, wrapUpMs: 8_000, readyMs: 12_000, loggedInMs: 100_000 } }, { compression: 10 });
  const s = summariseFloorRun(run);

  it('T is serviceLevelSeconds ÷ compression in the run', () => {
    expect(s.serviceLevelThreshold).toEqual({ runMs: 2000, realMs: 20_000 });
  });
  it('counts offered, answered, abandoned and the outcomes of the operator queue', () => {
    expect(s.calls.operatorQueue).toEqual({ calls: 10, answered: 8, abandoned: 2, other: 0, byOutcome: { answered: 8, abandoned_queue: 2 } });
    expect(s.operatorAggregate).toMatchObject({ offered: 10, answered: 8, answeredWithinSl: 6, abandoned: 2, abandonedAfterSl: 1 });
  });
  it('definition A: 6 within T of 10 offered; definition B: 6 of (8 answered + 1 abandoned after T)', () => {
    expect(s.serviceLevel.definitionA).toBeCloseTo(0.6, 12);
    expect(s.serviceLevel.definitionB).toBeCloseTo(6 / 9, 12);
  });
  it('ASA and AHT in run ms and scaled back to real time', () => {
    // Waits 0+500+1000+1500+1900+2000+2500+4000 = 13,400 ms over 8 answered.
    expect(s.asa).toEqual({ runMs: 1675, realMs: 16_750 });
    // Talk 8 × 10,000 from the rows + 8,000 wrap-up from the agents, over 8 answered.
    expect(s.aht).toEqual({ runMs: 11_000, realMs: 110_000 });
    expect(s.abandonRate).toBeCloseTo(0.2, 12);
  });
  it('a short abandon is short in real time: 1 s of run at compression 10 is 10 s, not short', () => {
    expect(s.operatorAggregate.shortAbandoned).toBe(0);
    const quick = summariseFloorRun(floorRun([abandonedRow(0, 400)], {}, { compression: 10 }));
    expect(quick.operatorAggregate.shortAbandoned).toBe(1);
  });
  it('occupancy both ways: busy (talk + ring + wrap-up) and the seeds\' talk share', () => {
    expect(s.occupancy.busyShare).toBeCloseTo(0.88, 12);
    expect(s.occupancy.talkShare).toBeCloseTo(0.8, 12);
  });
});

describe('summariseFloorRun: which calls count where', () => {
  const rows = [
    answeredRow(0, 100),
    answeredRow(1, 100, 10_000, { queue: 'regional' }),
    answeredRow(2, 100, 10_000, { queue: 'key_accounts', agentId: 'pavel' }),
    abandonedRow(3, 0, { outcome: 'abandoned_ivr', queue: null, queuedAtMs: null }),
    abandonedRow(4, 5000, { outcome: 'overflowed', queue: 'operators' }),
  ];
  const run = floorRun(rows);
  run.placed.push(placed(5, { sipCallId: 'sip-lost' }));
  const s = summariseFloorRun(run);

  it('operator queues: operators and regional only; an overflow is neither answered nor abandoned', () => {
    expect(s.calls.operatorQueue).toEqual({ calls: 3, answered: 2, abandoned: 0, other: 1, byOutcome: { answered: 2, overflowed: 1 } });
    expect(s.operatorAggregate.overflowed).toBe(1);
  });
  it('all calls: the manager\'s call, the IVR abandon and the call without a row too', () => {
    expect(s.calls.all).toEqual({
      calls: 6, answered: 3, abandoned: 1, other: 2, byOutcome: { answered: 3, abandoned_ivr: 1, overflowed: 1, '(no row)': 1 },
    });
  });
  it('the operator queues can be named by the harness', () => {
    expect(summariseFloorRun(run, { operatorQueues: ['key_accounts'] }).calls.operatorQueue.calls).toBe(1);
  });
});

describe('summariseFloorRun: rows, recordings, sessions, errors', () => {
  it('lists placed calls without a row, duplicated rows and rows of calls nobody placed', () => {
    const run = floorRun([answeredRow(0, 0), answeredRow(1, 0)]);
    run.placed.push(placed(2, { sipCallId: 'sip-2' }));
    run.rows.push(answeredRow(1, 0), answeredRow(9, 0));
    const s = summariseFloorRun(run);
    expect(s.rows).toEqual({
      placed: 3, written: 2, missingSipCallIds: ['sip-2'], refusedSipCallIds: [], duplicates: [{ sipCallId: 'sip-1', rows: 2 }], unknownSipCallIds: ['sip-9'],
    });
    // The duplicate is one call, not two answered calls.
    expect(s.calls.operatorQueue.answered).toBe(2);
  });

  it('a caller the overload control refused (503, no row by design) is refused, not a lost row', () => {
    const run = floorRun([answeredRow(0, 0)]);
    run.placed.push(placed(1, { sipCallId: 'sip-1' }), placed(2, { sipCallId: 'sip-2' }));
    run.refusedSipCallIds = ['sip-1'];
    const s = summariseFloorRun(run);
    expect(s.rows.missingSipCallIds).toEqual(['sip-2']);
    expect(s.rows.refusedSipCallIds).toEqual(['sip-1']);
  });

  it('an answered call needs a recording with sound on both channels', () => {
    const rows = [
      answeredRow(0, 0),
      answeredRow(1, 0, 10_000, { recording: null }),
      answeredRow(2, 0, 10_000, { recording: { path: 'x', callerRms: 2000, agentRms: SILENT_RMS - 1 } }),
      answeredRow(3, 0, 10_000, { recording: { path: 'y', callerRms: 8, agentRms: 3000 } }),
      answeredRow(4, 0, 10_000, { recording: { path: 'z', callerRms: SILENT_RMS, agentRms: SILENT_RMS } }),
      abandonedRow(5, 100),
    ];
    const s = summariseFloorRun(floorRun(rows));
    expect(s.recordings).toEqual({
      answered: 5, present: 4, nonSilent: 2, missingSipCallIds: ['sip-1'], silentSipCallIds: ['sip-2', 'sip-3'], silentRms: SILENT_RMS,
    });
  });

  it('passes leftover rtpengine sessions on and adds up log errors', () => {
    const s = summariseFloorRun(floorRun([], { rtpengineSessionsLeft: 3, logErrors: [{ message: 'a', count: 2 }, { message: 'b', count: 5 }] }));
    expect(s.rtpengineSessionsLeft).toBe(3);
    expect(s.logErrors).toEqual({ total: 7, distinct: 2 });
  });
});

describe('summariseFloorRun: machine latencies and CPU', () => {
  it('ring latency and IVR audio are real machine latencies, never scaled by compression', () => {
    const ring = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = summariseFloorRun(floorRun([], { ringLatenciesMs: ring, ivrAudioMs: [120, 80, 400] }, { compression: 10 }));
    expect(s.ringLatencyMs).toMatchObject({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(s.ivrAudioMs).toMatchObject({ p50: 120, p99: 400, max: 400 });
  });

  it('CPU mean, p95, max and RSS max per component; the machine is the sum of each process\'s latest sample', () => {
    const processes = [
      { atMs: START + 1000, component: 'rtpengine', cpuPercent: 50, rssBytes: 100 },
      { atMs: START + 1010, component: 'switchboard', cpuPercent: 30, rssBytes: 500 },
      { atMs: START + 2000, component: 'rtpengine', cpuPercent: 70, rssBytes: 300 },
      { atMs: START + 2010, component: 'switchboard', cpuPercent: 90, rssBytes: 400 },
    ];
    const s = summariseFloorRun(floorRun([], { processes }));
    expect(s.cpu).toEqual([
      { component: 'rtpengine', samples: 2, cpuMeanPercent: 60, cpuP95Percent: 70, cpuMaxPercent: 70, rssMaxBytes: 300 },
      { component: 'switchboard', samples: 2, cpuMeanPercent: 60, cpuP95Percent: 90, cpuMaxPercent: 90, rssMaxBytes: 500 },
    ]);
    expect(machineCpuSeries(processes).map((m) => m.cpuPercent)).toEqual([50, 80, 100, 160]);
    expect(s.machineCpu).toMatchObject({ component: MACHINE_COMPONENT, cpuMaxPercent: 160 });
  });

  it('takes the harness\'s machine-wide samples when there are some, and keeps them out of the components', () => {
    const processes = [
      { atMs: START + 1000, component: 'rtpengine', cpuPercent: 50, rssBytes: 100 },
      { atMs: START + 1000, component: MACHINE_COMPONENT, cpuPercent: 120, rssBytes: 0 },
    ];
    const s = summariseFloorRun(floorRun([], { processes }));
    expect(s.cpu.map((c) => c.component)).toEqual(['rtpengine']);
    expect(s.machineCpu.cpuMaxPercent).toBe(120);
  });
});

describe('summariseFloorRun: concurrency and occupancy while callers arrive', () => {
  it('uses only the snapshots of the arrival window (the drain after it would dilute them)', () => {
    const snap = (atS: number, talking: number, waiting = 0, inIvr = 0) => ({ atMs: START + atS * 1000, waiting, inIvr, talking, agentsReady: 0, agentsWrapUp: 0 });
    const run = floorRun([], { snapshots: [snap(10, 7, 1, 2), snap(50, 14, 5, 4), snap(150, 0)] }, { arrivalSeconds: 100, agents: 14 });
    const s = summariseFloorRun(run);
    expect(s.concurrency).toEqual({ talkingMean: 10.5, talkingPeak: 14, inIvrPeak: 4, waitingPeak: 5 });
    expect(s.occupancy.talkShareWhileArriving).toBeCloseTo(0.75, 12);
  });
});

describe('summariseFloorRun: the Erlang C comparison', () => {
  // A = 10 Erl (1/18 call/s × 180 s), 14 agents, T = 20 s: the textbook example, SL 88.835 % (test/unit/staffing/erlang-c.test.ts).
  const textbook = { arrivalsPerSecond: 1 / 18, agents: 14, talkMeanSeconds: 170, wrapUpSeconds: 10 };

  it('nominal: the settings\' arrival rate and talk + wrap-up give the textbook figure', () => {
    const s = summariseFloorRun(floorRun([], {}, textbook));
    expect(s.erlangC.nominal?.trafficErlangs).toBeCloseTo(10, 12);
    expect(s.erlangC.nominal?.serviceLevel).toBeCloseTo(0.88835, 5);
  });

  it('time compression does not change the prediction (λ × c, handle ÷ c, T ÷ c)', () => {
    const s = summariseFloorRun(floorRun([], {}, { ...textbook, arrivalsPerSecond: 10 / 18, compression: 10 }));
    expect(s.erlangC.nominal?.serviceLevel).toBeCloseTo(0.88835, 5);
    expect(s.erlangC.nominal?.arrivalsPerSecond).toBeCloseTo(1 / 18, 12);
  });

  it('only the operators\' callers load the operators: half the mix elsewhere halves the traffic', () => {
    const mix = { market: 0.3, retail: 0.1, regional: 0.1, key: 0.3, debtor: 0.2, unknown: 0 };
    const s = summariseFloorRun(floorRun([], {}, { ...textbook, arrivalsPerSecond: 2 / 18, callerMix: mix }));
    expect(s.erlangC.nominal?.trafficErlangs).toBeCloseTo(10, 12);
  });

  it('ringing is agent time and caller wait: handle includes it and a call must be assigned within T − ring', () => {
    const s = summariseFloorRun(floorRun([], {}, { ...textbook, ringDelaySeconds: { min: 2, max: 6 } }));
    const a = (1 / 18) * 184;
    expect(s.erlangC.nominal).toMatchObject({ handleSeconds: 184, ringSeconds: 4 });
    expect(s.erlangC.nominal?.serviceLevel).toBeCloseTo(serviceLevel(14, a, 184, 16), 12);
    expect(s.erlangC.nominal?.serviceLevel).toBeLessThan(0.88835);
  });

  it('measured: offered ÷ arrival window and agent time per answered call, with the deviation in points', () => {
    // 100 s window, 10 offered → 0.1 call/s; 9 answered, each 90 s of talk (rows) + 2 s ring + 8 s wrap-up (agent time) → handle 100 s: A = 10 Erl.
    const rows = [...Array.from({ length: 8 }, (_, i) => answeredRow(i, 0, 90_000)), answeredRow(8, 30_000, 90_000), abandonedRow(9, 25_000)];
    const run = floorRun(rows, {
      ringLatenciesMs: Array.from({ length: 9 }, () => 10),
      agentTime: { talkingMs: 810_000, ringingMs: 18_000, wrapUpMs: 72_000, readyMs: 0, loggedInMs: 1_400_000 },
    }, { agents: 14, arrivalSeconds: 100 });
    const s = summariseFloorRun(run);
    expect(s.erlangC.measured).toMatchObject({ arrivalsPerSecond: 0.1, handleSeconds: 100, ringSeconds: 2 });
    expect(s.erlangC.measured?.trafficErlangs).toBeCloseTo(10, 12);
    const predicted = serviceLevel(14, 10, 100, 18);
    expect(s.erlangC.measured?.serviceLevel).toBeCloseTo(predicted, 12);
    // Nobody has a patience: compared with definition A, 8 of 10.
    expect(s.erlangC.comparedDefinition).toBe('A');
    expect(s.erlangC.deviationFromMeasuredPoints).toBeCloseTo((0.8 - predicted) * 100, 9);
    // 8 of 10 in time: √(0.8 × 0.2 / 10) = 12.6 points of binomial noise.
    expect(s.erlangC.measuredStandardErrorPoints).toBeCloseTo(Math.sqrt(0.016) * 100, 9);
    expect(s.erlangC.abandonmentNote).toBeNull();
  });

  it('key clients waiting in the operators\' queue for their managers count in the product\'s SL but not in the comparison', () => {
    const rows = [answeredRow(0, 0), answeredRow(1, 0), answeredRow(2, 0), answeredRow(3, 60_000), abandonedRow(4, 90_000)];
    const run = floorRun(rows, { agentTime: { talkingMs: 40_000, ringingMs: 0, wrapUpMs: 0, readyMs: 0, loggedInMs: 1 } });
    run.placed[3]!.kind = 'key';
    run.placed[4]!.kind = 'key';
    const s = summariseFloorRun(run);
    expect(s.serviceLevel.definitionA).toBeCloseTo(3 / 5, 12);
    expect(s.erlangC).toMatchObject({ measuredServiceLevel: 1, comparedCalls: 3, excludedCalls: 2 });
    expect(s.erlangC.measured?.arrivalsPerSecond).toBeCloseTo(3 / 100, 12);
  });

  it('the floor\'s other agents (managers, finance) do not inflate the operators\' handle time or AHT', () => {
    // 4 operator-queue calls and 1 finance call, each 60 s of talk; agentTime covers all five calls' agents: 5 × 4 s ring, 5 × 30 s wrap-up.
    const rows = [...Array.from({ length: 4 }, (_, i) => answeredRow(i, 0, 60_000)), answeredRow(4, 0, 60_000, { queue: 'finance' })];
    const run = floorRun(rows, { ringLatenciesMs: [5, 5, 5, 5, 5], agentTime: { talkingMs: 300_000, ringingMs: 20_000, wrapUpMs: 150_000, readyMs: 0, loggedInMs: 1 } });
    const s = summariseFloorRun(run);
    expect(s.aht.realMs).toBe(90_000);
    expect(s.erlangC.measured).toMatchObject({ handleSeconds: 94, ringSeconds: 4 });
  });

  it('talk share while callers arrive counts every agent of the floor when the harness lists their roles', () => {
    const snap = { atMs: START + 1000, waiting: 0, inIvr: 0, talking: 27, agentsReady: 0, agentsWrapUp: 0 };
    const roles = Object.fromEntries(Array.from({ length: 54 }, (_, i) => [String(i), i < 50 ? 'operator' : 'manager']));
    expect(summariseFloorRun(floorRun([], { snapshots: [snap] }, { agents: 50 })).occupancy.talkShareWhileArriving).toBeCloseTo(27 / 50, 12);
    expect(summariseFloorRun(floorRun([], { snapshots: [snap], agentRoles: roles }, { agents: 50 })).occupancy.talkShareWhileArriving).toBeCloseTo(27 / 54, 12);
  });

  it('with a patience, compares definition B, adds Erlang A with that patience and checks the bound against it', () => {
    const rows = [...Array.from({ length: 18 }, (_, i) => answeredRow(i, 0, 180_000)), abandonedRow(18, 500), abandonedRow(19, 30_000)];
    const run = floorRun(rows, { agentTime: { talkingMs: 18 * 180_000, ringingMs: 0, wrapUpMs: 0, readyMs: 0, loggedInMs: 1 } },
      { agents: 11, arrivalSeconds: 400, patienceMeanSeconds: 60 });
    const s = summariseFloorRun(run);
    expect(s.erlangC.comparedDefinition).toBe('B');
    expect(s.erlangC.measuredServiceLevel).toBeCloseTo(18 / 19, 12);
    // Definition B divides by 18 answered + 1 abandoned after T.
    expect(s.erlangC.measuredStandardErrorPoints).toBeCloseTo(Math.sqrt(((18 / 19) * (1 / 19)) / 19) * 100, 9);
    // 20 offered in 400 s × 180 s = 9 Erl, abandoners included: they are offered load, whatever they then do.
    expect(s.erlangC.measured?.trafficErlangs).toBeCloseTo(9, 12);
    expect(s.erlangC.withAbandonment).toMatchObject({ patienceSeconds: 60, agents: 11, handleSeconds: 180 });
    expect(s.erlangC.withAbandonment!.trafficErlangs).toBeCloseTo(9, 12);
    expect(s.erlangC.withAbandonment!.serviceLevelB).toBeGreaterThan(s.erlangC.measured!.serviceLevel);
    expect(s.erlangC).toMatchObject({ boundModel: 'Erlang A', boundServiceLevel: s.erlangC.withAbandonment!.serviceLevelB });
    expect(s.erlangC.boundDeviationPoints).toBeCloseTo((18 / 19 - s.erlangC.withAbandonment!.serviceLevelB) * 100, 9);
    expect(s.erlangC.abandonmentNote).toContain('10.0 % of the operator queues\' callers did');
    expect(s.erlangC.abandonmentNote).toContain('the service-level bound is checked against Erlang A');
  });

  it.each([
    ['no patience', { patienceMeanSeconds: null }],
    ['a patience nobody has', { patienceMeanSeconds: 60, impatientShare: 0 }],
  ])('with %s the bound is Erlang C\'s on definition A and there is no Erlang A', (_, patience) => {
    const s = summariseFloorRun(floorRun([answeredRow(0, 0)], { agentTime: { talkingMs: 180_000, ringingMs: 0, wrapUpMs: 0, readyMs: 0, loggedInMs: 1 } }, patience));
    expect(s.erlangC).toMatchObject({ comparedDefinition: 'A', boundModel: 'Erlang C', withAbandonment: null, abandonmentNote: null });
    expect(s.erlangC.boundDeviationPoints).toBe(s.erlangC.deviationFromMeasuredPoints);
    expect(s.erlangC.boundDeviationPoints).not.toBeNull();
  });

  it('nothing answered: no measured prediction rather than a division by zero', () => {
    const s = summariseFloorRun(floorRun([abandonedRow(0, 100)]));
    expect(s.erlangC.measured).toBeNull();
    expect(s.erlangC.deviationFromMeasuredPoints).toBeNull();
    expect(s.asa).toEqual({ runMs: null, realMs: null });
  });
});
