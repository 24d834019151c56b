import type { QueueStats } from '../../../src/acd/queue-stats';
import { assembleFloorSnapshot, type FloorInputs } from '../../../src/supervisor/floor-snapshot';

/** Plain-data inputs for the pure wallboard assembly (the integration test drives the real sources). */
function stats(queueId: string, over: { windowSl?: number | null; todaySl?: number | null; answered?: number; abandoned?: number; byState?: Partial<QueueStats['agentsByState']> } = {}): QueueStats {
  const period = (sl: number | null | undefined) => ({
    offered: 0, answered: over.answered ?? 0, abandoned: over.abandoned ?? 0, overflowed: 0,
    callbacks: { requested: 0, completed: 0, cancelled: 0 }, answeredWithinThreshold: 0,
    serviceLevel: { thresholdMs: 20_000, ignoringAbandons: sl ?? null, countingAbandons: sl ?? null },
    asaMs: null, ahtMs: null, abandonRate: null,
  });
  return {
    queueId, at: 0, waitingNow: 0, callbacksWaiting: 0, callbacksHeldBack: 0, longestWaitMs: 0,
    agentsByState: { logged_out: 0, ready: 0, reserved: 0, on_call: 0, wrap_up: 0, not_ready: 0, ...over.byState },
    today: { ...period(over.todaySl), day: '2026-11-23' },
    window: { ...period(over.windowSl), windowMs: 1_800_000 },
  };
}

const NOW = 1_000_000_000;

function inputs(over: Partial<FloorInputs> = {}): FloorInputs {
  return {
    now: NOW,
    queues: [
      { settings: { name: 'operators', label: 'Operators', slPercent: 90, slSeconds: 20, longWaitAlertSeconds: null }, stats: stats('operators', { windowSl: 0.85, todaySl: 0.9234, answered: 40, abandoned: 2, byState: { ready: 2, on_call: 3, reserved: 1, wrap_up: 1, not_ready: 1, logged_out: 4 } }) },
      { settings: { name: 'finance', label: 'Finance', slPercent: 80, slSeconds: 30, longWaitAlertSeconds: 120 }, stats: stats('finance', { windowSl: 0.95 }) },
    ],
    waiting: [
      { callId: 'c-new', queueId: 'operators', position: 2, priority: 5, kind: 'call', enqueuedAt: NOW - 10_000, queuedAt: NOW - 10_000, meta: { clientId: 7 } },
      { callId: 'c-old', queueId: 'operators', position: 1, priority: 5, kind: 'call', enqueuedAt: NOW - 95_000, queuedAt: NOW - 95_000, meta: null },
      { callId: 'c-fin', queueId: 'finance', position: 1, priority: 5, kind: 'callback', enqueuedAt: NOW - 100_000, queuedAt: NOW - 100_000, meta: { clientId: 99 } },
    ],
    agents: [
      { id: '12', state: 'on_call', reason: '', since: NOW - 42_000, callId: 'c-x', name: 'Olga', queues: ['operators'] },
      { id: '3', state: 'not_ready', reason: 'lunch', since: NOW - 5_000, callId: null, name: 'Anna', queues: ['operators'] },
      { id: '4', state: 'ready', reason: '', since: NOW, callId: null, name: 'Gone', queues: ['operators'] },
    ],
    clients: new Map([[7, { name: 'Stall 14', type: 'market' }]]),
    activeStaff: new Set([3, 12]),
    ...over,
  };
}

describe('floor snapshot assembly (pure)', () => {
  it('maps ACD states to wallboard words, percentages to one decimal, and waits from when the caller entered', () => {
    const snap = assembleFloorSnapshot(inputs(), new Map());
    expect(snap.queues[0]).toEqual({
      name: 'operators', label: 'Operators', waiting: 2, longestWaitMs: 95_000, serviceLevelToday: 92.3, serviceLevel30m: 85,
      slTarget: { percent: 90, seconds: 20 }, answeredToday: 40, abandonedToday: 2,
      agents: { ready: 2, talking: 3, ringing: 1, wrapUp: 1, notReady: 1, offline: 4 },
    });
    // Longest wait first; unknown clients and unknown ids give null names.
    expect(snap.waitingCalls.map((c) => [c.callId, c.waitMs, c.clientName])).toEqual([['c-fin', 100_000, null], ['c-old', 95_000, null], ['c-new', 10_000, 'Stall 14']]);
    expect(snap.waitingCalls[2]).toMatchObject({ clientId: 7, clientType: 'market', position: 2 });
    // Only active staff, by name; time in state.
    expect(snap.agents).toEqual([
      { staffId: 3, name: 'Anna', state: 'notReady', acdState: 'not_ready', reason: 'lunch', sinceMs: 5_000, currentCallId: null, queues: ['operators'] },
      { staffId: 12, name: 'Olga', state: 'talking', acdState: 'on_call', reason: '', sinceMs: 42_000, currentCallId: 'c-x', queues: ['operators'] },
    ]);
  });

  it('alerts on a 30-minute service level under target and on callers past the queue\'s threshold, not otherwise', () => {
    const memory = new Map<string, number>();
    const snap = assembleFloorSnapshot(inputs(), memory);
    expect(snap.alerts).toEqual([
      { kind: 'service_level', queue: 'operators', since: NOW, message: 'Operators: 85 % answered within 20 s over the last 30 min, under the 90 % target' },
      // Default threshold 60 s: only c-old (95 s) is late; it crossed 60 s 35 s ago.
      { kind: 'long_wait', queue: 'operators', since: NOW - 35_000, message: 'Operators: 1 caller waiting over 60 s (longest 1 min 35 s)' },
    ]);
    // Finance: 95 % over an 80 % target, and its own 120 s threshold is not reached by a 100 s wait.
    expect(snap.alerts.some((a) => a.queue === 'finance')).toBe(false);
  });

  it('keeps a service-level alert\'s start across snapshots and forgets it once it clears', () => {
    const memory = new Map<string, number>();
    assembleFloorSnapshot(inputs(), memory);
    const later = assembleFloorSnapshot({ ...inputs(), now: NOW + 30_000 }, memory);
    expect(later.alerts.find((a) => a.kind === 'service_level')?.since).toBe(NOW);
    const recovered = inputs();
    recovered.queues[0]!.stats = stats('operators', { windowSl: 0.95 });
    expect(assembleFloorSnapshot({ ...recovered, now: NOW + 60_000 }, memory).alerts.filter((a) => a.kind === 'service_level')).toEqual([]);
    expect(memory.size).toBe(0);
    // No data in the window is no alert.
    const quiet = inputs();
    quiet.queues[0]!.stats = stats('operators', { windowSl: null });
    expect(assembleFloorSnapshot(quiet, new Map()).alerts.filter((a) => a.kind === 'service_level')).toEqual([]);
  });
});
