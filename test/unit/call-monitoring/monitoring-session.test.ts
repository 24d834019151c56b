import { MonitoringSession } from '../../../src/call-monitoring/monitoring-session';

const NEW = { id: 's1', callId: 'c1', agentStaffId: 7, callerNumber: null, queue: 'operators', supervisorUserId: 10, supervisorStaffId: 3, mode: 'listen' as const };

describe('monitoring session lifecycle', () => {
  it('runs requested → ringing → active, records each mode change with its time, and its duration from answer to end', () => {
    const s = new MonitoringSession(NEW, 1000);
    expect(s.state).toBe('requested');
    s.ringing();
    s.answered(3000);
    expect(s.changeMode('whisper', 5000)).toBe(true);
    expect(s.changeMode('whisper', 6000)).toBe(false);
    expect(s.changeMode('barge', 7000)).toBe(true);
    expect(s.end('stopped', 13_000)).toBe(true);
    const record = s.snapshot();
    expect(record).toMatchObject({ state: 'ended', mode: 'barge', startedAt: 1000, answeredAt: 3000, endedAt: 13_000, endReason: 'stopped', durationMs: 10_000 });
    expect(record.modeHistory).toEqual([{ mode: 'listen', at: 1000 }, { mode: 'whisper', at: 5000 }, { mode: 'barge', at: 7000 }]);
  });

  it('ends once: the first reason stays (stop and the leg\'s own end may race)', () => {
    const s = new MonitoringSession(NEW, 0);
    s.ringing();
    s.answered(10);
    expect(s.end('call_ended', 50)).toBe(true);
    expect(s.end('stopped', 60)).toBe(false);
    expect(s.snapshot()).toMatchObject({ endReason: 'call_ended', endedAt: 50 });
  });

  it('a session that never rang through ends failed with no duration heard', () => {
    const s = new MonitoringSession(NEW, 0);
    s.ringing();
    s.end('failed', 400, 'NO_DEVICE: no phone');
    expect(s.snapshot()).toMatchObject({ state: 'ended', answeredAt: null, durationMs: 0, endDetail: 'NO_DEVICE: no phone' });
  });

  it('refuses moves the table does not allow', () => {
    const s = new MonitoringSession(NEW, 0);
    expect(() => s.answered(1)).toThrow(/requested to active/);
    expect(() => s.changeMode('barge', 1)).toThrow(/only while active/);
    s.end('failed', 2);
    expect(() => s.ringing()).toThrow(/ended to ringing/);
  });
});
