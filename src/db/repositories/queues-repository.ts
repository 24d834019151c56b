import type { QueueRecord } from '../../directory/directory-records';
import type { Queryable } from '../pool';
import { ResourceRepository, type Row } from '../resource-repository';

async function loadMembers(q: Queryable, records: QueueRecord[]): Promise<void> {
  const { rows } = await q.query<{ queue_id: number; staff_ids: number[] }>(
    'SELECT queue_id, array_agg(staff_id ORDER BY staff_id) AS staff_ids FROM queue_members WHERE queue_id = ANY($1) GROUP BY queue_id',
    [records.map((r) => r.id)],
  );
  const byQueue = new Map(rows.map((r) => [r.queue_id, r.staff_ids]));
  for (const record of records) record.memberIds = byQueue.get(record.id) ?? [];
}

async function writeMembers(q: Queryable, queueId: number, input: Row): Promise<void> {
  const memberIds = input.memberIds as number[] | undefined;
  if (memberIds === undefined) return;
  await q.query('DELETE FROM queue_members WHERE queue_id = $1', [queueId]);
  if (memberIds.length > 0) {
    await q.query('INSERT INTO queue_members (queue_id, staff_id) SELECT $1, unnest($2::int[])', [queueId, memberIds]);
  }
}

export const queuesRepository = new ResourceRepository<QueueRecord>({
  entity: 'queue',
  table: 'queues',
  orderBy: 'name',
  fields: {
    id: { column: 'id', readOnly: true },
    name: { column: 'name' },
    label: { column: 'label' },
    departmentId: { column: 'department_id' },
    requiredSkills: { column: 'required_skills', json: true },
    strategy: { column: 'strategy' },
    priorityByClientType: { column: 'priority_by_client_type', json: true },
    ringTimeoutSeconds: { column: 'ring_timeout_seconds' },
    maxWaitSeconds: { column: 'max_wait_seconds' },
    wrapUpSeconds: { column: 'wrap_up_seconds' },
    serviceLevelSeconds: { column: 'service_level_seconds' },
    serviceLevelTargetPercent: { column: 'service_level_percent', numeric: true },
    longWaitAlertSeconds: { column: 'long_wait_alert_seconds' },
    announceEverySeconds: { column: 'announce_every_seconds' },
    musicOnHold: { column: 'music_on_hold' },
    callbackKey: { column: 'callback_key' },
    messageKey: { column: 'message_key' },
    overflowTarget: { column: 'overflow_target', json: true },
    emptyQueuePolicy: { column: 'empty_queue_policy' },
    active: { column: 'active' },
    createdAt: { column: 'created_at', readOnly: true },
    updatedAt: { column: 'updated_at', readOnly: true },
  },
  loadExtras: loadMembers,
  writeExtras: writeMembers,
});
