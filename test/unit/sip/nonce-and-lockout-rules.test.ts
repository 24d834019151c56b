import { DEFAULT_LOCKOUT_POLICY, lockDecision } from '../../../src/sip/auth-lockout';
import { SipKeys, userKey } from '../../../src/sip/sip-keys';

describe('lock-out rules', () => {
  const policy = { ...DEFAULT_LOCKOUT_POLICY, maxFailuresPerIp: 3, maxFailuresPerUser: 2, exemptIps: ['10.0.0.1'] };

  it.each([
    [{ ip: 1, user: 1 }, '192.0.2.1', { lockIp: false, lockUser: false }],
    [{ ip: 2, user: 2 }, '192.0.2.1', { lockIp: false, lockUser: true }],
    [{ ip: 3, user: 1 }, '192.0.2.1', { lockIp: true, lockUser: false }],
    [{ ip: 9, user: null }, '192.0.2.1', { lockIp: true, lockUser: false }],
    [{ ip: 9, user: 9 }, '10.0.0.1', { lockIp: false, lockUser: true }],
  ])('counts %j from %s → %j', (counts, ip, expected) => {
    expect(lockDecision(counts, ip, policy)).toEqual(expected);
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
