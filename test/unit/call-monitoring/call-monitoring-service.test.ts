import { CallMonitoringService } from '../../../src/call-monitoring/call-monitoring-service';
import type { MonitorLeg, MonitorLegEnd, MonitorLegPlacer, MonitorLegRequest } from '../../../src/call-monitoring/monitor-leg';
import { DEFAULT_MONITORING_POLICY } from '../../../src/call-monitoring/monitoring-policy';
import type { MonitoringSessionListing, MonitoringSessionStore, MonitoringUser } from '../../../src/call-monitoring/monitoring-ports';
import type { MonitoringSessionRecord } from '../../../src/call-monitoring/monitoring-session';
import { AppError } from '../../../src/errors/app-error';
import { createRootLogger } from '../../../src/logger';

/** In-memory audit: every write kept in order, so a test reads the session's story. */
class StoreFake implements MonitoringSessionStore {
  readonly writes: Array<{ step: string; record: MonitoringSessionRecord; by?: string }> = [];
  closeSessionsOfEndedCalls(): Promise<number> {
    return Promise.resolve(0);
  }
  private readonly rows = new Map<string, MonitoringSessionRecord>();
  create(record: MonitoringSessionRecord): Promise<void> {
    this.rows.set(record.id, record);
    this.writes.push({ step: 'create', record });
    return Promise.resolve();
  }
  save(record: MonitoringSessionRecord, step: string, by: MonitoringUser | null): Promise<void> {
    this.rows.set(record.id, record);
    this.writes.push({ step, record, by: by?.username ?? 'system' });
    return Promise.resolve();
  }
  find(id: string): Promise<MonitoringSessionListing | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? { ...row, supervisorName: 'sup', agentName: 'Anna' } : null);
  }
  list(): Promise<MonitoringSessionListing[]> {
    return Promise.resolve([...this.rows.values()].map((r) => ({ ...r, supervisorName: 'sup', agentName: 'Anna' })));
  }
  activeMonitorUserIds(callId: string): Promise<number[]> {
    return Promise.resolve([...this.rows.values()].filter((r) => r.callId === callId && r.state !== 'ended').map((r) => r.supervisorUserId));
  }
}

/** A placer whose legs end when the test says, and whose stop() ends the leg as the telephony would (ended settles). */
class PlacerFake implements MonitorLegPlacer {
  readonly ends: Array<(end: MonitorLegEnd) => void> = [];
  placeCalledWithRowsWritten: number[] = [];
  readonly requests: MonitorLegRequest[] = [];
  stops = 0;
  constructor(private readonly store: StoreFake, private readonly failWith: AppError | null = null) {}
  supportedModes(): Promise<readonly ('listen' | 'whisper' | 'barge')[]> {
    return Promise.resolve(['listen', 'whisper', 'barge']);
  }
  place(request: MonitorLegRequest): Promise<MonitorLeg> {
    this.requests.push(request);
    this.placeCalledWithRowsWritten.push(this.store.writes.length);
    if (this.failWith) return Promise.reject(this.failWith);
    let settle: (end: MonitorLegEnd) => void = () => undefined;
    const ended = new Promise<MonitorLegEnd>((resolve) => { settle = resolve; });
    this.ends.push(settle);
    return Promise.resolve({
      ended, changeMode: () => Promise.resolve(),
      stop: () => { this.stops += 1; settle({ reason: 'stopped' }); return Promise.resolve(); },
    });
  }
}

/** The end is stored once the leg's end has run through the service's promise chain. */
async function eventuallyEnded(store: StoreFake): Promise<void> {
  for (let i = 0; i < 50 && store.writes.at(-1)?.step !== 'ended'; i++) await new Promise((resolve) => setImmediate(resolve));
}

const SUPERVISOR: MonitoringUser = { userId: 10, username: 'sup', role: 'supervisor', staffId: 3 };

function service(store: StoreFake, placer: PlacerFake | null, now: () => number = () => 1000): CallMonitoringService {
  return new CallMonitoringService({
    store, placer, policy: DEFAULT_MONITORING_POLICY, logger: createRootLogger('silent'), now,
    calls: { find: (callId) => Promise.resolve({ callId, live: true, agentStaffId: 7, queue: 'operators', callerNumber: '+7495' }) },
    supervision: { queuesSupervisedBy: () => Promise.resolve([]) },
  });
}

