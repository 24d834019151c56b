import { randomUUID } from 'node:crypto';
import type { AcdEventRecord } from '../../../src/acd';
import { insertAcdEvents } from '../../../src/db/repositories/acd-events-repository';
import { DEMO_PASSWORD } from '../../../src/db/demo-seed';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

/**
 * "My calls", "my shift" and "my assignments" over real HTTP, Postgres and
 * Redis with the real ACD. Shift figures are checked against a hand-computed
 * fixture of call rows and ACD events (as the ACD event writer stores them).
 */
describe('softphone: my calls, my shift, my assignments', () => {
  let h: ApiHarness;
  const tokens: Record<string, string> = {};
  const staff: Record<string, number> = {};
  const clients: Record<string, number> = {};
  const DAY = { from: '2025-01-06T00:00:00Z', to: '2025-01-07T00:00:00Z' };
  const at = (time: string): Date => new Date(`2025-01-06T${time}Z`);

  async function insertCall(row: { id: string; staffId: number; startedAt: Date; talkMs: number; holdMs?: number; clientId?: number | null; outcome?: string; disposition?: string | null; number?: string }): Promise<void> {
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, client_id, started_at, ended_at, agent_id, agent_ids, talk_ms, hold_ms, hangup_side, outcome, disposition_code)
       VALUES ($1, $2, $2, $3, $4, $4::timestamptz + interval '5 minutes', $5, ARRAY[$5::int], $6, $7, 'caller', $8, $9)`,
      [row.id, row.number ?? '+74951230000', row.clientId ?? null, row.startedAt, row.staffId, row.talkMs, row.holdMs ?? 0, row.outcome ?? 'answered', row.disposition ?? null],
    );
  }

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true });
    for (const name of ['anna', 'ion', 'olga', 'svetlana']) {
      tokens[name] = (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: name, password: DEMO_PASSWORD } })).body.token;
    }
    for (const r of (await h.db.query<{ id: number; sip_username: string }>('SELECT id, sip_username FROM staff')).rows) staff[r.sip_username] = r.id;
    for (const r of (await h.db.query<{ id: number; name: string }>('SELECT id, name FROM clients')).rows) clients[r.name] = r.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('adds up a shift from the call rows and the ACD events, and lists the calls newest first', async () => {
    const olga = staff.olga!;
    const first = randomUUID();
    const second = randomUUID();
    await insertCall({ id: first, staffId: olga, startedAt: at('08:10:00'), talkMs: 180_000, holdMs: 4000, clientId: clients['Ugolok grocery'] });
    await h.db.query(`INSERT INTO wrap_ups (call_id, staff_id, disposition_code, notes) VALUES ($1, $2, 'order_taken', 'ok')`, [first, olga]);
    await insertCall({ id: second, staffId: olga, startedAt: at('11:00:00'), talkMs: 60_000, disposition: 'enquiry_answered' });
    // Not hers, or not that day: never counted.
    await insertCall({ id: randomUUID(), staffId: staff.anna!, startedAt: at('09:00:00'), talkMs: 50_000 });
    await insertCall({ id: randomUUID(), staffId: olga, startedAt: new Date('2025-01-07T08:00:00Z'), talkMs: 50_000 });

    let n = 0;
    const event = (when: Date, type: string, data: Record<string, unknown>): AcdEventRecord => ({
      streamId: `1736150400000-${n++}`, at: when, type, callId: (data.callId as string | undefined) ?? null, agentId: olga, queue: 'operators', data: { type, ...data },
    });
    const state = (when: Date, to: string, reason?: string): AcdEventRecord => event(when, 'agent_state', { agentId: String(olga), to, ...(reason ? { reason } : {}) });
    await insertAcdEvents(h.db, [
      // In force when the day starts: logged in, not ready.
      state(new Date('2025-01-05T23:00:00Z'), 'not_ready', 'login'),
      state(at('08:00:00'), 'ready'),
      state(at('08:10:00'), 'reserved'),
      state(at('08:10:05'), 'on_call'),
      state(at('08:13:05'), 'wrap_up'),
      state(at('08:13:35'), 'ready'),
      event(at('08:30:00'), 'call_released', { reason: 'ring_no_answer', agentId: String(olga), callId: 'missed-1' }),
      state(at('08:30:00'), 'not_ready', 'missed_call'),
      state(at('08:31:00'), 'ready'),
      state(at('09:00:00'), 'not_ready', 'break'),
      state(at('09:15:00'), 'ready'),
      state(at('10:00:00'), 'logged_out'),
    ]);

    const stats = await h.call('GET', `/api/me/stats?from=${DAY.from}&to=${DAY.to}`, { token: tokens.olga });
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      handled: 2,
      missed: 1,
      talkMs: 240_000,
      // (talk 240 s + hold 4 s + wrap-up 30 s) / 2 calls
      avgHandleMs: 137_000,
      holdMs: 4000,
      wrapUpMs: 30_000,
      // 08:00–08:10, 08:13:35–08:30, 08:31–09:00, 09:15–10:00
      readyMs: 600_000 + 985_000 + 1_740_000 + 2_700_000,
      // 00:00–08:00 (in force at the start), 08:30–08:31, 09:00–09:15
      notReadyMs: 28_800_000 + 60_000 + 900_000,
      byDisposition: { order_taken: 1, enquiry_answered: 1 },
    });

    const calls = await h.call('GET', `/api/me/calls?from=${DAY.from}&to=${DAY.to}`, { token: tokens.olga });
    expect(calls.body.map((c: { callId: string }) => c.callId)).toEqual([second, first]);
    expect(calls.body[1]).toEqual({
      callId: first, startedAt: '2025-01-06T08:10:00.000Z', direction: 'inbound', callerNumber: '+74951230000', clientName: 'Ugolok grocery',
      outcome: 'answered', talkMs: 180_000, holdMs: 4000, dispositionCode: 'order_taken', dispositionLabel: 'Order taken',
    });
  });

  it('defaults to today, needs a staff member, and checks the period', async () => {
    const today = await h.call('GET', '/api/me/stats', { token: tokens.svetlana });
    expect(today.status).toBe(200);
    expect(today.body).toMatchObject({ handled: 0, missed: 0, talkMs: 0, avgHandleMs: 0, byDisposition: {} });
    expect((await h.call('GET', '/api/me/calls', { token: tokens.svetlana })).body).toEqual([]);
    const admin = await h.call('GET', '/api/me/calls', { token: h.tokens.admin });
    expect(admin.status).toBe(409);
    expect(admin.body.error.code).toBe('NO_STAFF');
    const bad = await h.call('GET', '/api/me/calls?from=yesterday', { token: tokens.olga });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('from');
  });

  it('a callback request the ACD holds (made in a queue) is not on the client manager\'s list: one owner, the agent the ACD hands it to', async () => {
    // Anna manages Sadovod; its caller pressed the callback key while waiting in the operators' queue.
    const inQueue = randomUUID();
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, client_id, started_at, ended_at, hangup_side, outcome, queue_name)
       VALUES ($1, '+74951000001', '+74951000001', $2, now() - interval '5 minutes', now() - interval '4 minutes', 'system', 'callback_requested', 'operators')`,
      [inQueue, clients['Sadovod market, stall 14']],
    );
    const anna = await h.call('GET', '/api/me/assignments', { token: tokens.anna });
    expect(anna.status).toBe(200);
    expect(anna.body.map((a: { id: unknown }) => a.id)).not.toContain(inQueue);
    await h.db.query('DELETE FROM calls WHERE id = $1', [inQueue]);
  });

  it('lists my callbacks (clients I manage, or handed to me by the ACD now) and my campaign calls, and records results', async () => {
    // Sadovod is Anna's client; its caller asked to be called back an hour ago.
    const mine = randomUUID();
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, client_id, started_at, ended_at, hangup_side, outcome, routing_reason)
       VALUES ($1, '+74951000001', '+74951000001', $2, now() - interval '1 hour', now() - interval '55 minutes', 'caller', 'callback_requested', 'callback requested in the queue')`,
      [mine, clients['Sadovod market, stall 14']],
    );
    // A regional caller's callback request that the ACD hands to Ion (the regional queue's only member) when he is ready.
    const live = randomUUID();
    await h.db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, client_id, started_at, ended_at, hangup_side, outcome)
       VALUES ($1, '+74822100005', '+74822100005', NULL, now() - interval '10 minutes', now() - interval '9 minutes', 'caller', 'callback_requested')`,
      [live],
    );
    await h.acd!.enqueue({ callId: live, queueId: 'regional', callerNumber: '+74822100005' });
    await h.acd!.requestCallback(live, '+74822100005');
    expect((await h.call('POST', `/api/agents/${staff.ion}/state`, { token: tokens.ion, body: { state: 'ready' } })).status).toBe(200);
    expect((await h.acd!.getAgent(String(staff.ion)))?.callId).toBe(live);

    // A campaign call for Anna.
    const campaign = (await h.db.query<{ id: number }>(`INSERT INTO campaigns (name, created_by, status) VALUES ('Dormant stalls', 'supervisor', 'active') RETURNING id`)).rows[0]!.id;
    const task = (await h.db.query<{ id: number }>(
      'INSERT INTO campaign_calls (campaign_id, client_id, assigned_staff_id, notes) VALUES ($1, $2, $3, $4) RETURNING id',
      [campaign, clients['Dormant stall 31'], staff.anna, 'ask about spring assortment'],
    )).rows[0]!.id;

    const anna = await h.call('GET', '/api/me/assignments', { token: tokens.anna });
    expect(anna.status).toBe(200);
    expect(anna.body).toEqual(expect.arrayContaining([
      { kind: 'callback', id: mine, clientId: clients['Sadovod market, stall 14'], clientName: 'Sadovod market, stall 14', number: '+74951000001', dueAt: expect.any(String), note: 'callback requested in the queue', status: 'pending' },
      { kind: 'campaign', id: task, clientId: clients['Dormant stall 31'], clientName: 'Dormant stall 31', number: '+74951000007', dueAt: null, note: 'Dormant stalls: ask about spring assortment', status: 'pending' },
    ]));
    expect(anna.body.map((a: { id: unknown }) => a.id)).not.toContain(live);
    const ion = await h.call('GET', '/api/me/assignments', { token: tokens.ion });
    expect(ion.body).toEqual([expect.objectContaining({ kind: 'callback', id: live, number: '+74822100005', clientId: null })]);

    // Someone else's: 403; unknown: 404; malformed: 400.
    expect((await h.call('POST', `/api/me/assignments/callback/${mine}/result`, { token: tokens.ion, body: { result: 'done' } })).status).toBe(403);
    expect((await h.call('POST', `/api/me/assignments/campaign/${task}/result`, { token: tokens.ion, body: { result: 'done' } })).status).toBe(403);
    expect((await h.call('POST', '/api/me/assignments/campaign/999999/result', { token: tokens.anna, body: { result: 'done' } })).status).toBe(404);
    expect((await h.call('POST', `/api/me/assignments/callback/${randomUUID()}/result`, { token: tokens.anna, body: { result: 'done' } })).status).toBe(404);
    const badKind = await h.call('POST', `/api/me/assignments/visit/${task}/result`, { token: tokens.anna, body: { result: 'done' } });
    expect(badKind.status).toBe(400);
    const noResult = await h.call('POST', `/api/me/assignments/campaign/${task}/result`, { token: tokens.anna, body: { notes: 'x' } });
    expect(noResult.status).toBe(400);
    expect(noResult.body.error.details).toEqual([expect.objectContaining({ path: 'body/result' })]);

    expect((await h.call('POST', `/api/me/assignments/callback/${mine}/result`, { token: tokens.anna, body: { result: 'reached, order taken', notes: '10 boxes' } })).status).toBe(200);
    // No answer: it stays on the list to try again; a result in words then closes it as done.
    expect((await h.call('POST', `/api/me/assignments/campaign/${task}/result`, { token: tokens.anna, body: { result: 'no_answer', notes: 'rang 10 times' } })).body).toMatchObject({ status: 'no_answer' });
    expect((await h.call('GET', '/api/me/assignments', { token: tokens.anna })).body).toContainEqual(expect.objectContaining({ kind: 'campaign', id: task, status: 'no_answer' }));
    expect((await h.call('POST', `/api/me/assignments/campaign/${task}/result`, { token: tokens.anna, body: { result: 'ordered 20 boxes' } })).body).toMatchObject({ status: 'done' });
    expect((await h.call('POST', `/api/me/assignments/campaign/${task}/result`, { token: tokens.anna, body: { result: 'skipped' } })).status).toBe(409);
    // The ACD handed Ion the live one: he may record it though the client is not his.
    expect((await h.call('POST', `/api/me/assignments/callback/${live}/result`, { token: tokens.ion, body: { result: 'done' } })).status).toBe(200);

    expect((await h.call('GET', '/api/me/assignments', { token: tokens.anna })).body.map((a: { id: unknown }) => a.id)).not.toContain(mine);
    expect((await h.call('GET', '/api/me/assignments', { token: tokens.anna })).body.map((a: { id: unknown }) => a.id)).not.toContain(task);
    const row = await h.db.query('SELECT status, result, notes, attempted_at IS NOT NULL AS attempted FROM campaign_calls WHERE id = $1', [task]);
    expect(row.rows[0]).toEqual({ status: 'done', result: 'ordered 20 boxes', notes: 'rang 10 times', attempted: true });
    const done = await h.db.query('SELECT call_id, staff_id, result, notes FROM callback_results ORDER BY done_at');
    expect(done.rows).toEqual([
      { call_id: mine, staff_id: staff.anna, result: 'reached, order taken', notes: '10 boxes' },
      { call_id: live, staff_id: staff.ion, result: 'done', notes: '' },
    ]);
  });
});
