import { encodeCallLogCursor, type CallLogPosition } from '../../reports/call-log-cursor';
import type { Queryable } from '../pool';
import { callLogConditions, sqlParams } from './call-log-repository';

/** The agent an evaluation of the call is about: the first who answered, else the first connected. */
export const EVALUATED_AGENT = 'COALESCE(c.agent_id, c.agent_ids[1])';

/** The call's tags: its disposition code and every wrap-up's code (a complaint is one of them). */
const CALL_TAGS = `ARRAY(SELECT DISTINCT t FROM unnest(array_append(ARRAY(SELECT w.disposition_code FROM wrap_ups w WHERE w.call_id = c.id), c.disposition_code)) AS t WHERE t IS NOT NULL ORDER BY t)`;

export interface QualityCallFilter {
  from?: Date | null;
  to?: Date | null;
  queue?: string | null;
  /** The evaluated agent (not every agent who took part). */
  agentId?: number | null;
  /** A disposition code on the call or on any of its wrap-ups. */
  tag?: string | null;
  minSeconds?: number | null;
  maxSeconds?: number | null;
  /** Only calls with (true) or without (false) an evaluation. */
  evaluated?: boolean | null;
  after?: CallLogPosition | null;
  limit: number;
  /** Instead of a page: this many calls drawn uniformly at random from the filtered set. */
  sample?: number | null;
}

export interface QualityCallItem {
  callId: string;
  startedAt: string;
  queue: string | null;
  agentId: number | null;
  agentName: string | null;
  talkSeconds: number;
  disposition: string | null;
  tags: string[];
  hasRecording: boolean;
  evaluations: number;
}

interface Row {
  id: string; started_at: Date; started_at_key: string; queue_name: string | null; agent_id: number | null; agent_name: string | null;
  talk_ms: number; disposition_code: string | null; tags: string[]; evaluations: number;
}

/**
 * Calls a reviewer can evaluate: answered (talk time above zero) and with a
 * recording that can still be played. The call log's conditions for time,
 * queue and keyset; then the picker's own (tag, talk length, evaluated).
 * A sample is ORDER BY random() over the whole filtered set, so each call is
 * equally likely; pages are newest first like the call log.
 */
export async function listQualityCalls(q: Queryable, filter: QualityCallFilter): Promise<{ items: QualityCallItem[]; nextCursor: string | null }> {
  const { params, param } = sqlParams();
  const sampling = filter.sample != null;
  const where = callLogConditions({ from: filter.from ?? null, to: filter.to ?? null, queue: filter.queue ?? null, after: sampling ? null : (filter.after ?? null) }, param);
  where.push('c.talk_ms > 0', 'r.id IS NOT NULL', 'r.purged_at IS NULL');
  if (filter.agentId != null) where.push(`${EVALUATED_AGENT} = ${param(filter.agentId)}`);
  if (filter.tag) {
    const tag = param(filter.tag);
    where.push(`(c.disposition_code = ${tag} OR EXISTS (SELECT 1 FROM wrap_ups w WHERE w.call_id = c.id AND w.disposition_code = ${tag}))`);
  }
  if (filter.minSeconds != null) where.push(`c.talk_ms >= ${param(filter.minSeconds * 1000)}`);
  if (filter.maxSeconds != null) where.push(`c.talk_ms <= ${param(filter.maxSeconds * 1000)}`);
  if (filter.evaluated != null) where.push(`${filter.evaluated ? '' : 'NOT '}EXISTS (SELECT 1 FROM quality_evaluations e WHERE e.call_id = c.id)`);
  const limit = param(sampling ? filter.sample : filter.limit + 1);
  const { rows } = await q.query<Row>(
    `SELECT c.id, c.started_at, to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_at_key,
            c.queue_name, ${EVALUATED_AGENT} AS agent_id, s.full_name AS agent_name, c.talk_ms, c.disposition_code,
            ${CALL_TAGS} AS tags,
            (SELECT count(*)::int FROM quality_evaluations e WHERE e.call_id = c.id) AS evaluations
     FROM calls c
     JOIN recordings r ON r.id = c.recording_id
     LEFT JOIN staff s ON s.id = ${EVALUATED_AGENT}
     WHERE ${where.join(' AND ')}
     ORDER BY ${sampling ? 'random()' : 'c.started_at DESC, c.id DESC'}
     LIMIT ${limit}`,
    params,
  );
  const page = sampling ? rows : rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      callId: r.id, startedAt: r.started_at.toISOString(), queue: r.queue_name, agentId: r.agent_id, agentName: r.agent_name,
      talkSeconds: Math.round(r.talk_ms / 1000), disposition: r.disposition_code, tags: r.tags, hasRecording: true, evaluations: r.evaluations,
    })),
    nextCursor: !sampling && rows.length > filter.limit && last ? encodeCallLogCursor({ startedAt: last.started_at_key, id: last.id }) : null,
  };
}
