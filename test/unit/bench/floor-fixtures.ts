import type { FloorCallRow, FloorRun, FloorSettings, PlacedCall } from '../../../bench/floor/floor-run';

/** Synthetic floor runs for the pure floor modules' tests: every figure chosen so the expected answer is known. */

export const START = 1_000_000;

export function settings(overrides: Partial<FloorSettings> = {}): FloorSettings {
  return {
    agents: 14,
    arrivalsPerSecond: 1,
    arrivalSeconds: 100,
    compression: 1,
    talkMeanSeconds: 170,
    ringDelaySeconds: { min: 0, max: 0 },
    wrapUpSeconds: 10,
    patienceMeanSeconds: null,
    serviceLevelSeconds: 20,
    callerMix: { market: 1, retail: 0, regional: 0, key: 0, debtor: 0, unknown: 0 },
    seed: 1,
    ...overrides,
  };
}

export function placed(index: number, overrides: Partial<PlacedCall> = {}): PlacedCall {
  return {
    index, kind: 'market', callerNumber: `+7495100${String(index).padStart(4, '0')}`, digits: '1', dueAtMs: index * 1000,
    patienceMs: null, sipCallId: `sip-${index}`, ...overrides,
  };
}

const LOUD = { callerRms: 2000, agentRms: 1500 };

/** An operator-queue call queued at START + index s that waited `waitMs` and was answered, talking `talkMs`. */
export function answeredRow(index: number, waitMs: number, talkMs = 10_000, overrides: Partial<FloorCallRow> = {}): FloorCallRow {
  const queuedAtMs = START + index * 1000;
  return {
    sipCallId: `sip-${index}`, callId: `call-${index}`, outcome: 'answered', queue: 'operators', agentId: 'agent-1',
    startedAtMs: queuedAtMs - 500, queuedAtMs, answeredAtMs: queuedAtMs + waitMs, endedAtMs: queuedAtMs + waitMs + talkMs,
    recording: { path: `/rec/${index}.wav`, ...LOUD }, ...overrides,
  };
}

/** An operator-queue call whose caller hung up after waiting `waitMs`. */
export function abandonedRow(index: number, waitMs: number, overrides: Partial<FloorCallRow> = {}): FloorCallRow {
  const queuedAtMs = START + index * 1000;
  return {
    sipCallId: `sip-${index}`, callId: `call-${index}`, outcome: 'abandoned_queue', queue: 'operators', agentId: null,
    startedAtMs: queuedAtMs - 500, queuedAtMs, answeredAtMs: null, endedAtMs: queuedAtMs + waitMs, recording: null, ...overrides,
  };
}

/** A run whose placed calls are exactly the rows' (plus `extraPlaced`). */
export function floorRun(rows: FloorCallRow[], overrides: Partial<FloorRun> = {}, settingsOverrides: Partial<FloorSettings> = {}): FloorRun {
  const placedCalls = rows.map((r, i) => placed(i, { sipCallId: r.sipCallId }));
  return {
    settings: settings(settingsOverrides),
    startedAtMs: START,
    endedAtMs: START + 200_000,
    placed: placedCalls,
    rows,
    ringLatenciesMs: [],
    ivrAudioMs: [],
    processes: [],
    snapshots: [],
    agentTime: { talkingMs: 0, ringingMs: 0, wrapUpMs: 0, readyMs: 0, loggedInMs: 0 },
    rtpengineSessionsLeft: 0,
    logErrors: [],
    ...overrides,
  };
}
