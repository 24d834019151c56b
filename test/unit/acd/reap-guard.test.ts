import { ReapGuard } from '../../../src/acd/reap-guard';

/** Who may declare other processes dead, and when (issue 14): never on a stale or just-recovered heartbeat of one's own. */
describe('the reap guard', () => {
  const settings = { heartbeatIntervalMs: 1000, heartbeatTtlMs: 6000 };

  it('reaps only with a fresh heartbeat of its own: not before the first, not once it is older than the TTL (a stalled process)', () => {
    const guard = new ReapGuard(settings);
    expect(guard.mayReap(0)).toBe(false);
    guard.heartbeatWritten(1000);
    expect(guard.mayReap(1250)).toBe(true);
    expect(guard.mayReap(6999)).toBe(true);
    // The event loop stalled 7 s: housekeeping runs before the heartbeat does.
    expect(guard.mayReap(7000)).toBe(false);
    guard.heartbeatWritten(7100);
    expect(guard.mayReap(7150)).toBe(true);
  });

  it('after Redis trouble, waits a TTL and two heartbeats from its first heartbeat back, so that every live process has heartbeated again', () => {
    const guard = new ReapGuard(settings);
    guard.heartbeatWritten(0);
    guard.redisFailed();
    expect(guard.mayReap(100)).toBe(false);
    // Redis is back after 10 s: the first tick comes before the first heartbeat.
    expect(guard.mayReap(10_000)).toBe(false);
    guard.heartbeatWritten(10_200);
    expect(guard.graceMs).toBe(8000);
    expect(guard.mayReap(10_300)).toBe(false);
    expect(guard.mayReap(18_199)).toBe(false);
    guard.heartbeatWritten(18_100);
    expect(guard.mayReap(18_200)).toBe(true);
  });

  it('takes a heartbeat answered later than the TTL less two intervals for trouble: it waited on a hung primary, with no error', () => {
    const guard = new ReapGuard(settings);
    guard.heartbeatWritten(1000, 990);
    expect(guard.mayReap(1100)).toBe(true);
    // 1.5 s on a loaded machine is no stall: the others kept heartbeating, and a dead process is still reaped at once.
    guard.heartbeatWritten(3500, 2000);
    expect(guard.mayReap(3600)).toBe(true);
    expect(guard.lateAfterMs).toBe(4000);
    // Sent at 2000, answered at 6500 once a failover had moved the connection to the new primary.
    guard.heartbeatWritten(6500, 2000);
    expect(guard.mayReap(6600)).toBe(false);
    expect(guard.mayReap(6500 + guard.graceMs - 1)).toBe(false);
    guard.heartbeatWritten(14_400, 14_390);
    expect(guard.mayReap(6500 + guard.graceMs)).toBe(true);
  });

  it('gives housekeeping the time its last heartbeat wrote as its witness, and none while it may not reap', () => {
    const guard = new ReapGuard(settings);
    expect(guard.reapWitness(0)).toBeNull();
    guard.heartbeatWritten(1010, 1000);
    expect(guard.reapWitness(1200)).toBe(1000);
    guard.redisFailed();
    expect(guard.reapWitness(1300)).toBeNull();
  });
});
