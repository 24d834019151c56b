import { Value } from '@sinclair/typebox/value';
import {
  findReferences,
  replaceInTarget,
  type DirectoryRecordRef,
  type DirectoryReference,
  type ReferenceWorld,
  type Replacement,
  type StoredOverflowTarget,
} from '../../directory/directory-references';
import { AppError } from '../../errors/app-error';
import { TargetSpecSchema, type TargetSpec } from '../../routing/target-spec';
import type { RoutingConfig } from '../../routing/routing-config-schema';
import type { Queryable } from '../pool';

/**
 * Serialises what adds a reference into the directory with what removes the
 * record it names (issue 15): every directory write and every routing
 * validation (save, publish, rollback) holds this advisory lock shared for its
 * transaction; a delete or deactivation holds it exclusively, so the
 * references it checks cannot change until it commits. Take it first in the
 * transaction (a shared holder asking for it exclusively would deadlock).
 */
const DIRECTORY_REFERENCES_LOCK = 4242015;

export async function lockDirectoryReferences(q: Queryable, mode: 'shared' | 'exclusive'): Promise<void> {
  await q.query(mode === 'shared' ? 'SELECT pg_advisory_xact_lock_shared($1)' : 'SELECT pg_advisory_xact_lock($1)', [DIRECTORY_REFERENCES_LOCK]);
}

export type ReferencedKind = DirectoryRecordRef['kind'];

const ENTITY: Record<ReferencedKind, string> = { staff: 'staff member', queue: 'queue', department: 'department' };

/** The published routing config and the directory rows that can name a person, queue or department. */
export async function loadReferenceWorld(q: Queryable): Promise<ReferenceWorld> {
  const departments = await q.query<{ id: number; code: string; head_staff_id: number | null }>('SELECT id, code, head_staff_id FROM departments ORDER BY id');
  const queues = await q.query<{ id: number; name: string; department_id: number | null; overflow_target: StoredOverflowTarget | null; member_ids: number[] }>(
    `SELECT q.id, q.name, q.department_id, q.overflow_target,
            coalesce(array_agg(m.staff_id ORDER BY m.staff_id) FILTER (WHERE m.staff_id IS NOT NULL), '{}') AS member_ids
     FROM queues q LEFT JOIN queue_members m ON m.queue_id = q.id GROUP BY q.id ORDER BY q.id`,
  );
  const staff = await q.query<{ id: number; department_id: number | null }>('SELECT id, department_id FROM staff ORDER BY id');
  const managers = await q.query<{ manager_id: number; n: number }>('SELECT manager_id, count(*)::int AS n FROM clients WHERE manager_id IS NOT NULL GROUP BY manager_id');
  const overrides = await q.query<{ id: number; routing_override: unknown }>('SELECT id, routing_override FROM clients WHERE routing_override IS NOT NULL ORDER BY id');
  const routing = await q.query<{ document: RoutingConfig }>("SELECT document FROM routing_config_versions WHERE status = 'published'");
  return {
    departments: departments.rows.map((d) => ({ id: d.id, code: d.code, headStaffId: d.head_staff_id })),
    queues: queues.rows.map((r) => ({ id: r.id, name: r.name, departmentId: r.department_id, overflowTarget: r.overflow_target, memberIds: r.member_ids })),
    staff: staff.rows.map((s) => ({ id: s.id, departmentId: s.department_id })),
    clientsByManager: new Map(managers.rows.map((r) => [r.manager_id, r.n])),
    // Overrides were checked on write; one that no longer reads as a target names nothing here.
    clientOverrides: overrides.rows
      .filter((r) => Value.Check(TargetSpecSchema, r.routing_override))
      .map((r) => ({ clientId: r.id, target: r.routing_override as TargetSpec })),
    routing: routing.rows[0]?.document ?? null,
  };
}

