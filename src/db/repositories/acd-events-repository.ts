import type { AcdEventRecord, AcdEventStore } from '../../acd/acd-event-store';
import type { Queryable } from '../pool';

/**
 * Inserts a batch in one statement; rows whose stream id is already stored are
 * skipped (a batch re-sent after a crash between insert and acknowledgement).
 * Returns how many rows were new.
 */
export async function insertAcdEvents(q: Queryable, records: readonly AcdEventRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  // unnest over parallel arrays: one statement and one round trip per batch, whatever its size.
  const result = await q.query(
    `INSERT INTO acd_events (stream_id, at, type, call_id, agent_id, queue, data)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::text[], $7::jsonb[])
     ON CONFLICT (stream_id) DO NOTHING`,
    [
      records.map((r) => r.streamId),
      records.map((r) => r.at.toISOString()),
      records.map((r) => r.type),
      records.map((r) => r.callId),
      records.map((r) => r.agentId),
      records.map((r) => r.queue),
      records.map((r) => JSON.stringify(r.data)),
    ],
  );
  return result.rowCount ?? 0;
}

/** The ACD event writer's store (src/acd/acd-event-store.ts) in acd_events. */
export function acdEventStore(q: Queryable): AcdEventStore {
  return { insertEvents: (records) => insertAcdEvents(q, records) };
}

/** Stored events in time order, optionally of one call, agent or queue (reports, tests). */
export async function listAcdEvents(
  q: Queryable,
  filter: { callId?: string; agentId?: number; queue?: string; limit: number },
): Promise<AcdEventRecord[]> {
  const { rows } = await q.query<{
    stream_id: string; at: Date; type: string; call_id: string | null; agent_id: number | null; queue: string | null; data: unknown;
  }>(
    `SELECT stream_id, at, type, call_id, agent_id, queue, data FROM acd_events
     WHERE ($1::text IS NULL OR call_id = $1) AND ($2::int IS NULL OR agent_id = $2) AND ($3::text IS NULL OR queue = $3)
     ORDER BY at, id LIMIT $4`,
    [filter.callId ?? null, filter.agentId ?? null, filter.queue ?? null, filter.limit],
  );
  return rows.map((r) => ({
    streamId: r.stream_id, at: r.at, type: r.type, callId: r.call_id, agentId: r.agent_id, queue: r.queue, data: r.data,
  }));
}
