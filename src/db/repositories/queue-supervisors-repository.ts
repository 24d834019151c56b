import type { QueueSupervision } from '../../call-monitoring/monitoring-ports';
import { AppError } from '../../errors/app-error';
import { inTransaction, type Db } from '../pool';
import { recordAudit, type Actor } from './audit-repository';

export interface QueueSupervisorsEntry {
  queueId: number;
  queue: string;
  label: string;
  supervisors: Array<{ userId: number; username: string; role: string }>;
}

/** Who supervises which queue (issue 18): monitoring rights follow it. */
export function queueSupervisionOf(db: Db): QueueSupervision {
  return {
    async queuesSupervisedBy(userId) {
      const { rows } = await db.query<{ name: string }>(
        'SELECT q.name FROM queue_supervisors qs JOIN queues q ON q.id = qs.queue_id WHERE qs.user_id = $1 ORDER BY q.name',
        [userId],
      );
      return rows.map((r) => r.name);
    },
  };
}

/** Every queue with its supervisors (none assigned: an empty list). */
export async function listQueueSupervisors(db: Db): Promise<QueueSupervisorsEntry[]> {
  const { rows } = await db.query<{ id: number; name: string; label: string; supervisors: QueueSupervisorsEntry['supervisors'] }>(
    `SELECT q.id, q.name, q.label,
       COALESCE(json_agg(json_build_object('userId', u.id, 'username', u.username, 'role', u.role) ORDER BY u.username)
         FILTER (WHERE u.id IS NOT NULL), '[]') AS supervisors
     FROM queues q LEFT JOIN queue_supervisors qs ON qs.queue_id = q.id LEFT JOIN users u ON u.id = qs.user_id
     GROUP BY q.id ORDER BY q.name`,
  );
  return rows.map((r) => ({ queueId: r.id, queue: r.name, label: r.label, supervisors: r.supervisors }));
}

/**
 * Replaces a queue's supervisors. Only supervisor accounts may be assigned: an admin monitors every
 * call anyway, quality staff any call, operators none.
 */
export async function setQueueSupervisors(db: Db, actor: Actor, queueId: number, userIds: number[]): Promise<QueueSupervisorsEntry> {
  const unique = [...new Set(userIds)];
  await inTransaction(db, async (client) => {
    const queue = await client.query<{ id: number }>('SELECT id FROM queues WHERE id = $1 FOR UPDATE', [queueId]);
    if (queue.rowCount === 0) throw new AppError('NOT_FOUND', `no queue ${queueId}`);
    const { rows: users } = await client.query<{ id: number; role: string }>('SELECT id, role FROM users WHERE id = ANY($1::int[])', [unique]);
    const problems = unique.flatMap((id, i) => {
      const user = users.find((u) => u.id === id);
      if (!user) return [{ path: `/userIds/${i}`, message: `no user ${id}` }];
      return user.role === 'supervisor' ? [] : [{ path: `/userIds/${i}`, message: `user ${id} is ${user.role === 'admin' ? 'an' : 'a'} ${user.role}, not a supervisor` }];
    });
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'only supervisors can be assigned to a queue', problems);
    const { rows: before } = await client.query<{ user_id: number }>('SELECT user_id FROM queue_supervisors WHERE queue_id = $1 ORDER BY user_id', [queueId]);
    await client.query('DELETE FROM queue_supervisors WHERE queue_id = $1', [queueId]);
    if (unique.length > 0) await client.query('INSERT INTO queue_supervisors (queue_id, user_id) SELECT $1, unnest($2::int[])', [queueId, unique]);
    await recordAudit(client, actor, {
      action: 'update', entity: 'queue supervisors', entityId: queueId,
      before: { userIds: before.map((r) => r.user_id) }, after: { userIds: [...unique].sort((a, b) => a - b) },
    });
  });
  const entry = (await listQueueSupervisors(db)).find((e) => e.queueId === queueId);
  if (!entry) throw new AppError('NOT_FOUND', `no queue ${queueId}`);
  return entry;
}
