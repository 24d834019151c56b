import { randomUUID } from 'node:crypto';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

/**
 * Issue 15 item 8: the directory cannot lose a person, queue or department
 * the published routing config or the directory itself relies on, except
 * together with a replacement; staff with call history are deactivated, not
 * deleted. Real HTTP and Postgres, on the demo data set (as `npm start`).
 */
describe('directory references (real HTTP, Postgres, demo data)', () => {
  let h: ApiHarness;
  let admin: string;
  const staffId = async (sipUsername: string): Promise<number> =>
    (await h.db.query<{ id: number }>('SELECT id FROM staff WHERE sip_username = $1', [sipUsername])).rows[0]!.id;
  const departmentHead = async (code: string): Promise<number | null> =>
    (await h.db.query<{ head_staff_id: number | null }>('SELECT head_staff_id FROM departments WHERE code = $1', [code])).rows[0]!.head_staff_id;
  const simulate = () => h.call('POST', '/api/ivr/simulate', { token: admin, body: { callerNumber: '+74951000001', at: '2026-12-02T09:00:00.000Z', digits: '1' } });
  const paths = (body: { error: { details: Array<{ path?: string }> } }): Array<string | undefined> => body.error.details.map((d) => d.path);

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
    admin = h.tokens.admin;
  });
  afterAll(async () => {
    await h.close();
  });

  it('the head of two departments is neither deleted nor deactivated alone: 409 REFERENCE_IN_USE with the paths, nothing changed', async () => {
    const head = await staffId('head_wholesale');
    expect((await simulate()).status).toBe(200);

    const refused = await h.call('DELETE', `/api/staff/${head}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('REFERENCE_IN_USE');
    expect(paths(refused.body)).toEqual(['departments[wholesale_sales].headId', 'departments[regional_sales].headId']);
    expect(refused.body.error.message).toMatch(/replaceWith/);

    const deactivate = await h.call('PATCH', `/api/staff/${head}`, { token: admin, body: { active: false } });
    expect(deactivate.status).toBe(409);
    expect(paths(deactivate.body)).toEqual(['departments[wholesale_sales].headId', 'departments[regional_sales].headId']);

    expect((await h.call('GET', `/api/staff/${head}`, { token: admin })).body.active).toBe(true);
    expect(await departmentHead('regional_sales')).toBe(head);
    expect((await simulate()).status).toBe(200);
  });

  it('done together with a replacement: both departments get the new head in the same transaction, the routing config stays valid', async () => {
    const head = await staffId('head_wholesale');
    const pavel = await staffId('pavel');
    const unknown = await h.call('DELETE', `/api/staff/${head}?replaceWith=999999`, { token: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/replaceWith.*999999/);
    const self = await h.call('DELETE', `/api/staff/${head}?replaceWith=${head}`, { token: admin });
    expect(self.status).toBe(400);

    const replaced = await h.call('DELETE', `/api/staff/${head}?replaceWith=${pavel}`, { token: admin });
    expect(replaced.status).toBe(204);
    expect((await h.call('GET', `/api/staff/${head}`, { token: admin })).status).toBe(404);
    expect(await departmentHead('wholesale_sales')).toBe(pavel);
    expect(await departmentHead('regional_sales')).toBe(pavel);
    expect((await simulate()).status).toBe(200);
    const audit = await h.call('GET', `/api/audit?entity=staff%20member&entityId=${head}`, { token: admin });
    expect(audit.body[0]).toMatchObject({ action: 'delete', after: { replacedWith: pavel } });
  });

  it("a key-account manager's clients move to the replacement on deactivation; without one the clients are named", async () => {
    const elena = await staffId('elena');
    const pavel = await staffId('pavel');
    const client = await h.call('POST', '/api/clients', { token: admin, body: { name: 'Key Client Ref', type: 'key', managerId: elena, phones: ['+74957770001'] } });
    expect(client.status).toBe(201);
    await h.call('POST', '/api/clients', { token: admin, body: { name: 'Key Client Ref 2', type: 'key', managerId: elena, phones: ['+74957770002'] } });
    const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM clients WHERE manager_id = $1', [elena]);

    const refused = await h.call('PATCH', `/api/staff/${elena}`, { token: admin, body: { active: false } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toContainEqual({ path: 'clients', message: `${rows[0]!.n} clients have this manager` });

    const replaced = await h.call('PATCH', `/api/staff/${elena}?replaceWith=${pavel}`, { token: admin, body: { active: false } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.active).toBe(false);
    expect((await h.call('GET', `/api/clients/${client.body.id}`, { token: admin })).body.managerId).toBe(pavel);

    const notDeactivating = await h.call('PATCH', `/api/staff/${pavel}?replaceWith=${elena}`, { token: admin, body: { email: 'p@example.com' } });
    expect(notDeactivating.status).toBe(400);
  });

  it('a person the published routing config names is refused even with a replacement: publish a version without them first', async () => {
    const olga = await staffId('olga');
    const anna = await staffId('anna');
    const published = await h.call('GET', '/api/routing-config/published', { token: admin });
    const document = published.body.document;
    document.rules.unshift({ id: 'olga_vip', when: { clientIds: [1] }, target: { kind: 'person', staffId: olga }, reason: 'vip' });
    const draft = await h.call('POST', '/api/routing-config/versions', { token: admin, body: { document, comment: 'olga for a vip' } });
    expect(draft.status).toBe(201);
    expect((await h.call('POST', `/api/routing-config/versions/${draft.body.version}/publish`, { token: admin })).status).toBe(200);

    const refused = await h.call('DELETE', `/api/staff/${olga}?replaceWith=${anna}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual([{ path: 'routing.rules[0].target.staffId', message: `the published routing config rings person ${olga}` }]);
    expect(refused.body.error.message).toMatch(/publish/);
    expect((await h.call('GET', `/api/staff/${olga}`, { token: admin })).status).toBe(200);
  });

  it('a person with call history is deactivated, not deleted: DELETE answers 200 with the record, history keeps its agent', async () => {
    const created = await h.call('POST', '/api/staff', { token: admin, body: { fullName: 'Short Stay', role: 'operator' } });
    const id = created.body.id as number;
    const callId = randomUUID();
    await h.db.query(`INSERT INTO calls (id, caller_number, started_at, agent_id, agent_ids, outcome) VALUES ($1, '+74950000000', now(), $2, ARRAY[$2::int], 'answered')`, [callId, id]);
    await h.db.query(`INSERT INTO wrap_ups (call_id, staff_id, disposition_code) VALUES ($1, $2, 'order_taken')`, [callId, id]);

    const removed = await h.call('DELETE', `/api/staff/${id}`, { token: admin });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id, active: false });
    expect((await h.call('GET', `/api/staff/${id}`, { token: admin })).body.active).toBe(false);
    expect((await h.db.query('SELECT agent_id FROM calls WHERE id = $1', [callId])).rows[0].agent_id).toBe(id);

    const fresh = await h.call('POST', '/api/staff', { token: admin, body: { fullName: 'Never Called', role: 'operator' } });
    expect((await h.call('DELETE', `/api/staff/${fresh.body.id}`, { token: admin })).status).toBe(204);
    expect((await h.call('GET', `/api/staff/${fresh.body.id}`, { token: admin })).status).toBe(404);
  });

  it('queues: the published config and members hold them; members move to a replacement queue', async () => {
    const operators = (await h.db.query<{ id: number }>("SELECT id FROM queues WHERE name = 'operators'")).rows[0]!.id;
    const refused = await h.call('DELETE', `/api/queues/${operators}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(paths(refused.body)).toContain('routing.lastResort.queue');
    expect(paths(refused.body)).toContain('queues[operators].memberIds');
    const deactivate = await h.call('PATCH', `/api/queues/${operators}`, { token: admin, body: { active: false } });
    expect(deactivate.status).toBe(409);

    const anna = await staffId('anna');
    const temp = await h.call('POST', '/api/queues', { token: admin, body: { name: 'temp_queue', label: 'Temp', memberIds: [anna] } });
    const spare = await h.call('POST', '/api/queues', { token: admin, body: { name: 'spare_queue', label: 'Spare' } });
    const alone = await h.call('DELETE', `/api/queues/${temp.body.id}`, { token: admin });
    expect(alone.status).toBe(409);
    expect(alone.body.error.details).toEqual([{ path: 'queues[temp_queue].memberIds', message: '1 person works in this queue' }]);
    expect((await h.call('DELETE', `/api/queues/${temp.body.id}?replaceWith=${spare.body.id}`, { token: admin })).status).toBe(204);
    expect((await h.call('GET', `/api/queues/${spare.body.id}`, { token: admin })).body.memberIds).toEqual([anna]);
  });

  it('departments: the published config, its people and queues hold them', async () => {
    const finance = (await h.db.query<{ id: number }>("SELECT id FROM departments WHERE code = 'finance'")).rows[0]!.id;
    const refused = await h.call('DELETE', `/api/departments/${finance}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(paths(refused.body)).toContain('staff');
    expect(paths(refused.body).some((p) => p?.startsWith('routing.rules['))).toBe(true);

    // One the published config does not name: its people and queue move to the replacement with it.
    const temp = await h.call('POST', '/api/departments', { token: admin, body: { code: 'temp_dept', name: 'Temporary' } });
    const person = await h.call('POST', '/api/staff', { token: admin, body: { fullName: 'Temp Person', role: 'operator', departmentId: temp.body.id } });
    const queue = await h.call('POST', '/api/queues', { token: admin, body: { name: 'temp_dept_queue', label: 'Temp', departmentId: temp.body.id } });
    const alone = await h.call('DELETE', `/api/departments/${temp.body.id}`, { token: admin });
    expect(alone.status).toBe(409);
    expect(alone.body.error.details).toEqual([
      { path: 'staff', message: '1 person belongs to this department' },
      { path: 'queues[temp_dept_queue].departmentId', message: "queue 'temp_dept_queue' belongs to this department" },
    ]);
    expect((await h.call('DELETE', `/api/departments/${temp.body.id}?replaceWith=${finance}`, { token: admin })).status).toBe(204);
    expect((await h.call('GET', `/api/staff/${person.body.id}`, { token: admin })).body.departmentId).toBe(finance);
    expect((await h.call('GET', `/api/queues/${queue.body.id}`, { token: admin })).body.departmentId).toBe(finance);
  });

  it('the other way round: a head, a manager or an overflow target cannot be someone inactive (or nobody)', async () => {
    const gone = await h.call('POST', '/api/staff', { token: admin, body: { fullName: 'Gone Away', role: 'department_head', active: false } });
    const quality = (await h.db.query<{ id: number }>("SELECT id FROM departments WHERE code = 'quality_control'")).rows[0]!.id;
    const head = await h.call('PATCH', `/api/departments/${quality}`, { token: admin, body: { headStaffId: gone.body.id } });
    expect(head.status).toBe(400);
    expect(head.body.error.details).toEqual([{ path: 'body/headStaffId', message: `person ${gone.body.id} (Gone Away) is inactive` }]);
    const manager = await h.call('POST', '/api/clients', { token: admin, body: { name: 'Managed By Nobody', type: 'market', managerId: gone.body.id } });
    expect(manager.status).toBe(400);
    expect(manager.body.error.details).toEqual([{ path: 'body/managerId', message: `person ${gone.body.id} (Gone Away) is inactive` }]);
    const overflow = await h.call('POST', '/api/queues', { token: admin, body: { name: 'overflow_to_gone', label: 'X', overflowTarget: { kind: 'staff', staffId: 999999 } } });
    expect(overflow.status).toBe(400);
    expect(overflow.body.error.details).toEqual([{ path: 'body/overflowTarget/staffId', message: 'no person 999999' }]);
    expect(await departmentHead('quality_control')).not.toBe(gone.body.id);
  });

  it('a head being set while they are deleted: never a department that silently lost its head', async () => {
    const quality = (await h.db.query<{ id: number }>("SELECT id FROM departments WHERE code = 'quality_control'")).rows[0]!.id;
    const headBefore = await departmentHead('quality_control');
    for (let i = 0; i < 5; i++) {
      const person = await h.call('POST', '/api/staff', { token: admin, body: { fullName: `Candidate ${i}`, role: 'department_head' } });
      const [patch, del] = await Promise.all([
        h.call('PATCH', `/api/departments/${quality}`, { token: admin, body: { headStaffId: person.body.id } }),
        h.call('DELETE', `/api/staff/${person.body.id}`, { token: admin }),
      ]);
      const head = await departmentHead('quality_control');
      if (del.status === 204) {
        expect(head).not.toBe(person.body.id);
        expect(head).not.toBeNull();
      } else {
        expect(del.status).toBe(409);
        expect(patch.status).toBe(200);
        expect(head).toBe(person.body.id);
      }
      if (head !== headBefore) await h.call('PATCH', `/api/departments/${quality}`, { token: admin, body: { headStaffId: headBefore } });
    }
  });
});
