import WebSocket from 'ws';
import { createRootLogger } from '../../../src/logger';
import { createRegistrar, type Registrar } from '../../../src/sip/registrar';
import { RegistrationStore, type ContactBinding } from '../../../src/sip/registration-store';
import { systemClock } from '../../../src/acd/clock';
import { loadConfig } from '../../../src/config/load-config';
import { DEMO_PASSWORD } from '../../../src/db/demo-seed';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { ticketUrl } from '../../helpers/url-ticket';
import { registerWithDigest, type SentResponse } from '../sip/sip-test-kit';

/** A WebSocket that remembers how it was closed. */
class WatchedSocket {
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') })));
  }

  static open(url: string): Promise<WatchedSocket> {
    const socket = new WebSocket(url);
    const watched = new WatchedSocket(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(watched));
      socket.once('error', reject);
    });
  }
}

/**
 * Issue 15, item 5: access must not outlive its grant. Logout, a password
 * change and deactivation (of the user or of the staff member) end the
 * person's softphone SIP secrets — proven against the real registrar on the
 * same Redis and Postgres — and their browser registrations, and close their
 * open WebSockets; open sockets re-check their session on a timer too.
 */
describe('access ends with its grant', () => {
  let h: ApiHarness;
  let registrar: Registrar;
  const config = loadConfig({ env: { NODE_ENV: 'test' } });
  const realm = config.sip.realm;
  const registrations = new Map<string, RegistrationStore>();
  const staff: Record<string, number> = {};
  const users: Record<string, number> = {};
  let call = 0;

  async function login(username: string, password = DEMO_PASSWORD): Promise<string> {
    const result = await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username, password } });
    expect(result.status).toBe(200);
    return result.body.token;
  }

  async function softphoneSecret(token: string): Promise<string> {
    const result = await h.call('GET', '/api/softphone/config', { token });
    expect(result.status).toBe(200);
    return result.body.sip.authorizationPassword as string;
  }

  /** A REGISTER, browser-style over WS or a desk phone's over UDP: challenge, then credentials; the final answer. */
  async function register(user: string, password: string, device: 'browser' | 'desk' = 'browser'): Promise<SentResponse> {
    call += 1;
    const headers = {
      To: `<sip:${user}@${realm}>`, From: `<sip:${user}@${realm}>;tag=t${call}`, 'Call-ID': `revocation-${call}`, CSeq: '1 REGISTER',
      Contact: device === 'browser' ? `<sip:r${call}@abcdefgh.invalid;transport=ws>;expires=300` : `<sip:${user}@192.0.2.10:5060>;expires=300`,
    };
    return registerWithDigest(registrar, { headers, user, password, realm, transport: { protocol: device === 'browser' ? 'ws' : 'udp', ip: '192.0.2.10', port: 5060 } });
  }

  function bindingsOf(name: string): Promise<ContactBinding[]> {
    let store = registrations.get(name);
    if (!store) {
      store = new RegistrationStore({ redis: h.redis, clock: systemClock });
      registrations.set(name, store);
    }
    return store.contactsOf(staff[name] as number);
  }

  const agentSocket = async (token: string): Promise<WatchedSocket> => WatchedSocket.open(await ticketUrl(h.baseUrl, token, '/api/agent/events', 'socket'));

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, env: { SOCKET_RECHECK_SECONDS: '0.2' } });
    const { rows } = await h.db.query<{ id: number; sip_username: string }>('SELECT id, sip_username FROM staff');
    for (const r of rows) staff[r.sip_username] = r.id;
    const userRows = await h.db.query<{ id: number; username: string }>('SELECT id, username FROM users');
    for (const r of userRows.rows) users[r.username] = r.id;
    registrar = createRegistrar({ redis: h.redis, db: h.db, realm, logger: createRootLogger('silent') });
  });

  afterAll(async () => {
    await registrar?.stop();
    await h?.close();
  });

  it('logout ends that session\'s SIP secret and socket at once, and the browser registrations with the last session', async () => {
    const first = await login('anna');
    const second = await login('anna');
    const firstSecret = await softphoneSecret(first);
    const secondSecret = await softphoneSecret(second);
    expect((await register('anna', firstSecret)).status).toBe(200);
    expect((await register('anna', secondSecret)).status).toBe(200);
    const firstSocket = await agentSocket(first);
    const secondSocket = await agentSocket(second);

    expect((await h.call('POST', '/api/auth/logout', { token: first })).status).toBe(204);
    await expect(firstSocket.closed).resolves.toEqual({ code: 4401, reason: expect.stringMatching(/session ended.*log in again/) });
    expect((await register('anna', firstSecret)).status).toBe(403);
    // The other session keeps its secret, its socket and (as nobody can tell which binding was whose) the registrations.
    expect((await register('anna', secondSecret)).status).toBe(200);
    expect(secondSocket.socket.readyState).toBe(WebSocket.OPEN);
    expect(await bindingsOf('anna')).toHaveLength(3);

    expect((await h.call('POST', '/api/auth/logout', { token: second })).status).toBe(204);
    await expect(secondSocket.closed).resolves.toMatchObject({ code: 4401 });
    expect((await register('anna', secondSecret)).status).toBe(403);
    expect(await bindingsOf('anna')).toEqual([]);
    // The desk phone's permanent password is not the web session's to end.
    expect((await register('anna', DEMO_PASSWORD)).status).toBe(200);
  });

  it('a password change ends every softphone secret, registration and socket of the person', async () => {
    const token = await login('ion');
    const secret = await softphoneSecret(token);
    expect((await register('ion', secret)).status).toBe(200);
    // Nobody can tell which binding a softphone secret made: the desk phone's goes too, and comes back with its own password.
    expect((await register('ion', DEMO_PASSWORD, 'desk')).status).toBe(200);
    expect((await bindingsOf('ion')).map((b) => b.transport).sort()).toEqual(['udp', 'ws']);
    const socket = await agentSocket(token);

    const changed = await h.call('PATCH', `/api/users/${users.ion}`, { token: h.tokens.admin, body: { password: 'a-new-password' } });
    expect(changed.status).toBe(200);
    await expect(socket.closed).resolves.toMatchObject({ code: 4401 });
    expect(await bindingsOf('ion')).toEqual([]);
    expect((await register('ion', secret)).status).toBe(403);
    expect((await register('ion', DEMO_PASSWORD, 'desk')).status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('deactivating the user does the same', async () => {
    const token = await login('pavel');
    const secret = await softphoneSecret(token);
    expect((await register('pavel', secret)).status).toBe(200);
    const socket = await agentSocket(token);

    expect((await h.call('PATCH', `/api/users/${users.pavel}`, { token: h.tokens.admin, body: { active: false } })).status).toBe(200);
    await expect(socket.closed).resolves.toMatchObject({ code: 4401 });
    expect((await register('pavel', secret)).status).toBe(403);
    expect(await bindingsOf('pavel')).toEqual([]);
  });

  it('deactivating the staff member ends their softphone secrets and every registration, desk phone included', async () => {
    const created = await h.call('POST', '/api/staff', { token: h.tokens.admin, body: { fullName: 'Lev Leaver', role: 'operator', sipUsername: 'leaver', sipPassword: 'leaver-sip-1' } });
    expect(created.status).toBe(201);
    staff.leaver = created.body.id;
    expect((await h.call('POST', '/api/users', { token: h.tokens.admin, body: { username: 'leaver', password: 'leaver-password', role: 'operator', staffId: created.body.id } })).status).toBe(201);
    const token = await login('leaver', 'leaver-password');
    const secret = await softphoneSecret(token);
    expect((await register('leaver', secret)).status).toBe(200);
    expect((await register('leaver', 'leaver-sip-1', 'desk')).status).toBe(200);
    expect(await bindingsOf('leaver')).toHaveLength(2);

    const deactivated = await h.call('PATCH', `/api/staff/${created.body.id}`, { token: h.tokens.admin, body: { active: false } });
    expect(deactivated.status).toBe(200);
    expect(await bindingsOf('leaver')).toEqual([]);
    expect((await register('leaver', secret)).status).toBe(403);
  });

  it('an open socket re-checks its session on its own: a token revoked behind the API\'s back, or a role taken away, closes it', async () => {
    const token = await login('olga');
    const socket = await agentSocket(token);
    // Not through the API: only the socket's own timer (0.2 s here) can notice.
    await h.db.query('UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1', [users.olga]);
    await expect(socket.closed).resolves.toMatchObject({ code: 4401 });

    const supervisor = await login('supervisor');
    const board = await WatchedSocket.open(await ticketUrl(h.baseUrl, supervisor, '/api/floor/live', 'socket'));
    await h.db.query('UPDATE users SET role = \'operator\' WHERE id = $1', [users.supervisor]);
    await expect(board.closed).resolves.toEqual({ code: 4403, reason: 'role operator may no longer use /api/floor/live' });
  });
});
