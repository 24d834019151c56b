import type { Queryable } from '../pool';

/*
 * Reads and the one write behind the head's "new clients" screen (rule 6,
 * issue 17 point 8). Which head a client belongs to is decided by
 * src/directory/new-client-assignment.ts, not here.
 */

export interface UnassignedClient {
  id: number;
  name: string;
  type: string;
  region: string | null;
  phones: string[];
  createdAt: string;
  calls: number;
}

export interface DepartmentHead {
  id: number;
  code: string;
  name: string;
  headStaffId: number | null;
}

export interface DepartmentMember {
  id: number;
  name: string;
  role: string;
  active: boolean;
  departmentId: number | null;
}

/** Clients without a manager, oldest first (they have waited longest), with how often they have called. */
export async function listUnassignedClients(q: Queryable, limit = 500): Promise<UnassignedClient[]> {
  const { rows } = await q.query<{ id: number; name: string; type: string; region: string | null; phones: string[] | null; created_at: Date; calls: string }>(
    `SELECT c.id, c.name, c.type, c.region, c.created_at,
            (SELECT array_agg(p.e164 ORDER BY p.id) FROM client_phones p WHERE p.client_id = c.id) AS phones,
            (SELECT count(*) FROM calls k WHERE k.client_id = c.id) AS calls
     FROM clients c WHERE c.manager_id IS NULL ORDER BY c.created_at, c.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, type: r.type, region: r.region, phones: r.phones ?? [], createdAt: r.created_at.toISOString(), calls: Number(r.calls) }));
}

/** One client's fields the assignment decides on; null when there is no such client. */
export async function findClientForAssignment(q: Queryable, clientId: number): Promise<{ id: number; name: string; type: string; region: string | null; managerId: number | null } | null> {
  const { rows } = await q.query<{ id: number; name: string; type: string; region: string | null; manager_id: number | null }>(
    'SELECT id, name, type, region, manager_id FROM clients WHERE id = $1', [clientId],
  );
  const r = rows[0];
  return r ? { id: r.id, name: r.name, type: r.type, region: r.region, managerId: r.manager_id } : null;
}

export async function listDepartmentHeads(q: Queryable): Promise<DepartmentHead[]> {
  const { rows } = await q.query<{ id: number; code: string; name: string; head_staff_id: number | null }>('SELECT id, code, name, head_staff_id FROM departments ORDER BY id');
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, headStaffId: r.head_staff_id }));
}

export async function listDepartmentMembers(q: Queryable, departmentIds: readonly number[]): Promise<DepartmentMember[]> {
  const { rows } = await q.query<{ id: number; full_name: string; role: string; active: boolean; department_id: number | null }>(
    'SELECT id, full_name, role, active, department_id FROM staff WHERE department_id = ANY($1::int[]) ORDER BY full_name, id', [departmentIds],
  );
  return rows.map((r) => ({ id: r.id, name: r.full_name, role: r.role, active: r.active, departmentId: r.department_id }));
}

/**
 * Gives a client without a manager their manager. False when the client has
 * one by now (another head was quicker): the screen shows the conflict rather
 * than silently taking the client from them.
 */
export async function assignFirstManager(q: Queryable, clientId: number, managerId: number): Promise<{ assigned: boolean; e164s: string[] }> {
  const { rowCount } = await q.query('UPDATE clients SET manager_id = $2, updated_at = now() WHERE id = $1 AND manager_id IS NULL', [clientId, managerId]);
  const phones = await q.query<{ e164: string }>('SELECT e164 FROM client_phones WHERE client_id = $1', [clientId]);
  return { assigned: (rowCount ?? 0) > 0, e164s: phones.rows.map((r) => r.e164) };
}
