import type { Queryable } from '../pool';

/** What the wallboard needs to know about a queue beyond its live figures. */
export interface FloorQueueSettings {
  name: string;
  label: string;
  slPercent: number;
  slSeconds: number;
  /** Null: the wallboard's default. */
  longWaitAlertSeconds: number | null;
}

/** Active queues with their service-level targets, in name order. */
export async function listFloorQueues(q: Queryable): Promise<FloorQueueSettings[]> {
  const { rows } = await q.query<{ name: string; label: string; service_level_percent: number; service_level_seconds: number; long_wait_alert_seconds: number | null }>(
    'SELECT name, label, service_level_percent, service_level_seconds, long_wait_alert_seconds FROM queues WHERE active ORDER BY name',
  );
  return rows.map((r) => ({
    name: r.name, label: r.label, slPercent: Number(r.service_level_percent), slSeconds: r.service_level_seconds, longWaitAlertSeconds: r.long_wait_alert_seconds,
  }));
}

/** Name and type of each client id given (unknown ids are simply absent). */
export async function findClientLabels(q: Queryable, ids: readonly number[]): Promise<Array<{ id: number; name: string; type: string }>> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<{ id: number; name: string; type: string }>('SELECT id, name, type FROM clients WHERE id = ANY($1)', [ids]);
  return rows;
}

/** Ids of active staff members (agents of removed or deactivated staff stay in the ACD but leave the wallboard). */
export async function listActiveStaffIds(q: Queryable): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>('SELECT id FROM staff WHERE active');
  return rows.map((r) => r.id);
}
