import { ManualClock } from '../../../src/acd/clock';
import { judgeNonce, makeNonce, NONCE_SKEW_MS } from '../../../src/sip/nonce-store';

/** Stateless nonces (issue 15): time + HMAC(secret, time, realm, source), checked without any stored state. */
describe('stateless digest nonces (RFC 2617 §3.2.1, §3.2.2)', () => {
  const secret = 'x'.repeat(32);
  const lifetimeMs = 5 * 60_000;
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  const issued = makeNonce({ secret, realm: 'switchboard.test', ip: '192.0.2.10' }, clock.now(), '0123456789abcdef');
  const check = (nonce: string, o: { ip?: string; secret?: string; realm?: string; at?: number } = {}): string =>
    judgeNonce(nonce, { secret: o.secret ?? secret, realm: o.realm ?? 'switchboard.test', ip: o.ip ?? '192.0.2.10' }, o.at ?? clock.now(), lifetimeMs).kind;

  it('is hex text a client quotes back: time, salt, signature; two issued in one millisecond differ', () => {
    expect(issued).toMatch(/^[0-9a-f]{60}$/);
    const binding = { secret, realm: 'switchboard.test', ip: '192.0.2.10' };
    expect(makeNonce(binding, clock.now())).not.toBe(makeNonce(binding, clock.now()));
    expect(check(makeNonce(binding, clock.now()))).toBe('fresh');
  });

  it.each([
    ['just issued', {}, 'fresh'],
    ['one ms before its lifetime ends', { at: clock.now() + lifetimeMs - 1 }, 'fresh'],
    ['at the end of its lifetime', { at: clock.now() + lifetimeMs }, 'stale'],
    ['issued a little in the future (another process\'s clock)', { at: clock.now() - NONCE_SKEW_MS }, 'fresh'],
    ['issued far in the future', { at: clock.now() - NONCE_SKEW_MS - 1 }, 'stale'],
    ['sent from another address than it was issued to (spoofed, or replayed elsewhere)', { ip: '192.0.2.11' }, 'stale'],
    ['from another realm', { realm: 'other.realm' }, 'stale'],
    ['from a site with another secret', { secret: 'y'.repeat(32) }, 'stale'],
  ] as const)('%s → %s', (_label, options, verdict) => {
    expect(check(issued, options)).toBe(verdict);
  });

  it.each([
    ['a changed time', `${(Number.parseInt(issued.slice(0, 12), 16) + 1000).toString(16).padStart(12, '0')}${issued.slice(12)}`],
    ['a changed salt', `${issued.slice(0, 12)}fedcba9876543210${issued.slice(28)}`],
    ['a changed signature', `${issued.slice(0, 59)}${issued.endsWith('0') ? '1' : '0'}`],
    ['the old random kind', 'f'.repeat(32)],
    ['upper case', issued.toUpperCase()],
    ['garbage', 'not-ours'],
    ['empty', ''],
  ])('refuses %s as stale', (_label, nonce) => {
    expect(check(nonce)).toBe('stale');
  });
});
