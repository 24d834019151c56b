import { ManualClock } from '../../../src/acd/clock';
import { DEFAULT_LOCKOUT_POLICY, lockDecision } from '../../../src/sip/auth-lockout';
import { judgeNonceUse } from '../../../src/sip/nonce-store';
import { SipKeys, userKey } from '../../../src/sip/sip-keys';

describe('nonce rules (RFC 2617 §3.2.2 nonce-count, §3.2.1 stale)', () => {
  const lifetime = 5 * 60_000;

  it('walks one nonce through its life on an injected clock', () => {
    const clock = new ManualClock();
    const issuedAt = clock.now();
    let highestNc = 0;
    const use = (nc: number): string => {
      const verdict = judgeNonceUse({ issuedAt, highestNc }, nc, clock.now(), lifetime);
      if (verdict === 'ok') highestNc = Math.max(highestNc, nc);
      return verdict;
    };
    expect(use(1)).toBe('ok');
    expect(use(1)).toBe('replay');
    clock.advance(60_000);
    expect(use(2)).toBe('ok');
    expect(use(5)).toBe('ok');
    expect(use(4)).toBe('replay');
    clock.advance(lifetime - 60_000 - 1);
    expect(use(6)).toBe('ok');
    clock.advance(1);
    expect(use(7)).toBe('stale');
  });

  it.each([
    ['unknown nonce', null, 1, 'stale'],
    ['nonce from the future (clock skew between processes)', { issuedAt: 2_000, highestNc: 0 }, 1, 'stale'],
    ['first use', { issuedAt: 1_000, highestNc: 0 }, 1, 'ok'],
    ['jump ahead in nc (lost requests)', { issuedAt: 1_000, highestNc: 3 }, 10, 'ok'],
    ['same nc again', { issuedAt: 1_000, highestNc: 3 }, 3, 'replay'],
    ['older nc', { issuedAt: 1_000, highestNc: 3 }, 2, 'replay'],
  ] as const)('%s → %s', (_label, record, nc, verdict) => {
    expect(judgeNonceUse(record, nc, 1_500, lifetime)).toBe(verdict);
  });
});

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
