import type { DirectorySnapshot } from '../../routing/directory-snapshot';
import type { Queryable } from '../pool';

/**
 * What routing and its validator need to know about the directory. A
 * department's own queue is the queue named like the department's code
 * (finance → queue `finance`), so a department target rings that queue first.
 */
export async function loadDirectorySnapshot(q: Queryable): Promise<DirectorySnapshot> {
  const queues = await q.query<{ name: string; priority_by_client_type: Record<string, number>; required_skills: Record<string, number> }>(
    'SELECT name, priority_by_client_type, required_skills FROM queues WHERE active ORDER BY name',
  );
  const departments = await q.query<{ code: string; name: string; head_staff_id: number | null }>('SELECT code, name, head_staff_id FROM departments ORDER BY code');
  const staff = await q.query<{ id: number; full_name: string; role: string; department_code: string | null; active: boolean }>(
    'SELECT s.id, s.full_name, s.role, d.code AS department_code, s.active FROM staff s LEFT JOIN departments d ON d.id = s.department_id ORDER BY s.id',
  );
  const clientTypes = await q.query<{ code: string }>('SELECT code FROM client_types ORDER BY code');
  const queueNames = queues.rows.map((r) => r.name);
  return {
    queues: queueNames,
    departments: departments.rows.map((d) => ({ code: d.code, name: d.name, headStaffId: d.head_staff_id, queue: queueNames.includes(d.code) ? d.code : null })),
    staff: staff.rows.map((s) => ({ id: s.id, name: s.full_name, role: s.role, departmentCode: s.department_code, keyAccountManager: s.role === 'key_account_manager', active: s.active })),
    clientTypes: clientTypes.rows.map((r) => r.code),
    queueSettings: Object.fromEntries(queues.rows.map((r) => [r.name, { priorityByClientType: r.priority_by_client_type, requiredSkills: r.required_skills }])),
  };
}
