import WebSocket from 'ws';
import { DEMO_PASSWORD } from '../../../src/db/demo-seed';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';
import { ticketUrl } from '../../helpers/url-ticket';

/** A softphone's live channel as a test sees it: every JSON message, in order. */
class AgentSocket {
  readonly messages: Array<Record<string, unknown>> = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  }

  static async open(baseUrl: string, token: string): Promise<AgentSocket> {
    // As the softphone does: a single-use ticket for the socket, never the session token in the URL.
    const socket = new WebSocket(await ticketUrl(baseUrl, token, '/api/agent/events', 'socket'));
    const wrapped = new AgentSocket(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(wrapped));
      socket.once('error', reject);
    });
  }

  /** The first message after index `from` that matches; waits for it. */
  async next(match: (m: Record<string, unknown>) => boolean, from = 0): Promise<Record<string, unknown>> {
    const found = await eventually(() => this.messages.slice(from).find(match), (m) => m !== undefined, 10_000, 20);
    if (!found) throw new Error(`no such message; got ${JSON.stringify(this.messages.slice(from))}`);
    return found;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** The HTTP status a refused WebSocket upgrade gets. */
function refusedUpgrade(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    // terminate() on a socket that never opened reports an error: expected here.
    socket.on('error', () => undefined);
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
  });
}

/**
 * The softphone's live side over real HTTP, WebSocket, Postgres and Redis
 * with the real ACD: agent events, the client card of an offered call, the
 * wrap-up before and after the call row exists, and the role checks.
 */
