import { ADMINS } from '../../auth/roles';
import type { Queryable } from '../pool';

/**
 * True when an active API account with a role that may edit IVR flows (the
 * same ADMINS set the flow routes check) is linked to this active staff
 * member: the person behind a staff phone may then dial a draft of a flow
 * (issue 7). Staff roles alone (`staff.role`) grant nothing in the API, so
 * they grant nothing here either.
 */
export async function staffMayEditIvr(q: Queryable, staffId: number): Promise<boolean> {
  const { rows } = await q.query<{ allowed: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM users u JOIN staff s ON s.id = u.staff_id
        WHERE u.staff_id = $1 AND u.active AND s.active AND u.role = ANY($2::text[])
     ) AS allowed`,
    [staffId, [...ADMINS]],
  );
  return rows[0]?.allowed === true;
}
