import type { StaffRecord } from '../../directory/directory-records';
import { sipHa1 } from '../../auth/sip-digest';
import { AppError } from '../../errors/app-error';
import type { Queryable } from '../pool';
import { ResourceRepository, type Row } from '../resource-repository';

type StoredStaff = StaffRecord & { sipHa1?: string | null };

async function loadQueueIds(q: Queryable, records: StoredStaff[]): Promise<void> {
  const { rows } = await q.query<{ staff_id: number; queue_ids: number[] }>(
    'SELECT staff_id, array_agg(queue_id ORDER BY queue_id) AS queue_ids FROM queue_members WHERE staff_id = ANY($1) GROUP BY staff_id',
    [records.map((r) => r.id)],
  );
  const byStaff = new Map(rows.map((r) => [r.staff_id, r.queue_ids]));
  for (const record of records) {
    record.queueIds = byStaff.get(record.id) ?? [];
    record.hasSipCredentials = Boolean(record.sipHa1);
  }
}

async function writeQueueIds(q: Queryable, staffId: number, input: Row): Promise<void> {
  const queueIds = input.queueIds as number[] | undefined;
  if (queueIds === undefined) return;
  await q.query('DELETE FROM queue_members WHERE staff_id = $1', [staffId]);
  if (queueIds.length > 0) {
    await q.query('INSERT INTO queue_members (queue_id, staff_id) SELECT unnest($1::int[]), $2', [queueIds, staffId]);
  }
}

/**
 * Staff members. A SIP password is turned into its HA1 digest here and never
 * stored or returned; the digest binds username and realm, so renaming the SIP
 * user requires a new password.
 */
export function createStaffRepository(sipRealm: string): ResourceRepository<StoredStaff> {
  return new ResourceRepository<StoredStaff>({
    entity: 'staff member',
    table: 'staff',
    orderBy: 'full_name, id',
    hidden: ['sipHa1', 'sipRealm'],
    fields: {
      id: { column: 'id', readOnly: true },
      fullName: { column: 'full_name' },
      role: { column: 'role' },
      departmentId: { column: 'department_id' },
      skills: { column: 'skills', json: true },
      languages: { column: 'languages' },
      sipUsername: { column: 'sip_username' },
      sipHa1: { column: 'sip_ha1' },
      sipRealm: { column: 'sip_realm' },
      email: { column: 'email' },
      active: { column: 'active' },
      canDialOut: { column: 'can_dial_out' },
      createdAt: { column: 'created_at', readOnly: true },
      updatedAt: { column: 'updated_at', readOnly: true },
    },
    filter: (query, param) => {
      const clauses: string[] = [];
      if (typeof query.role === 'string') clauses.push(`role = ${param(query.role)}`);
      if (typeof query.departmentId === 'number') clauses.push(`department_id = ${param(query.departmentId)}`);
      if (typeof query.active === 'boolean') clauses.push(`active = ${param(query.active)}`);
      return clauses;
    },
    prepare: (input, existing) => {
      const { sipPassword, ...rest } = input as Row & { sipPassword?: string };
      const username = (rest.sipUsername as string | null | undefined) ?? (rest.sipUsername === null ? null : existing?.sipUsername ?? null);
      const renamed = existing !== null && rest.sipUsername !== undefined && rest.sipUsername !== existing.sipUsername;
      if (sipPassword !== undefined) {
        if (!username) {
          throw new AppError('VALIDATION_FAILED', 'sipPassword needs a sipUsername', [{ path: '/sipPassword', message: 'set sipUsername together with sipPassword' }]);
        }
        return { ...rest, sipHa1: sipHa1(username, sipRealm, sipPassword), sipRealm };
      }
      if (username === null) return { ...rest, sipHa1: null, sipRealm: null };
      if (renamed && existing?.sipHa1) {
        throw new AppError('VALIDATION_FAILED', 'changing sipUsername needs a new sipPassword', [
          { path: '/sipUsername', message: 'the stored digest is bound to the old username: send sipPassword as well' },
        ]);
      }
      return rest;
    },
    loadExtras: loadQueueIds,
    writeExtras: writeQueueIds,
  });
}
