import { randomUUID } from 'node:crypto';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { at, loadReportFixture, type FixtureIds } from './report-fixture';

interface Item {
  callId: string; startedAt: string; direction: string; callerNumber: string; clientName: string | null; clientType: string | null;
  queue: string | null; agentNames: string[]; outcome: string | null; waitMs: number | null; talkMs: number | null;
  dispositionCode: string | null; hasRecording: boolean;
}

/** The call log over the report fixture plus a client's calls with numbers written every which way. */
describe('call log: filters, keyset pagination, operator restriction (real Postgres, real HTTP)', () => {
  let h: ApiHarness;
  let ids: FixtureIds;
  let anna: string;
  const client: Record<string, string> = {};
  const period = 'from=2025-03-03T09:00:00Z&to=2025-03-03T11:00:00Z';

  const list = async (query: string, token = h.tokens.supervisor): Promise<{ status: number; body: { items: Item[]; nextCursor: string | null } }> =>
    h.call('GET', `/api/call-log?${query}`, { token });

  /** Every page of a query, following nextCursor. */
  const all = async (query: string, token = h.tokens.supervisor): Promise<{ items: Item[]; pages: number }> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    return { items, pages };
  };

  beforeAll(async () => {
    h = await startApiHarness();
    ids = await loadReportFixture(h.db);
    const { rows } = await h.db.query<{ id: number }>("INSERT INTO clients (name, type) VALUES ('Prodtorg LLC', 'key') RETURNING id");
    const clientId = rows[0]!.id;
    // Three calls of one client, the number as it arrived in three formats; one with a wrap-up code and a recording.
    for (const [name, start, number, e164] of [
      ['p1', '10:10:00', '+7 (495) 123-45-67', '+74951234567'],
      ['p2', '10:11:00', '84951234567', '+74951234567'],
      ['p3', '10:12:00', 'sip:4951234567@trunk', null],
    ] as const) {
      const id = randomUUID();
      client[name] = id;
      await h.db.query(
        `INSERT INTO calls (id, caller_number, caller_e164, client_id, client_type, started_at, ended_at, queue_name, queue_wait_ms, agent_id, agent_ids, talk_ms, outcome, hangup_side)
         VALUES ($1, $2, $3, $4, 'key', $5, $5::timestamptz + interval '1 minute', 'key_accounts', 4000, $6, ARRAY[$6::int], 50000, 'answered', 'caller')`,
        [id, number, e164, clientId, new Date(at(start)), ids.agentB],
      );
    }
    await h.db.query("UPDATE calls SET disposition_code = 'order_taken' WHERE id = $1", [client.p1]);
    for (const [call, purged] of [[client.p1, false], [client.p2, true]] as const) {
      const recording = randomUUID();
      await h.db.query(
        `INSERT INTO recordings (id, call_id, file_path, duration_ms, size_bytes, purged_at) VALUES ($1, $2, '/nowhere.wav', 61000, 976044, $3)`,
        [recording, call, purged ? new Date() : null],
      );
      await h.db.query('UPDATE calls SET recording_id = $1 WHERE id = $2', [recording, call]);
    }
    const created = await h.call('POST', '/api/users', { token: h.tokens.admin, body: { username: 'anna_op', password: 'anna-password', role: 'operator', staffId: ids.agentA } });
    expect(created.status).toBe(201);
    anna = (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: 'anna_op', password: 'anna-password' } })).body.token;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('pages through the whole period newest first, ties on the start broken by id, nothing twice or missed', async () => {
    const whole = await list(`${period}&limit=500`);
    // 20 of the 22 fixture calls start in [09:00, 11:00) (c20 and c21 fall outside; the draft test c22 is in the log), plus the client's 3.
    expect(whole.body.items).toHaveLength(23);
    expect(whole.body.nextCursor).toBeNull();
    const paged = await all(`${period}&limit=4`);
    expect(paged.pages).toBe(6);
    expect(paged.items.map((i) => i.callId)).toEqual(whole.body.items.map((i) => i.callId));
    for (let i = 1; i < paged.items.length; i++) {
      const [prev, cur] = [paged.items[i - 1]!, paged.items[i]!];
      expect(prev.startedAt > cur.startedAt || (prev.startedAt === cur.startedAt && prev.callId > cur.callId)).toBe(true);
    }
    // c15 and c18 both started at 10:30:00: a page boundary between them must not lose either.
    expect(paged.items.filter((i) => i.startedAt === '2025-03-03T10:30:00.000Z').map((i) => i.callId).sort()).toEqual([ids.calls.c15, ids.calls.c18].sort());
    for (let limit = 1; limit <= 3; limit++) {
      expect((await all(`${period}&limit=${limit}`)).items.map((i) => i.callId)).toEqual(whole.body.items.map((i) => i.callId));
    }
  });

  it('shows each call as the log needs it: client, queue, agents in order, wait, talk, code, whether it can be played', async () => {
    const { items } = await all(period);
    const byId = new Map(items.map((i) => [i.callId, i]));
    expect(byId.get(ids.calls.c13!)).toMatchObject({
      direction: 'inbound', queue: 'regional', agentNames: ['Anna Petrova', 'Ion Popescu'], outcome: 'transferred', waitMs: 12_000, talkMs: 150_000, hasRecording: false,
    });
    expect(byId.get(client.p1!)).toEqual({
      callId: client.p1, startedAt: '2025-03-03T10:10:00.000Z', direction: 'inbound', callerNumber: '+7 (495) 123-45-67', clientName: 'Prodtorg LLC',
      clientType: 'key', queue: 'key_accounts', agentNames: ['Ion Popescu'], outcome: 'answered', waitMs: 4000, talkMs: 50_000,
      dispositionCode: 'order_taken', hasRecording: true,
    });
    // Recorded, but the file was purged under the retention period: nothing to play.
    expect(byId.get(client.p2!)?.hasRecording).toBe(false);
  });

  it('finds a caller whatever format the number is typed in', async () => {
    const found = async (number: string): Promise<string[]> =>
      (await all(`number=${encodeURIComponent(number)}`)).items.map((i) => i.callId).sort();
    const theClient = [client.p1!, client.p2!, client.p3!].sort();
    expect(await found('+7 495 123-45-67')).toEqual(theClient);
    expect(await found('8 (495) 123 45 67')).toEqual(theClient);
    expect(await found('tel:+74951234567')).toEqual(theClient);
    // The last digits alone (what people remember), in any grouping.
    expect(await found('123-45-67')).toEqual(theClient);
    expect(await found('4567')).toEqual(theClient);
    expect(await found('+7 999 000-00-00')).toEqual([]);
    const tooShort = await list('number=67');
    expect(tooShort.status).toBe(400);
  });

  it('filters by client, client name, agent, queue, disposition, outcome, direction and time, combined with AND', async () => {
    const idsOf = async (query: string): Promise<string[]> => (await all(query)).items.map((i) => i.callId).sort();
    const { rows } = await h.db.query<{ id: number }>("SELECT id FROM clients WHERE name = 'Prodtorg LLC'");
    const theClient = [client.p1!, client.p2!, client.p3!].sort();
    expect(await idsOf(`clientId=${rows[0]!.id}`)).toEqual(theClient);
    expect(await idsOf('client=prodTORG')).toEqual(theClient);
    expect(await idsOf('client=nobody%25')).toEqual([]);
    expect(await idsOf(`${period}&agentId=${ids.agentA}`)).toEqual([ids.calls.c1!, ids.calls.c2!, ids.calls.c12!, ids.calls.c13!, ids.calls.c16!, ids.calls.c18!].sort());
    expect(await idsOf(`${period}&queue=regional`)).toEqual([ids.calls.c10!, ids.calls.c11!, ids.calls.c13!, ids.calls.c16!].sort());
    expect(await idsOf('disposition=order_taken')).toEqual([client.p1!]);
    expect(await idsOf(`${period}&outcome=abandoned_queue`)).toEqual([ids.calls.c4!, ids.calls.c5!, ids.calls.c11!, ids.calls.c15!, ids.calls.c22!].sort());
    expect(await idsOf(`${period}&direction=outbound`)).toEqual([ids.calls.c18!, ids.calls.c19!].sort());
    expect(await idsOf('from=2025-03-03T10:11:00Z&to=2025-03-03T10:12:00Z')).toEqual([client.p2!]);
    expect(await idsOf(`${period}&queue=operators&outcome=answered&agentId=${ids.agentB}`)).toEqual([ids.calls.c3!, ids.calls.c9!, ids.calls.c14!].sort());
    expect((await list('outcome=lost_in_space')).status).toBe(400);
    expect((await list('cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });

  it('an operator sees only the calls they took part in, whatever they ask for; an operator without a staff link sees none', async () => {
    const own = await all(`${period}&limit=2`, anna);
    expect(own.items.map((i) => i.callId).sort()).toEqual([ids.calls.c1!, ids.calls.c2!, ids.calls.c12!, ids.calls.c13!, ids.calls.c16!, ids.calls.c18!].sort());
    expect(own.items.every((i) => i.agentNames.includes('Anna Petrova'))).toBe(true);
    // Asking for a colleague's calls does not widen the view: only calls they shared.
    expect((await all(`agentId=${ids.agentB}`, anna)).items.map((i) => i.callId)).toEqual([ids.calls.c13]);
    expect((await all('disposition=order_taken', anna)).items).toEqual([]);
    const unlinked = await list(period, h.tokens.operator);
    expect(unlinked.status).toBe(403);
    expect((await h.call('GET', `/api/call-log?${period}`)).status).toBe(401);
  });

  it('the single-call view names the people and sums up the rings, without losing what it already showed', async () => {
    const res = await h.call('GET', `/api/calls/${ids.calls.c13}`, { token: h.tokens.supervisor });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ids.calls.c13, queueName: 'regional', queueWaitMs: 12_000, talkMs: 150_000, holdMs: 15_000, outcome: 'transferred',
      agentNames: ['Anna Petrova', 'Ion Popescu'], queueLabel: null, clientName: null, recordingDurationMs: null,
      staffNames: { [String(ids.agentA)]: 'Anna Petrova', [String(ids.agentB)]: 'Ion Popescu' },
      rings: [
        { agentId: ids.agentA, agentName: 'Anna Petrova', at: '2025-03-03T10:05:10.000Z', ringMs: 2000, result: 'answered', reason: null },
        { agentId: ids.agentB, agentName: 'Ion Popescu', at: '2025-03-03T10:07:00.000Z', ringMs: 2000, result: 'answered', reason: null },
      ],
      transfers: [expect.objectContaining({ kind: 'blind', result: 'completed', byAgentId: ids.agentA })],
    });
    expect(res.body.events.map((e: { type: string }) => e.type)).toContain('transfer_started');
    const recorded = await h.call('GET', `/api/calls/${client.p1}`, { token: h.tokens.supervisor });
    expect(recorded.body).toMatchObject({ clientName: 'Prodtorg LLC', recordingDurationMs: 61_000, agentNames: ['Ion Popescu'], rings: [] });
    // The operator's own call opens for them; a colleague's does not.
    expect((await h.call('GET', `/api/calls/${ids.calls.c1}`, { token: anna })).status).toBe(200);
    expect((await h.call('GET', `/api/calls/${ids.calls.c3}`, { token: anna })).status).toBe(403);
  });

  it('shows nobody where a recording lies on the server, and an operator only their own wrap-up of a shared call (issue 15)', async () => {
    const recorded = await h.call('GET', `/api/calls/${client.p1}`, { token: h.tokens.supervisor });
    expect(recorded.body.recording).toMatchObject({ id: expect.any(String), durationMs: 61_000 });
    expect(recorded.body.recording).not.toHaveProperty('filePath');
    await h.db.query(
      `INSERT INTO wrap_ups (call_id, staff_id, disposition_code, notes) VALUES ($1, $2, 'order_taken', 'mine'), ($1, $3, 'order_taken', 'a colleague''s note')`,
      [ids.calls.c13, ids.agentA, ids.agentB],
    );
    const asAnna = await h.call('GET', `/api/calls/${ids.calls.c13}`, { token: anna });
    expect(asAnna.body.wrapUps.map((w: { notes: string }) => w.notes)).toEqual(['mine']);
    const asSupervisor = await h.call('GET', `/api/calls/${ids.calls.c13}`, { token: h.tokens.supervisor });
    expect(asSupervisor.body.wrapUps.map((w: { notes: string }) => w.notes).sort()).toEqual(['a colleague\'s note', 'mine']);
  });
});