describe('CallMonitoringService', () => {
  it('writes the audit row before the placer is called, and a failed placement ends it as failed with the error', async () => {
    const store = new StoreFake();
    const placer = new PlacerFake(store, new AppError('NO_DEVICE', 'no phone registered'));
    await expect(service(store, placer).start(SUPERVISOR, 'c1', 'listen')).rejects.toMatchObject({ code: 'NO_DEVICE' });
    expect(placer.placeCalledWithRowsWritten).toEqual([1]);
    expect(store.writes.map((w) => [w.step, w.record.state, w.record.endReason, w.record.endDetail])).toEqual([
      ['create', 'requested', null, null],
      ['ended', 'ended', 'failed', 'NO_DEVICE: no phone registered'],
    ]);
  });

  it('ends a session once when a stop and the telephony\'s own end race, with the first reason', async () => {
    const store = new StoreFake();
    const placer = new PlacerFake(store);
    let clock = 1000;
    const monitoring = service(store, placer, () => clock);
    const started = await monitoring.start(SUPERVISOR, 'c1', 'listen');
    clock = 5000;
    placer.ends[0]?.({ reason: 'call_ended' });
    await monitoring.stop(SUPERVISOR, started.id);
    const ends = store.writes.filter((w) => w.step === 'ended');
    expect(ends.map((w) => [w.record.endReason, w.record.durationMs])).toEqual([['call_ended', 4000]]);
    expect(monitoring.runningCount).toBe(0);
  });

  it('records a mode the call forced (a hold drops barge to listen) as a mode step by the system, before the end', async () => {
    const store = new StoreFake();
    const placer = new PlacerFake(store);
    const monitoring = service(store, placer);
    const started = await monitoring.start(SUPERVISOR, 'c1', 'listen');
    await monitoring.changeMode(SUPERVISOR, started.id, 'barge');
    await placer.requests[0]!.onModeForced!({ mode: 'listen', why: 'the agent held the call' });
    // Forced again while already listening: nothing more on record.
    await placer.requests[0]!.onModeForced!({ mode: 'listen', why: 'the agent resumed' });
    placer.ends[0]!({ reason: 'call_ended' });
    await eventuallyEnded(store);
    expect(store.writes.map((w) => [w.step, w.record.mode, w.by ?? null])).toEqual([
      ['create', 'listen', null], ['answered', 'listen', 'sup'], ['mode', 'barge', 'sup'], ['mode', 'listen', 'system'], ['ended', 'listen', 'system'],
    ]);
    expect(store.writes.at(-1)!.record.modeHistory.map((m) => m.mode)).toEqual(['listen', 'barge', 'listen']);
  });

  it('a mode the call forced while the leg was still being placed is in the answered row', async () => {
    const store = new StoreFake();
    const placer = new PlacerFake(store);
    const original = placer.place.bind(placer);
    placer.place = async (request) => {
      const leg = await original(request);
      await request.onModeForced!({ mode: 'listen', why: 'the caller re-negotiated' });
      return leg;
    };
    const started = await service(store, placer).start(SUPERVISOR, 'c1', 'barge');
    expect(started.mode).toBe('listen');
    expect(started.modeHistory.map((m) => m.mode)).toEqual(['barge', 'listen']);
  });

  it('hangs up every running leg and closes its row when the app closes', async () => {
    const store = new StoreFake();
    const placer = new PlacerFake(store);
    const monitoring = service(store, placer);
    await monitoring.start(SUPERVISOR, 'c1', 'listen');
    await monitoring.start({ ...SUPERVISOR, userId: 11, staffId: 4 }, 'c1', 'barge');
    expect(monitoring.runningCount).toBe(2);
    await monitoring.close();
    expect(monitoring.runningCount).toBe(0);
    expect(placer.stops).toBe(2);
    expect(store.writes.filter((w) => w.step === 'ended').map((w) => [w.record.endReason, w.record.endDetail])).toEqual([['stopped', 'shutdown'], ['stopped', 'shutdown']]);
  });

  it('refuses a user with no phone to carry the call, before anything is written', async () => {
    const store = new StoreFake();
    await expect(service(store, new PlacerFake(store)).start({ ...SUPERVISOR, staffId: null }, 'c1', 'listen')).rejects.toMatchObject({ code: 'NO_STAFF' });
    expect(store.writes).toEqual([]);
  });
});
