import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

/**
 * Over-broad rights (issue 15): any operator could change any client's debt,
 * credit limit, manager, type and routing override. An operator keeps the
 * client's notes and contact details; the rest is for supervisors and admins.
 */
describe('what an operator may change on a client (real HTTP, Postgres, Redis)', () => {
  let h: ApiHarness;
  let clientId: number;
  beforeAll(async () => {
    h = await startApiHarness();
    const created = await h.call<{ id: number }>('POST', '/api/clients', { token: h.tokens.admin, body: { name: 'Sadovod stall 7', type: 'market', phones: ['+7 495 100-00-07'] } });
    clientId = created.body.id;
  });
  afterAll(async () => {
    await h.close();
  });

  it('notes and contact details: yes', async () => {
    const changed = await h.call('PATCH', `/api/clients/${clientId}`, { token: h.tokens.operator, body: { notes: 'prefers calls after 14:00', phones: ['+7 495 100-00-07', '+7 916 100-00-07'] } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ notes: 'prefers calls after 14:00' });
  });

  it.each([
    ['creditLimit', 1_000_000], ['overdueDebt', 0], ['balance', 0], ['managerId', null], ['type', 'key'], ['routingOverride', null], ['lastOrderAt', '2026-01-01'],
  ])('%s: no (403 naming the field), and nothing changes', async (field, value) => {
    const before = await h.call('GET', `/api/clients/${clientId}`, { token: h.tokens.admin });
    const refused = await h.call('PATCH', `/api/clients/${clientId}`, { token: h.tokens.operator, body: { notes: 'sneaky', [field]: value } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(field);
    const after = await h.call('GET', `/api/clients/${clientId}`, { token: h.tokens.admin });
    expect(after.body).toEqual(before.body);
  });

  it('a new card from an operator names its type but no money, manager or routing; a supervisor may set them', async () => {
    expect((await h.call('POST', '/api/clients', { token: h.tokens.operator, body: { name: 'Walk-in', type: 'market' } })).status).toBe(201);
    expect((await h.call('POST', '/api/clients', { token: h.tokens.operator, body: { name: 'Walk-in rich', type: 'market', creditLimit: 5_000_000 } })).status).toBe(403);
    const bySupervisor = await h.call('PATCH', `/api/clients/${clientId}`, { token: h.tokens.supervisor, body: { creditLimit: 250_000 } });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body).toMatchObject({ creditLimit: 250_000 });
  });
});
