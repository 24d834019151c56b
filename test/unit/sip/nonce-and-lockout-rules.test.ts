import { attemptStatus, DEFAULT_LOCKOUT_POLICY, failureDecision, userWaitMs, type AttemptState, type LockStatus } from '../../../src/sip/auth-lockout';
import { SipKeys, userKey } from '../../../src/sip/sip-keys';

describe('digest failure rules (issue 15: slow guessing down, never lock the right password out)', () => {
  const policy = { ...DEFAULT_LOCKOUT_POLICY, maxFailuresPerIp: 3, maxFailuresPerUser: 2, userDelayBaseMs: 1000, userDelayMaxMs: 60_000 };

  it.each([
    [0, 0], [1, 0], [2, 1000], [3, 2000], [4, 4000], [8, 60_000], [500, 60_000],
  ])('%i failures of one name → addresses that failed for it wait %i ms', (failures, wait) => {
    expect(userWaitMs(failures, policy)).toBe(wait);
  });

  it.each([
    [{ ip: 1, user: 1 }, { lockIp: false, userWaitMs: 0 }],
    [{ ip: 2, user: 2 }, { lockIp: false, userWaitMs: 1000 }],
    [{ ip: 3, user: 1 }, { lockIp: true, userWaitMs: 0 }],
    [{ ip: null, user: 9 }, { lockIp: false, userWaitMs: 60_000 }],
  ])('one more failure with counts %j → %j (ip null: an exempt source, never locked)', (counts, expected) => {
    expect(failureDecision(counts, policy)).toEqual(expected);
  });

  const base: AttemptState = { exempt: false, ipLockedUntil: null, userFailures: 2, userLastFailureAt: 10_000, pairFailures: 1 };
  it.each<[string, Partial<AttemptState>, number, LockStatus]>([
    ['an address that failed for a throttled name, during its wait', {}, 10_999, { ipLocked: false, userLocked: true }],
    ['the same once the wait is over', {}, 11_000, { ipLocked: false, userLocked: false }],
    ['another address (the person\'s own phone): checked as usual', { pairFailures: 0 }, 10_001, { ipLocked: false, userLocked: false }],
    ['a name below the threshold', { userFailures: 1 }, 10_001, { ipLocked: false, userLocked: false }],
    ['a locked address', { ipLockedUntil: 20_000, pairFailures: 0 }, 10_001, { ipLocked: true, userLocked: false }],
    ['an ended lock', { ipLockedUntil: 10_001, pairFailures: 0 }, 10_001, { ipLocked: false, userLocked: false }],
    ['a trunk or office address, whatever its record', { exempt: true, ipLockedUntil: 20_000 }, 10_001, { ipLocked: false, userLocked: false }],
  ])('%s', (_label, change, now, expected) => {
    expect(attemptStatus({ ...base, ...change }, now, policy)).toEqual(expected);
  });

  it('keys plain SIP names as they are and hashes anything else', () => {
    expect(userKey('op1.desk_2-a')).toBe('op1.desk_2-a');
    expect(userKey('a b')).toMatch(/^h:[0-9a-f]{64}$/);
    expect(userKey('x'.repeat(65))).toMatch(/^h:/);
    expect(userKey('\r\nDEL *')).toMatch(/^h:/);
    const keys = new SipKeys();
    expect(keys.failUser('op1')).toBe('sb:sip:{auth}:fail:user:op1');
    expect(keys.blacklist()).toBe('sb:sip:{auth}:blacklist');
    expect(keys.contacts(7)).toBe('sb:sip:{reg}:contacts:7');
  });
});
