import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { registerPhone } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/**
 * Issue 15, item 5, through the running system: a softphone SIP secret
 * registers over real drachtio-server (a sipp "device" from 127.0.0.1, as a
 * thief holding the secret would) until the web session that got it logs out
 * or the person's password changes; then the same REGISTER is refused, and
 * the password change has removed the person's registrations.
 */
describeWithDrachtio('softphone SIP secrets end with the web session (drachtio-server, Redis, Postgres)', () => {
  let h: SystemHarness;
  let admin: string;
  let ion: string;
  let annaUserId: number;

  const secretOf = async (token: string): Promise<string> => {
    const config = await h.api<{ sip: { authorizationPassword: string } }>('GET', '/api/softphone/config', token);
    expect(config.status).toBe(200);
    return config.body.sip.authorizationPassword;
  };
  const register = async (password: string): Promise<number | null> => registerPhone({ target: h.sipTarget, port: await freeTcpPort(), user: 'anna', password });
  /** Whether Anna has a registered device, as a colleague's transfer dialog shows it. */
  const annaRegistered = async (): Promise<boolean> => {
    const targets = await h.api<{ people: Array<{ name: string; registered: boolean }> }>('GET', '/api/transfer-targets', ion);
    return targets.body.people.find((p) => p.name === 'Anna Petrova')?.registered ?? false;
  };

  beforeAll(async () => {
    h = await startSystemHarness();
    admin = await h.login('admin', 'switchboard-admin');
    ion = await h.login('ion', 'demo-pass-1');
    annaUserId = (await h.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'anna'")).rows[0]!.id;
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a secret whose session logged out', async () => {
    const session = await h.login('anna', 'demo-pass-1');
    const secret = await secretOf(session);
    expect(await register(secret)).toBe(0);
    expect((await h.api('POST', '/api/auth/logout', session)).status).toBe(204);
    expect(await register(secret)).not.toBe(0);
  });

  it('refuses every secret of the person after a password change, and removes their registrations', async () => {
    const session = await h.login('anna', 'demo-pass-1');
    const secret = await secretOf(session);
    expect(await register(secret)).toBe(0);
    expect(await annaRegistered()).toBe(true);
    expect((await h.api('PATCH', `/api/users/${annaUserId}`, admin, { password: 'anna-new-password' })).status).toBe(200);
    expect(await annaRegistered()).toBe(false);
    expect(await register(secret)).not.toBe(0);
  });
});
