import { releaseInOrder } from '../../helpers/release';
import WebSocket from 'ws';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';
import { ticketUrl } from '../../helpers/url-ticket';

const PERIOD = `from=${encodeURIComponent('2025-03-01T00:00:00Z')}&to=${encodeURIComponent('2025-03-02T00:00:00Z')}&interval=day`;
const PROMPT = '/api/prompts/greeting/ru/audio';

/** The HTTP status a refused WebSocket upgrade gets, or 101 when it was accepted. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('error', () => undefined);
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    // Answered once the server has taken the close too: a socket still closing when the suite ends can hold up the
    // harness's shutdown (a CI run hung 60 s in afterAll).
    socket.once('open', () => {
      socket.once('close', () => resolve(101));
      socket.close();
    });
  });
}

/**
 * Issue 15, item 5: the session token never travels in a URL. Audio, CSV
 * downloads and WebSockets take a short-lived ticket for exactly their path
 * (POST /api/auth/tickets), over real HTTP, Redis and Postgres.
 */
describe('URL tickets instead of the session token in URLs', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, env: { URL_TICKET_TTL_SECONDS: '2' } });
  });
  afterAll(() => releaseInOrder([() => h?.close()]));

  it('refuses the session token in a query string, even next to a valid header', async () => {
    for (const path of [`${PROMPT}?access_token=${h.tokens.supervisor}`, `/api/reports/queues?${PERIOD}&format=csv&access_token=${h.tokens.supervisor}`, `/api/auth/me?access_token=${h.tokens.supervisor}`]) {
      const bare = await fetch(`${h.baseUrl}${path}`);
      expect(bare.status).toBe(401);
      expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(/not accepted in a URL/);
      expect((await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${h.tokens.supervisor}` } })).status).toBe(401);
    }
    expect(await upgradeStatus(`${h.baseUrl.replace(/^http/, 'ws')}/api/floor/live?access_token=${h.tokens.supervisor}`)).toBe(401);
  });

  it('serves a download ticket\'s path, for several requests (ranges) and with any query, and nothing else', async () => {
    const audio = await ticketUrl(h.baseUrl, h.tokens.supervisor, PROMPT);
    expect(audio).toMatch(/\?ticket=[A-Za-z0-9_-]{32}$/);
    expect(audio).not.toContain(h.tokens.supervisor);
    const whole = await fetch(audio);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toMatch(/audio\/wav/);
    expect((await fetch(audio, { headers: { range: 'bytes=0-11' } })).status).toBe(206);
    // Another path with the same ticket, a route that takes no tickets, a made-up ticket: refused.
    const ticket = new URL(audio).searchParams.get('ticket') as string;
    expect((await fetch(`${h.baseUrl}/api/prompts/greeting/en/audio?ticket=${ticket}`)).status).toBe(401);
    const me = await fetch(`${h.baseUrl}/api/auth/me?ticket=${ticket}`);
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { message: string } }).error.message).toMatch(/takes no ticket/);
    expect((await fetch(`${h.baseUrl}${PROMPT}?ticket=made-up`)).status).toBe(401);

    const csv = await fetch(await ticketUrl(h.baseUrl, h.tokens.supervisor, '/api/reports/queues', 'download', `${PERIOD}&format=csv`));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
  });

  it('stands for its session and its user\'s role: refused after logout, and to a role the route refuses', async () => {
    const login = await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: 'h_supervisor', password: 'supervisor-password' } });
    const session = login.body.token;
    const audio = await ticketUrl(h.baseUrl, session, PROMPT);
    expect((await fetch(audio)).status).toBe(200);
    expect((await h.call('POST', '/api/auth/logout', { token: session })).status).toBe(204);
    expect((await fetch(audio)).status).toBe(401);

    const operators = await ticketUrl(h.baseUrl, h.tokens.operator, PROMPT);
    expect((await fetch(operators)).status).toBe(403);
    // No ticket without a session; no ticket for a path outside the API.
    expect((await h.call('POST', '/api/auth/tickets', { body: { path: PROMPT } })).status).toBe(401);
    expect((await h.call('POST', '/api/auth/tickets', { token: h.tokens.supervisor, body: { path: '/docs/json' } })).status).toBe(400);
  });

  it('lets a socket ticket open one WebSocket only', async () => {
    const url = await ticketUrl(h.baseUrl, h.tokens.supervisor, '/api/floor/live', 'socket');
    expect(await upgradeStatus(url)).toBe(101);
    expect(await upgradeStatus(url)).toBe(401);
    // A download ticket (many uses) opens no socket.
    expect(await upgradeStatus(await ticketUrl(h.baseUrl, h.tokens.supervisor, '/api/floor/live', 'download'))).toBe(401);
  });

  it('expires (URL_TICKET_TTL_SECONDS, 2 s here)', async () => {
    const audio = await ticketUrl(h.baseUrl, h.tokens.supervisor, PROMPT);
    expect((await fetch(audio)).status).toBe(200);
    await eventually(async () => (await fetch(audio)).status, (status) => status === 401, 10_000, 200);
  });
});