/** The record as the reference check names it, locked for the rest of the transaction; 404 when absent. */
async function lockRecord(q: Queryable, kind: ReferencedKind, id: number): Promise<{ ref: DirectoryRecordRef; active: boolean }> {
  const sql = {
    staff: 'SELECT id, NULL AS key, active FROM staff WHERE id = $1 FOR UPDATE',
    queue: 'SELECT id, name AS key, active FROM queues WHERE id = $1 FOR UPDATE',
    department: 'SELECT id, code AS key, true AS active FROM departments WHERE id = $1 FOR UPDATE',
  }[kind];
  const row = (await q.query<{ id: number; key: string | null; active: boolean }>(sql, [id])).rows[0];
  if (!row) throw new AppError('NOT_FOUND', `${ENTITY[kind]} ${id} does not exist`);
  const ref: DirectoryRecordRef = kind === 'staff' ? { kind, id } : kind === 'queue' ? { kind, id, name: row.key ?? '' } : { kind, id, code: row.key ?? '' };
  return { ref, active: row.active };
}

async function loadReplacement(q: Queryable, record: DirectoryRecordRef, replaceWith: number): Promise<Replacement> {
  const bad = (why: string): AppError =>
    new AppError('VALIDATION_FAILED', `replaceWith=${replaceWith}: ${why}`, [{ path: 'querystring/replaceWith', message: why }]);
  if (replaceWith === record.id) throw bad(`the ${ENTITY[record.kind]} cannot replace itself`);
  const { ref, active } = await lockRecord(q, record.kind, replaceWith).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'NOT_FOUND' ? bad(`no ${ENTITY[record.kind]} ${replaceWith}`) : err;
  });
  if (!active) throw bad(`${ENTITY[record.kind]} ${replaceWith} is inactive`);
  return ref;
}

/** Hands every directory reference to `record` (and a person's or queue's memberships) over to `by`. */
async function reassign(q: Queryable, record: DirectoryRecordRef, by: Replacement, world: ReferenceWorld): Promise<void> {
  for (const { clientId, target } of world.clientOverrides) {
    const replaced = replaceInTarget(target, record, by);
    if (JSON.stringify(replaced) !== JSON.stringify(target)) {
      await q.query('UPDATE clients SET routing_override = $2, updated_at = now() WHERE id = $1', [clientId, JSON.stringify(replaced)]);
    }
  }
  if (record.kind === 'staff' && by.kind === 'staff') {
    await q.query('UPDATE departments SET head_staff_id = $2, updated_at = now() WHERE head_staff_id = $1', [record.id, by.id]);
    await q.query('UPDATE clients SET manager_id = $2, updated_at = now() WHERE manager_id = $1', [record.id, by.id]);
    await q.query(
      `UPDATE queues SET overflow_target = jsonb_build_object('kind', 'staff', 'staffId', $2::int), updated_at = now()
       WHERE overflow_target->>'kind' = 'staff' AND (overflow_target->>'staffId')::int = $1`,
      [record.id, by.id],
    );
    await q.query('INSERT INTO queue_members (queue_id, staff_id) SELECT queue_id, $2 FROM queue_members WHERE staff_id = $1 ON CONFLICT DO NOTHING', [record.id, by.id]);
  } else if (record.kind === 'queue' && by.kind === 'queue') {
    await q.query(
      `UPDATE queues SET overflow_target = jsonb_build_object('kind', 'queue', 'queue', $2::text), updated_at = now()
       WHERE overflow_target->>'kind' = 'queue' AND overflow_target->>'queue' = $1 AND id <> $3`,
      [record.name, by.name, by.id],
    );
    await q.query('INSERT INTO queue_members (queue_id, staff_id) SELECT $2, staff_id FROM queue_members WHERE queue_id = $1 ON CONFLICT DO NOTHING', [record.id, by.id]);
    await q.query('DELETE FROM queue_members WHERE queue_id = $1', [record.id]);
  } else if (record.kind === 'department' && by.kind === 'department') {
    await q.query('UPDATE staff SET department_id = $2, updated_at = now() WHERE department_id = $1', [record.id, by.id]);
    await q.query('UPDATE queues SET department_id = $2, updated_at = now() WHERE department_id = $1', [record.id, by.id]);
  }
}

