import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { DEMO_PASSWORD } from '../../../src/db/demo-seed';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';
import { ticketUrl } from '../../helpers/url-ticket';

interface Notification { id: number; staffId: number; kind: string; clientId: number | null; clientName: string | null; callId: string | null; actorName: string | null; readAt: string | null }

/** The manager's softphone live channel: every JSON message it got. */
async function openAgentSocket(baseUrl: string, token: string): Promise<{ messages: Array<Record<string, unknown>>; close: () => void }> {
  const socket = new WebSocket(await ticketUrl(baseUrl, token, '/api/agent/events', 'socket'));
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  // The hello says the socket is attached to the hub: later notifications reach it.
  await eventually(() => messages.some((m) => m.type === 'hello'), Boolean, 10_000, 20);
  return { messages, close: () => socket.close() };
}

/**
 * Issue 17 point 8 over real HTTP, WebSocket, Postgres and Redis with the demo
 * data: a head assigns managers to new clients (rights, conflicts, the
 * manager told live and in a list); a regional order needs its details; an
 * order taken on a call reaches the client's manager.
 */
describe('seed workflows: new clients to a manager, regional order details, orders to the manager', () => {
  let h: ApiHarness;
  const tokens: Record<string, string> = {};
  const staff: Record<string, number> = {};
  const clients: Record<string, number> = {};

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true });
    for (const name of ['anna', 'ion', 'olga', 'head_retail', 'head_wholesale']) {
      tokens[name] = (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: name, password: DEMO_PASSWORD } })).body.token;
    }
    for (const r of (await h.db.query<{ id: number; sip_username: string }>('SELECT id, sip_username FROM staff')).rows) staff[r.sip_username] = r.id;
    for (const r of (await h.db.query<{ id: number; name: string }>('SELECT id, name FROM clients')).rows) clients[r.name] = r.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  const newShop = (): number => clients['New shop, no manager yet'] as number;

  it('the retail head lists the new retail client with the retail managers to choose from; others do not', async () => {
    const list = await h.call<{ clients: Array<{ id: number; department: { code: string } }>; managers: Record<string, Array<{ staffId: number }>> }>('GET', '/api/head/new-clients', { token: tokens.head_retail });
    expect(list.status).toBe(200);
    expect(list.body.clients.map((c) => c.id)).toEqual([newShop()]);
    expect(list.body.clients[0]?.department.code).toBe('retail_sales');
    expect(list.body.managers.retail_sales?.map((m) => m.staffId).sort()).toEqual([staff.olga, staff.head_retail].sort());
    expect(Object.keys(list.body.managers)).toEqual(['retail_sales']);

    // The wholesale head heads wholesale and regional sales: not this client.
    const wholesale = await h.call<{ clients: Array<{ id: number }> }>('GET', '/api/head/new-clients', { token: tokens.head_wholesale });
    expect(wholesale.body.clients.map((c) => c.id)).not.toContain(newShop());
    // An operator heads nothing; an admin sees every department's.
    expect((await h.call('GET', '/api/head/new-clients', { token: tokens.anna })).status).toBe(403);
    const admin = await h.call<{ clients: Array<{ id: number }> }>('GET', '/api/head/new-clients', { token: h.tokens.admin });
    expect(admin.body.clients.map((c) => c.id)).toContain(newShop());
  });

  it('only the client\'s head assigns, only a manager of that department, once; the manager is told live and in a list', async () => {
    const olgaSocket = await openAgentSocket(h.baseUrl, tokens.olga as string);
    try {
      const path = `/api/head/new-clients/${newShop()}/manager`;
      expect((await h.call('POST', path, { token: tokens.head_wholesale, body: { managerId: staff.olga } })).status).toBe(403);
      expect((await h.call('POST', path, { token: tokens.anna, body: { managerId: staff.olga } })).status).toBe(403);
      const outsider = await h.call<{ error: { details: Array<{ path: string }> } }>('POST', path, { token: tokens.head_retail, body: { managerId: staff.pavel } });
      expect(outsider.status).toBe(400);
      expect(outsider.body.error.details[0]?.path).toBe('body/managerId');

      const assigned = await h.call<{ managerId: number; notified: number[] }>('POST', path, { token: tokens.head_retail, body: { managerId: staff.olga } });
      expect(assigned.status).toBe(200);
      expect(assigned.body.notified).toEqual([staff.olga]);
      const row = await h.db.query<{ manager_id: number }>('SELECT manager_id FROM clients WHERE id = $1', [newShop()]);
      expect(row.rows[0]?.manager_id).toBe(staff.olga);
      // A second head's click comes too late.
      expect((await h.call('POST', path, { token: h.tokens.admin, body: { managerId: staff.head_retail } })).status).toBe(409);

      const live = await eventually(() => olgaSocket.messages.find((m) => m.type === 'staff.notification'), (m) => m !== undefined, 10_000, 20);
      const notification = live?.notification as Notification;
      expect(notification).toMatchObject({ kind: 'client_assigned', clientId: newShop(), clientName: 'New shop, no manager yet', actorName: 'Marek Nowak', staffId: staff.olga });

      const listed = await h.call<Notification[]>('GET', '/api/me/notifications', { token: tokens.olga });
      expect(listed.body.map((n) => [n.kind, n.clientId])).toEqual([['client_assigned', newShop()]]);
      expect((await h.call('POST', `/api/me/notifications/${notification.id}/read`, { token: tokens.anna })).status).toBe(404);
      expect((await h.call('POST', `/api/me/notifications/${notification.id}/read`, { token: tokens.olga })).status).toBe(200);
      expect((await h.call<Notification[]>('GET', '/api/me/notifications', { token: tokens.olga })).body[0]?.readAt).not.toBeNull();
      // Assigned, the client leaves the head's list.
      const after = await h.call<{ clients: unknown[] }>('GET', '/api/head/new-clients', { token: tokens.head_retail });
      expect(after.body.clients).toEqual([]);
    } finally {
      olgaSocket.close();
    }
  });

  it('a regional order needs payment form, delivery date and shipping details; the regional manager is told and lists it', async () => {
    const callId = randomUUID();
    const tver = clients['Tver Wholesale Base'] as number;
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, client_id, client_type, started_at, ended_at, agent_id, agent_ids, talk_ms, hangup_side, outcome)
       VALUES ($1, '+74822100005', '+74822100005', $2, 'regional', now() - interval '5 minutes', now(), $3, ARRAY[$3::int], 120000, 'caller', 'answered')`,
      [callId, tver, staff.anna],
    );
    const ionSocket = await openAgentSocket(h.baseUrl, tokens.ion as string);
    try {
      const path = `/api/calls/${callId}/wrap-up`;
      const bare = await h.call<{ error: { details: Array<{ path: string }> } }>('POST', path, { token: tokens.anna, body: { dispositionCode: 'order_taken', orderReference: 'TV-1', orderAmount: 91000 } });
      expect(bare.status).toBe(400);
      expect(bare.body.error.details.map((d) => d.path)).toEqual(['body/paymentForm', 'body/deliveryDate', 'body/shippingDetails']);
      // The schema refuses an unknown payment form before any rule.
      expect((await h.call('POST', path, { token: tokens.anna, body: { dispositionCode: 'order_taken', paymentForm: 'barter' } })).status).toBe(400);
      expect((await h.call('POST', path, { token: tokens.anna, body: { dispositionCode: 'order_taken', orderReference: 'TV-1', paymentForm: 'cash', deliveryDate: '2020-01-01', shippingDetails: 'x' } })).status).toBe(400);
      expect((await h.call('GET', '/api/me/client-orders', { token: tokens.ion })).body).toEqual([]);

      const order = { dispositionCode: 'order_taken', orderReference: 'TV-1', orderAmount: 91000, paymentForm: 'bank_transfer', deliveryDate: '2099-03-02', shippingDetails: 'Tver, Zavodskaya 4, gate 2; by truck' };
      const saved = await h.call<Record<string, unknown>>('POST', path, { token: tokens.anna, body: order });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ paymentForm: 'bank_transfer', deliveryDate: '2099-03-02', shippingDetails: order.shippingDetails });
      // A correction does not tell the manager twice.
      expect((await h.call('POST', path, { token: tokens.anna, body: { ...order, notes: 'corrected' } })).status).toBe(200);

      const live = await eventually(() => ionSocket.messages.find((m) => m.type === 'staff.notification'), (m) => m !== undefined, 10_000, 20);
      expect(live?.notification).toMatchObject({ kind: 'order_taken', callId, clientId: tver, actorName: 'Anna Petrova' });
      const listed = await h.call<Notification[]>('GET', '/api/me/notifications', { token: tokens.ion });
      expect(listed.body.filter((n) => n.kind === 'order_taken').map((n) => n.callId)).toEqual([callId]);
      const orders = await h.call<Array<Record<string, unknown>>>('GET', '/api/me/client-orders', { token: tokens.ion });
      expect(orders.body).toEqual([expect.objectContaining({
        callId, clientName: 'Tver Wholesale Base', takenByName: 'Anna Petrova', orderReference: 'TV-1', orderAmount: 91000,
        paymentForm: 'bank_transfer', deliveryDate: '2099-03-02', shippingDetails: order.shippingDetails, notes: 'corrected',
      })]);
      // Recorded with the call, as the supervisor's call detail shows it.
      const stored = await h.call<{ wrapUps: Array<Record<string, unknown>> }>('GET', `/api/calls/${callId}`, { token: h.tokens.supervisor });
      expect(stored.body.wrapUps).toEqual([expect.objectContaining({ orderReference: 'TV-1', paymentForm: 'bank_transfer', deliveryDate: '2099-03-02', shippingDetails: order.shippingDetails })]);
      // Anna took it and does not manage the client: not in her list (which holds her own clients' demo orders).
      const annas = await h.call<Array<{ callId: string; clientName: string }>>('GET', '/api/me/client-orders', { token: tokens.anna });
      expect(annas.body.length).toBeGreaterThan(0);
      expect(annas.body.map((o) => o.callId)).not.toContain(callId);
    } finally {
      ionSocket.close();
    }
  });

  it('a market client\'s order needs no shipping details', async () => {
    const callId = randomUUID();
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, client_id, client_type, started_at, ended_at, agent_id, agent_ids, talk_ms, hangup_side, outcome)
       VALUES ($1, '+74951000001', '+74951000001', $2, 'market', now() - interval '5 minutes', now(), $3, ARRAY[$3::int], 60000, 'caller', 'answered')`,
      [callId, clients['Sadovod market, stall 14'], staff.olga],
    );
    const saved = await h.call<Record<string, unknown>>('POST', `/api/calls/${callId}/wrap-up`, { token: tokens.olga, body: { dispositionCode: 'order_taken', orderReference: 'M-7' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ paymentForm: null, deliveryDate: null, shippingDetails: null });
    // Anna manages Sadovod: she hears of Olga's order.
    const annas = await h.call<Notification[]>('GET', '/api/me/notifications', { token: tokens.anna });
    expect(annas.body.map((n) => [n.kind, n.callId])).toContainEqual(['order_taken', callId]);
  });
});
