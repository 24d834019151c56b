import { DEFAULT_LOGIN_THROTTLE, loginWaitMs } from '../../../src/auth/login-throttle';

describe('how long a web login waits after failures (pure)', () => {
  const p = DEFAULT_LOGIN_THROTTLE;
  const at = 1_000_000;

  it('the first five failures cost nothing; then each doubles the wait from 1 s', () => {
    expect([0, 1, 4].map((count) => loginWaitMs(p, { count, lastAt: at }, p.addressCapMs, at))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 10].map((count) => loginWaitMs(p, { count, lastAt: at }, p.addressCapMs, at))).toEqual([1_000, 2_000, 4_000, 32_000]);
    // Measured from the last failure.
    expect(loginWaitMs(p, { count: 6, lastAt: at }, p.addressCapMs, at + 1_500)).toBe(500);
    expect(loginWaitMs(p, null, p.addressCapMs, at)).toBe(0);
  });

  it('a username waits at most 30 s whatever the count (never locked out); an address up to 15 min', () => {
    expect(loginWaitMs(p, { count: 40, lastAt: at }, p.userCapMs, at)).toBe(30_000);
    expect(loginWaitMs(p, { count: 40, lastAt: at }, p.addressCapMs, at)).toBe(15 * 60_000);
  });

  it('failures older than the window are forgotten', () => {
    expect(loginWaitMs(p, { count: 40, lastAt: at }, p.addressCapMs, at + p.windowMs)).toBe(0);
  });
});