describe('softphone live channel, client card and wrap-up', () => {
  let h: ApiHarness;
  const tokens: Record<string, string> = {};
  const staff: Record<string, number> = {};
  let kolos: number;
  const callId = '0c0ffee0-2222-4c8e-9d55-00000000000a';

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true });
    for (const name of ['anna', 'ion', 'olga']) {
      const result = await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: name, password: DEMO_PASSWORD } });
      tokens[name] = result.body.token;
    }
    const { rows } = await h.db.query<{ id: number; sip_username: string }>('SELECT id, sip_username FROM staff');
    for (const r of rows) staff[r.sip_username] = r.id;
    kolos = (await h.db.query<{ id: number }>(`SELECT id FROM clients WHERE name = 'Kolos market stall (overdue)'`)).rows[0]!.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('refuses the live channel without a token (401) and for a user with no staff member (409)', async () => {
    const ws = h.baseUrl.replace(/^http/, 'ws');
    expect(await refusedUpgrade(`${ws}/api/agent/events`)).toBe(401);
    expect(await refusedUpgrade(await ticketUrl(h.baseUrl, h.tokens.admin, '/api/agent/events', 'socket'))).toBe(409);
    expect(await refusedUpgrade(`${ws}/api/agent/events?access_token=${tokens.anna}`)).toBe(401);
  });

  it('says hello with the state, then follows the ACD: ready, offered with the card, on call, ended, wrap-up', async () => {
    const anna = await AgentSocket.open(h.baseUrl, tokens.anna!);
    try {
      const hello = await anna.next((m) => m.type === 'hello');
      expect(hello).toEqual({ type: 'hello', staffId: staff.anna, agent: { state: 'logged_out', reason: expect.any(String), since: expect.any(Number), wrapUpUntil: null, callId: null } });

      expect((await h.call('POST', `/api/agents/${staff.anna}/state`, { token: tokens.anna, body: { state: 'ready' } })).status).toBe(200);
      const ready = await anna.next((m) => m.type === 'agent.state' && m.state === 'ready');
      expect(ready).toEqual({ type: 'agent.state', state: 'ready', reason: '', since: expect.any(Number), wrapUpUntil: null });

      // A caller of Kolos (overdue debt) queues for operators, as the call session would enqueue it.
      const enqueued = await h.acd!.enqueue({
        callId, queueId: 'operators', callerNumber: '+74951000006',
        meta: { clientId: kolos, reason: 'market client with overdue debt — operator queue', callerNumber: '+7 495 100-00-06', ivrPath: ['greeting', 'hours', 'main_menu', 'to_operator'] },
      });
      expect(enqueued.reservations).toEqual([expect.objectContaining({ callId, agentId: String(staff.anna) })]);
      await anna.next((m) => m.type === 'agent.state' && m.state === 'reserved');
      await h.acd!.markOffered(callId, String(staff.anna));
      const offered = await anna.next((m) => m.type === 'call.offered');
      expect(offered).toMatchObject({
        type: 'call.offered', callId, clientId: kolos, reason: 'market client with overdue debt — operator queue', queue: 'operators',
        card: {
          callId, callerNumber: '+7 495 100-00-06', callerE164: '+74951000006',
          client: {
            id: kolos, name: 'Kolos market stall (overdue)', clientType: 'market', clientTypeLabel: 'Market', manager: { id: staff.anna, name: 'Anna Petrova' },
            region: 'Moscow', debt: { overdueAmount: 15000, balance: 62000, limit: 50000, overLimit: true, hasOverdue: true }, notes: 'Overdue since October.',
          },
          ivrPath: ['greeting', 'hours', 'main_menu', 'to_operator'], routingReason: 'market client with overdue debt — operator queue', queue: 'operators',
          waitMs: expect.any(Number),
        },
      });

      await h.acd!.answer(callId, String(staff.anna));
      await anna.next((m) => m.type === 'agent.state' && m.state === 'on_call');
      await h.acd!.hangUp(callId, { by: 'caller' });
      const ended = anna.messages.length;
      await anna.next((m) => m.type === 'call.ended' && m.callId === callId);
      const wrap = await anna.next((m) => m.type === 'agent.state' && m.state === 'wrap_up', ended - 1);
      expect(wrap.wrapUpUntil).toEqual(expect.any(Number));
      expect(wrap.wrapUpUntil as number).toBeGreaterThan(wrap.since as number);

      // A second socket (reconnect) gets the whole current state in its hello.
      const again = await AgentSocket.open(h.baseUrl, tokens.anna!);
      try {
        expect(await again.next((m) => m.type === 'hello')).toMatchObject({ agent: { state: 'wrap_up', wrapUpUntil: wrap.wrapUpUntil, callId } });
      } finally {
        await again.close();
      }
      // Nobody else's events reach Anna.
      expect((await h.call('POST', `/api/agents/${staff.olga}/state`, { token: tokens.olga, body: { state: 'ready' } })).status).toBe(200);
      await h.call('POST', `/api/agents/${staff.anna}/wrap-up/end`, { token: tokens.anna });
      await anna.next((m) => m.type === 'agent.state' && m.reason === 'wrap_up_ended');
      expect(anna.messages.filter((m) => m.type === 'agent.state').map((m) => m.state)).toEqual(['ready', 'reserved', 'on_call', 'wrap_up', 'ready']);
    } finally {
      await anna.close();
    }
  });

  it('answers a JSON ping with a pong', async () => {
    const ion = await AgentSocket.open(h.baseUrl, tokens.ion!);
    try {
      await ion.next((m) => m.type === 'hello');
      ion.socket.send(JSON.stringify({ type: 'ping' }));
      expect(await ion.next((m) => m.type === 'pong')).toEqual({ type: 'pong', at: expect.any(Number) });
    } finally {
      await ion.close();
    }
    // Every socket of the tests above is gone on the server side too (keep-alive timers and hub listeners go with them).
    await eventually(() => h.app.websocketServer.clients.size, (n) => n === 0, 5000, 20);
    expect(h.app.websocketServer.clients.size).toBe(0);
  });

  it('shows the card to the agent who took the call and to supervisors, not to another operator', async () => {
    const mine = await h.call('GET', `/api/calls/${callId}/card`, { token: tokens.anna });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ callId, client: { id: kolos }, queue: 'operators', ivrPath: ['greeting', 'hours', 'main_menu', 'to_operator'] });
    expect((await h.call('GET', `/api/calls/${callId}/card`, { token: h.tokens.supervisor })).status).toBe(200);
    const other = await h.call('GET', `/api/calls/${callId}/card`, { token: tokens.ion });
    expect(other.status).toBe(403);
    expect((await h.call('GET', '/api/calls/0c0ffee0-2222-4c8e-9d55-0000000000ff/card', { token: h.tokens.supervisor })).status).toBe(404);
    expect((await h.call('GET', '/api/calls/nope/card', { token: tokens.anna })).status).toBe(400);
  });

  it('keeps a wrap-up sent before the call row exists and gives the row its disposition when it arrives', async () => {
    const bad = await h.call('POST', `/api/calls/${callId}/wrap-up`, { token: tokens.anna, body: { dispositionCode: 'no_such_code' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'body/dispositionCode' })]);
    const malformed = await h.call('POST', `/api/calls/${callId}/wrap-up`, { token: tokens.anna, body: { notes: 'x', orderAmount: -5, colour: 'red' } });
    expect(malformed.status).toBe(400);
    const paths = (malformed.body.error.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body/dispositionCode', 'body/orderAmount', 'body']));
    expect(malformed.body.error.message).toContain('colour');
    expect((await h.call('POST', `/api/calls/${callId}/wrap-up`, { token: tokens.ion, body: { dispositionCode: 'order_taken' } })).status).toBe(403);

    const first = await h.call('POST', `/api/calls/${callId}/wrap-up`, { token: tokens.anna, body: { dispositionCode: 'enquiry_answered', notes: 'asked about prices' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ callId, staffId: staff.anna, dispositionCode: 'enquiry_answered', callRecorded: false });
    // Corrected during wrap-up: one form per agent and call.
    const second = await h.call('POST', `/api/calls/${callId}/wrap-up`, {
      token: tokens.anna, body: { dispositionCode: 'order_taken', notes: '20 boxes, debt explained', orderReference: 'ORD-77', orderAmount: 12500.5 },
    });
    expect(second.body).toMatchObject({ dispositionCode: 'order_taken', dispositionLabel: 'Order taken', orderReference: 'ORD-77', orderAmount: 12500.5, callRecorded: false });
    const read = await h.call('GET', `/api/calls/${callId}/wrap-up`, { token: tokens.anna });
    expect(read.body.wrapUps).toEqual([expect.objectContaining({ staffId: staff.anna, dispositionCode: 'order_taken', notes: '20 boxes, debt explained' })]);
    expect((await h.call('GET', `/api/calls/${callId}/wrap-up`, { token: tokens.ion })).status).toBe(403);

    // The outbox writes the call row later, without a disposition of its own.
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, client_id, client_type, started_at, answered_at, agent_answered_at, ended_at, ivr_path,
                          routing_reason, queue_name, queue_wait_ms, agent_id, agent_ids, talk_ms, hold_ms, hangup_side, outcome)
       VALUES ($1, '+7 495 100-00-06', '+74951000006', $2, 'market', now() - interval '4 minutes', now() - interval '4 minutes', now() - interval '3 minutes',
               now() - interval '1 minute', '[{"nodeId":"greeting","at":1},{"nodeId":"main_menu","at":2}]', 'market client with overdue debt — operator queue',
               'operators', 9000, $3, ARRAY[$3::int], 120000, 5000, 'caller', 'answered')`,
      [callId, kolos, staff.anna],
    );
    const stored = await h.call('GET', `/api/calls/${callId}`, { token: tokens.anna });
    expect(stored.body).toMatchObject({ dispositionCode: 'order_taken', wrapUps: [expect.objectContaining({ orderReference: 'ORD-77' })] });
    // With the row there, a correction reaches the row at once.
    const third = await h.call('POST', `/api/calls/${callId}/wrap-up`, { token: tokens.anna, body: { dispositionCode: 'complaint' } });
    expect(third.body).toMatchObject({ dispositionCode: 'complaint', callRecorded: true });
    expect((await h.call('GET', `/api/calls/${callId}`, { token: tokens.anna })).body.dispositionCode).toBe('complaint');

    // The card now reads the stored row.
    const card = await h.call('GET', `/api/calls/${callId}/card`, { token: tokens.anna });
    expect(card.body).toMatchObject({ ivrPath: ['greeting', 'main_menu'], waitMs: 9000, queue: 'operators' });

    // My calls (today) lists it with my disposition.
    const mine = await h.call('GET', '/api/me/calls', { token: tokens.anna });
    expect(mine.status).toBe(200);
    expect(mine.body).toContainEqual({
      callId, startedAt: expect.any(String), direction: 'inbound', callerNumber: '+7 495 100-00-06', clientName: 'Kolos market stall (overdue)',
      outcome: 'answered', talkMs: 120000, holdMs: 5000, dispositionCode: 'complaint', dispositionLabel: 'Complaint',
    });
    expect((await h.call('GET', '/api/me/calls', { token: tokens.ion })).body).not.toContainEqual(expect.objectContaining({ callId }));
  });

  it('lists the client\'s last calls on the client card, and quick-creates a new client (audited)', async () => {
    const card = await h.call('GET', `/api/clients/${kolos}/card`, { token: tokens.ion });
    expect(card.status).toBe(200);
    expect(card.body.client).toMatchObject({ id: kolos, debt: { hasOverdue: true } });
    expect(card.body.lastCalls[0]).toEqual({
      callId, startedAt: expect.any(String), outcome: 'answered', dispositionCode: 'complaint', dispositionLabel: 'Complaint', agentName: 'Anna Petrova', talkMs: 120000,
    });
    expect((await h.call('GET', '/api/clients/999999/card', { token: tokens.ion })).status).toBe(404);

    const created = await h.call('POST', '/api/clients/quick', {
      token: tokens.ion, body: { name: 'Fresh Fish Stall 7', phone: '+7 (495) 555-44-33', clientType: 'market', region: 'Moscow', notes: 'first call' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      client: expect.objectContaining({ name: 'Fresh Fish Stall 7', clientType: 'market', clientTypeLabel: 'Market', manager: null, region: 'Moscow', notes: 'first call' }),
      lastCalls: [],
    });
    const audit = await h.call('GET', `/api/audit?entity=client&entityId=${created.body.client.id}`, { token: h.tokens.supervisor });
    expect(audit.body).toEqual([expect.objectContaining({ action: 'create', username: 'ion' })]);
    const phones = await h.db.query('SELECT e164 FROM client_phones WHERE client_id = $1', [created.body.client.id]);
    expect(phones.rows).toEqual([{ e164: '+74955554433' }]);

    const again = await h.call('POST', '/api/clients/quick', { token: tokens.ion, body: { name: 'Same number', phone: '8 495 555 44 33', clientType: 'market' } });
    expect(again.status).toBe(409);
    const badPhone = await h.call('POST', '/api/clients/quick', { token: tokens.ion, body: { name: 'X', phone: '12', clientType: 'market' } });
    expect(badPhone.status).toBe(400);
    const missing = await h.call('POST', '/api/clients/quick', { token: tokens.ion, body: { phone: '+74955550000' } });
    expect(missing.status).toBe(400);
    expect((missing.body.error.details as Array<{ path: string }>).map((d) => d.path)).toEqual(expect.arrayContaining(['body/name', 'body/clientType']));
    const unknownType = await h.call('POST', '/api/clients/quick', { token: tokens.ion, body: { name: 'Y', phone: '+74955550001', clientType: 'alien' } });
    expect(unknownType.status).toBe(400);
  });
});
