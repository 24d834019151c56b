import { randomUUID } from 'node:crypto';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import {
  listAssignedCampaignCalls, recordCampaignCallResult,
} from '../../../src/db/repositories/campaigns-repository';

/*
 * Dormant-client campaigns over real HTTP and a real Postgres with the demo
 * data (today's date drives every "months ago" below).
 */
describe('dormant-client campaigns (real HTTP + Postgres, demo data)', () => {
  let h: ApiHarness;
  const staff = new Map<string, number>();
  const clients = new Map<string, number>();

  const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

  /** A client of `type` known for a year, with an imported last-order date and optionally an order taken on a call. */
  async function addClient(name: string, type: string, lastOrderDaysAgo: number | null, phoneOrder?: { daysAgo: number; disposition: string; reference?: string }): Promise<number> {
    const created = await h.call('POST', '/api/clients', { token: h.tokens.admin, body: { name, type, lastOrderAt: lastOrderDaysAgo === null ? null : daysAgo(lastOrderDaysAgo) } });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await h.db.query("UPDATE clients SET created_at = now() - interval '2 years' WHERE id = $1", [id]);
    if (phoneOrder) {
      const callId = randomUUID();
      await h.db.query(
        "INSERT INTO calls (id, caller_number, client_id, started_at, outcome) VALUES ($1, '+74950000000', $2, now() - make_interval(days => $3), 'answered')",
        [callId, id, phoneOrder.daysAgo],
      );
      await h.db.query('INSERT INTO wrap_ups (call_id, staff_id, disposition_code, order_reference) VALUES ($1, $2, $3, $4)', [callId, staff.get('Anna Petrova'), phoneOrder.disposition, phoneOrder.reference ?? null]);
    }
    clients.set(name, id);
    return id;
  }

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
    const list = await h.call('GET', '/api/staff?limit=1000', { token: h.tokens.admin });
    for (const s of list.body as Array<{ id: number; fullName: string }>) staff.set(s.fullName, s.id);
    // Own fixtures next to the demo's: every way an order can be known, on both sides of the 6-month line.
    await addClient('T imported 8 months ago', 'market', 240);
    await addClient('T imported 2 months ago', 'market', 60);
    await addClient('T old import, recent phone order', 'market', 400, { daysAgo: 20, disposition: 'order_taken' });
    await addClient('T phone order 9 months ago', 'market', null, { daysAgo: 270, disposition: 'order_taken' });
    await addClient('T order reference on an enquiry call', 'market', 400, { daysAgo: 10, disposition: 'enquiry_answered', reference: 'ERP-77' });
    await addClient('T recent enquiry without order', 'market', 300, { daysAgo: 5, disposition: 'enquiry_answered' });
    await addClient('T never ordered, known 2 years', 'market', null);
    await addClient('T retail, dormant', 'retail', 365);
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists market clients without an order for 6 months: imported dates and orders taken on calls both count', async () => {
    const res = await h.call('GET', '/api/campaigns/dormant-clients?months=6', { token: h.tokens.supervisor });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ months: 6, clientType: 'market' });
    const names: string[] = res.body.clients.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining([
      'T imported 8 months ago', 'T phone order 9 months ago', 'T recent enquiry without order', 'T never ordered, known 2 years',
      // The demo's own dormant clients (seeded relative to today, and the fixed 2026-03-15 one).
      'Dorogomilovsky market, row 3', 'Levoberezhny market, stall 5',
    ]));
    for (const active of ['T imported 2 months ago', 'T old import, recent phone order', 'T order reference on an enquiry call', 'T retail, dormant', 'Danilovsky market, pavilion 7', 'Sadovod market, stall 14']) {
      expect(names).not.toContain(active);
    }
    expect(res.body.count).toBe(names.length);
    const phoneOrdered = res.body.clients.find((c: { name: string }) => c.name === 'T phone order 9 months ago');
    expect(phoneOrdered).toMatchObject({ clientType: 'market', lastOrderAt: daysAgo(270), openCampaignId: null });
    expect(phoneOrdered.daysIdle).toBeGreaterThanOrEqual(269);
    const never = res.body.clients.find((c: { name: string }) => c.name === 'T never ordered, known 2 years');
    expect(never.lastOrderAt).toBeNull();
    // Longest idle first.
    const idle: number[] = res.body.clients.map((c: { daysIdle: number }) => c.daysIdle);
    expect([...idle].sort((a, b) => b - a)).toEqual(idle);

    // The window and the type are parameters.
    const twelve = await h.call('GET', '/api/campaigns/dormant-clients?months=12', { token: h.tokens.admin });
    expect(twelve.body.clients.map((c: { name: string }) => c.name)).not.toContain('T imported 8 months ago');
    const retail = await h.call('GET', '/api/campaigns/dormant-clients?months=6&clientType=retail', { token: h.tokens.admin });
    expect(retail.body.clients.map((c: { name: string }) => c.name)).toContain('T retail, dormant');
    expect((await h.call('GET', '/api/campaigns/dormant-clients?clientType=nosuch', { token: h.tokens.admin })).status).toBe(400);
    expect((await h.call('GET', '/api/campaigns/dormant-clients?months=0', { token: h.tokens.admin })).status).toBe(400);
  });

  it('the demo clients carry their time zone, so the calling window is their local 09:00–21:00, not the hours all of Russia shares', async () => {
    const list = await h.call('GET', '/api/clients?limit=1000', { token: h.tokens.admin });
    const byName = new Map((list.body as Array<{ id: number; name: string }>).map((c) => [c.name, c.id]));
    const zoneOf = async (name: string): Promise<unknown> => (await h.call('GET', `/api/clients/${byName.get(name)}/time-zone`, { token: h.tokens.admin })).body;
    expect(await zoneOf('Dormant stall 31')).toMatchObject({ timeZone: 'Europe/Moscow', effectiveTimeZones: ['Europe/Moscow'] });
    expect(await zoneOf('Tver Wholesale Base')).toMatchObject({ timeZone: 'Europe/Moscow' });
    expect(await zoneOf('Cluj Distribution SRL')).toMatchObject({ timeZone: 'Europe/Bucharest' });
  });

  it('is for supervisors and admins only', async () => {
    expect((await h.call('GET', '/api/campaigns/dormant-clients', { token: h.tokens.operator })).status).toBe(403);
    expect((await h.call('POST', '/api/campaigns', { token: h.tokens.operator, body: { name: 'x' } })).status).toBe(403);
    expect((await h.call('GET', '/api/campaigns', { token: null })).status).toBe(401);
  });

  let campaignId: number;

  it('creates a draft campaign from the list, assigns it round-robin, and operators record results', async () => {
    const dormant = (await h.call('GET', '/api/campaigns/dormant-clients', { token: h.tokens.supervisor })).body.clients as Array<{ clientId: number }>;
    const created = await h.call('POST', '/api/campaigns', { token: h.tokens.supervisor, body: { name: 'Q4 dormant markets', months: 6, clientType: 'market' } });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
    expect(created.body).toMatchObject({
      name: 'Q4 dormant markets', status: 'draft', createdBy: 'h_supervisor',
      criteria: { kind: 'dormant_clients', months: 6, clientType: 'market' },
      progress: { total: dormant.length, unassigned: dormant.length, byStatus: { pending: dormant.length, done: 0, failed: 0, no_answer: 0, skipped: 0 }, completionPercent: 0 },
      alreadyInOpenCampaigns: 0,
    });
    expect(created.body.calls.map((c: { clientId: number }) => c.clientId)).toEqual(dormant.map((c) => c.clientId));
    const phoneOrdered = created.body.calls.find((c: { clientId: number }) => c.clientId === clients.get('T phone order 9 months ago'));
    expect(phoneOrdered).toMatchObject({ status: 'pending', assignedStaffId: null, lastOrderAt: daysAgo(270) });

    // The same clients are not put on a second open campaign.
    const again = await h.call('POST', '/api/campaigns', { token: h.tokens.supervisor, body: { name: 'Duplicate', months: 6 } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already on open campaigns/);
    const listed = await h.call('GET', '/api/campaigns/dormant-clients', { token: h.tokens.supervisor });
    expect(listed.body.clients.every((c: { openCampaignId: number | null }) => c.openCampaignId === campaignId)).toBe(true);

    // Round robin over two operators.
    const anna = staff.get('Anna Petrova')!;
    const ion = staff.get('Ion Popescu')!;
    const assigned = await h.call('POST', `/api/campaigns/${campaignId}/assign`, { token: h.tokens.supervisor, body: { staffIds: [anna, ion] } });
    expect(assigned.status).toBe(200);
    const total = dormant.length;
    expect(assigned.body.assigned).toBe(total);
    expect(assigned.body.perStaff).toEqual([{ staffId: anna, assigned: Math.ceil(total / 2) }, { staffId: ion, assigned: Math.floor(total / 2) }]);
    const order = (assigned.body.campaign.calls as Array<{ assignedStaffId: number }>).map((c) => c.assignedStaffId);
    order.forEach((id, i) => expect(id).toBe(i % 2 === 0 ? anna : ion));
    expect(assigned.body.campaign.progress.unassigned).toBe(0);
    // Nothing left to hand out: a second assignment changes nothing.
    expect((await h.call('POST', `/api/campaigns/${campaignId}/assign`, { token: h.tokens.supervisor, body: { staffIds: [staff.get('Olga Smirnova')] } })).body.assigned).toBe(0);
    // Supervisors and admins take no calls; unknown people are named.
    const bad = await h.call('POST', `/api/campaigns/${campaignId}/assign`, { token: h.tokens.supervisor, body: { staffIds: [anna, 99999] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'body/staffIds/1' });

    // A draft is not in the operators' lists yet.
    expect(await listAssignedCampaignCalls(h.db, anna)).toEqual([]);
    const activated = await h.call('PATCH', `/api/campaigns/${campaignId}`, { token: h.tokens.supervisor, body: { status: 'active' } });
    expect(activated.status).toBe(200);
    expect(activated.body.status).toBe('active');

    const annaList = await listAssignedCampaignCalls(h.db, anna);
    expect(annaList).toHaveLength(Math.ceil(total / 2));
    expect(annaList[0]).toMatchObject({ campaignId, campaignName: 'Q4 dormant markets', assignedStaffId: anna, status: 'pending', result: null });
    const [first, second, third] = annaList;

    // Results: a free-text outcome counts as done; the status words set their status.
    const done = await recordCampaignCallResult(h.db, first!.id, anna, { result: 'Ordered 20 boxes of buckwheat', notes: 'Wants weekly delivery', callId: '00000000-0000-4000-8000-0000000000aa' });
    expect(done).toMatchObject({ status: 'done', result: 'Ordered 20 boxes of buckwheat', notes: 'Wants weekly delivery', callId: '00000000-0000-4000-8000-0000000000aa' });
    expect(done.attemptedAt).not.toBeNull();
    const noAnswer = await recordCampaignCallResult(h.db, second!.id, anna, { result: 'no_answer' });
    expect(noAnswer.status).toBe('no_answer');
    // Not answered may be tried again; a final outcome may not change.
    expect((await recordCampaignCallResult(h.db, second!.id, anna, { result: 'Closed for good', status: 'failed' })).status).toBe('failed');
    await expect(recordCampaignCallResult(h.db, first!.id, anna, { result: 'skipped' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    // Someone else's call is not yours to close.
    await expect(recordCampaignCallResult(h.db, third!.id, ion, { result: 'done' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(recordCampaignCallResult(h.db, 999_999, anna, { result: 'done' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // The operator's open list drops what is final.
    const remaining = await listAssignedCampaignCalls(h.db, anna);
    expect(remaining.map((c) => c.id)).not.toContain(first!.id);
    expect(remaining.map((c) => c.id)).not.toContain(second!.id);
    expect(remaining).toHaveLength(annaList.length - 2);
    expect(await listAssignedCampaignCalls(h.db, anna, { includeFinished: true })).toHaveLength(annaList.length);
  });

  it('reports progress overall and per operator', async () => {
    const anna = staff.get('Anna Petrova')!;
    const ion = staff.get('Ion Popescu')!;
    const ionFirst = (await listAssignedCampaignCalls(h.db, ion))[0]!;
    await recordCampaignCallResult(h.db, ionFirst.id, ion, { result: 'skipped', notes: 'Client asked not to be called' });

    const res = await h.call('GET', `/api/campaigns/${campaignId}`, { token: h.tokens.admin });
    expect(res.status).toBe(200);
    const total = res.body.progress.total as number;
    expect(res.body.progress.byStatus).toEqual({ pending: total - 3, done: 1, failed: 1, no_answer: 0, skipped: 1 });
    expect(res.body.progress.completionPercent).toBeCloseTo(Math.round((3 / total) * 1000) / 10, 5);
    expect(res.body.perOperator).toEqual([
      { staffId: anna, name: 'Anna Petrova', total: Math.ceil(total / 2), byStatus: { pending: Math.ceil(total / 2) - 2, done: 1, failed: 1, no_answer: 0, skipped: 0 } },
      { staffId: ion, name: 'Ion Popescu', total: Math.floor(total / 2), byStatus: { pending: Math.floor(total / 2) - 1, done: 0, failed: 0, no_answer: 0, skipped: 1 } },
    ]);
    const skipped = res.body.calls.find((c: { id: number }) => c.id === ionFirst.id);
    expect(skipped).toMatchObject({ status: 'skipped', notes: 'Client asked not to be called', assignedStaffName: 'Ion Popescu' });

    const list = await h.call('GET', '/api/campaigns', { token: h.tokens.supervisor });
    expect(list.body[0]).toMatchObject({ id: campaignId, status: 'active', progress: { total, byStatus: { done: 1, failed: 1, skipped: 1 } } });
  });

  it('moves through its lifecycle only along the allowed transitions; a done campaign takes no more results', async () => {
    const anna = staff.get('Anna Petrova')!;
    const pending = (await listAssignedCampaignCalls(h.db, anna))[0]!;
    expect((await h.call('PATCH', `/api/campaigns/${campaignId}`, { token: h.tokens.supervisor, body: { status: 'done' } })).body.status).toBe('done');
    const reopen = await h.call('PATCH', `/api/campaigns/${campaignId}`, { token: h.tokens.supervisor, body: { status: 'active' } });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('ILLEGAL_TRANSITION');
    expect((await h.call('PATCH', `/api/campaigns/${campaignId}`, { token: h.tokens.supervisor, body: { status: 'paused' } })).status).toBe(400);
    await expect(recordCampaignCallResult(h.db, pending.id, anna, { result: 'done' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(await listAssignedCampaignCalls(h.db, anna)).toEqual([]);
    expect((await h.call('POST', `/api/campaigns/${campaignId}/assign`, { token: h.tokens.supervisor, body: { staffIds: [anna] } })).status).toBe(409);
    expect((await h.call('GET', '/api/campaigns/424242', { token: h.tokens.supervisor })).status).toBe(404);

    // Once it is closed, its clients (those not reached) can go on a new campaign.
    const next = await h.call('POST', '/api/campaigns', { token: h.tokens.admin, body: { name: 'Next round' } });
    expect(next.status).toBe(201);
    expect(next.body.progress.total).toBeGreaterThan(0);
    const audit = await h.db.query("SELECT action FROM audit_log WHERE entity = 'campaign' AND entity_id = $1 ORDER BY id", [String(campaignId)]);
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['create', 'update', 'update', 'update']);
  });
});