/** Calls, wrap-ups or callback results name this person (or calls this queue): its history must stay readable. */
async function hasHistory(q: Queryable, record: DirectoryRecordRef): Promise<boolean> {
  if (record.kind === 'department') return false;
  const sql = {
    staff: `SELECT EXISTS (SELECT 1 FROM calls WHERE agent_id = $1 OR $1 = ANY(agent_ids))
              OR EXISTS (SELECT 1 FROM wrap_ups WHERE staff_id = $1)
              OR EXISTS (SELECT 1 FROM callback_results WHERE staff_id = $1) AS found`,
    queue: 'SELECT EXISTS (SELECT 1 FROM calls WHERE queue_id = $1) AS found',
  }[record.kind];
  return (await q.query<{ found: boolean }>(sql, [record.id])).rows[0]?.found ?? false;
}

function refused(record: DirectoryRecordRef, refs: readonly DirectoryReference[], replacing: boolean): AppError {
  const what = `${ENTITY[record.kind]} ${record.id}`;
  const published = refs.filter((r) => r.holder === 'published_config');
  const message = replacing || published.length === refs.length
    ? `${what} is named by the published routing config (${published.length} place(s)): publish a version that no longer names it, then try again`
    : `${what} is still relied on (${refs.length} reference(s)): name a replacement (replaceWith=<id>) to hand them over${published.length > 0 ? ', after publishing a routing config that no longer names it' : ''}, or change them first`;
  return new AppError('REFERENCE_IN_USE', message, refs.map((r) => ({ path: r.path, message: r.message })));
}

export interface RemovalPlan {
  /** What to do with the record: a delete of a record with history becomes a deactivation. */
  action: 'delete' | 'deactivate';
  /** The replacement references were handed to, if any. */
  replacedWith: number | null;
  /** The paths handed over. */
  reassigned: string[];
}

/**
 * Checks and prepares a delete or deactivation inside its transaction (the
 * caller holds {@link lockDirectoryReferences} exclusively). The rule: a
 * reference held by the published routing config always refuses (the
 * directory never rewrites a published version: the admin publishes one
 * without it first); references held by the directory refuse unless a
 * replacement is named, in which case they are handed over here. A person or
 * queue with call history is deactivated instead of deleted.
 */
export async function prepareRemoval(
  q: Queryable,
  kind: ReferencedKind,
  id: number,
  intent: 'delete' | 'deactivate',
  replaceWith: number | null,
): Promise<RemovalPlan> {
  const { ref: record, active } = await lockRecord(q, kind, id);
  const world = await loadReferenceWorld(q);
  // A record already inactive has nothing left to lose; deleting it still checks (it may be a head, say, set by SQL).
  const refs = intent === 'deactivate' && !active ? [] : findReferences(record, world);
  const by = replaceWith === null ? null : await loadReplacement(q, record, replaceWith);
  if (!by) {
    if (refs.length > 0) throw refused(record, refs, false);
  } else {
    const published = refs.filter((r) => r.holder === 'published_config');
    if (published.length > 0) throw refused(record, published, true);
    await reassign(q, record, by, world);
    const left = findReferences(record, await loadReferenceWorld(q));
    if (left.length > 0) throw refused(record, left, false);
  }
  const action = intent === 'delete' && (await hasHistory(q, record)) ? 'deactivate' : intent;
  return { action, replacedWith: by?.id ?? null, reassigned: refs.map((r) => r.path) };
}

/** Where a write names a person: the request field (`body/headStaffId`) and the id. */
export interface PersonReference {
  path: string;
  staffId: number;
}

/**
 * The mirror of {@link prepareRemoval}: a department head, a client's manager
 * or a queue's overflow person being written must be someone active (the
 * caller holds {@link lockDirectoryReferences} shared, so no deactivation
 * slips in between). Refuses 400 naming each field.
 */
export async function assertActivePeople(q: Queryable, refs: readonly PersonReference[]): Promise<void> {
  if (refs.length === 0) return;
  const { rows } = await q.query<{ id: number; full_name: string; active: boolean }>('SELECT id, full_name, active FROM staff WHERE id = ANY($1)', [refs.map((r) => r.staffId)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const details = refs.flatMap(({ path, staffId }) => {
    const person = byId.get(staffId);
    if (!person) return [{ path, message: `no person ${staffId}` }];
    return person.active ? [] : [{ path, message: `person ${staffId} (${person.full_name}) is inactive` }];
  });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
}
