import type { Queryable } from '../pool';

export type AuditAction = 'create' | 'update' | 'delete' | 'import' | 'publish' | 'rollback';

export interface Actor {
  userId: number | null;
  username: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string;
  action: AuditAction;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** Written in the same transaction as the change it describes, so neither exists without the other. */
export async function recordAudit(
  q: Queryable,
  actor: Actor,
  change: { action: AuditAction; entity: string; entityId: string | number | null; before?: unknown; after?: unknown },
): Promise<void> {
  await q.query(
    'INSERT INTO audit_log (user_id, username, action, entity, entity_id, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      actor.userId,
      actor.username,
      change.action,
      change.entity,
      change.entityId === null ? null : String(change.entityId),
      change.before === undefined ? null : JSON.stringify(change.before),
      change.after === undefined ? null : JSON.stringify(change.after),
    ],
  );
}

export async function listAudit(q: Queryable, filter: { entity?: string; entityId?: string; limit: number; before?: number }): Promise<AuditEntry[]> {
  const { rows } = await q.query<{
    id: number; at: Date; user_id: number | null; username: string; action: AuditAction; entity: string; entity_id: string | null; before: unknown; after: unknown;
  }>(
    `SELECT * FROM audit_log
     WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2) AND ($3::bigint IS NULL OR id < $3)
     ORDER BY id DESC LIMIT $4`,
    [filter.entity ?? null, filter.entityId ?? null, filter.before ?? null, filter.limit],
  );
  return rows.map((r) => ({
    id: r.id, at: r.at.toISOString(), userId: r.user_id, username: r.username, action: r.action,
    entity: r.entity, entityId: r.entity_id, before: r.before, after: r.after,
  }));
}
