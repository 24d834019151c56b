import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';

/**
 * Password guessing on the web login (issue 15): unlimited before, each guess
 * an scrypt hash. Now each failure past the fifth doubles the wait, refused
 * with 429 and Retry-After before any hashing, and the real user gets in once
 * the short per-name wait has passed.
 */
describe('the web login slows password guessing down (real HTTP, Postgres, Redis)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const login = (password: string): Promise<{ status: number; body: any; headers: Headers }> => h.call('POST', '/api/auth/login', { token: null, body: { username: 'h_operator', password } });

  it('five wrong passwords cost nothing; the sixth attempt right after is refused 429 with Retry-After, even with the right password; after the wait it works', async () => {
    for (let i = 0; i < 5; i++) expect((await login(`guess-${i}`)).status).toBe(401);
    // The fifth failure starts the wait: the next attempt, right or wrong, is refused without being checked.
    const refused = await login('operator-password');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const ok = await eventually(() => login('operator-password'), (r) => r.status !== 429, 10_000, 250);
    expect(ok.status).toBe(200);
    // Logged in, the name's count starts again; the guesses went on the address's count, which keeps them.
    expect((await login('wrong-again')).status).toBe(401);
  });

  it('refuses a login body larger than a username and password need', async () => {
    const big = await h.call('POST', '/api/auth/login', { token: null, body: { username: 'h_operator', password: 'x'.repeat(10_000) } });
    expect(big.status).toBe(400);
    // Stopped by the route's body limit (4 KiB), before the schema read it.
    expect(big.body.error.message).toMatch(/too large/i);
  });
});
