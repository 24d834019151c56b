import type { MonitorMode } from '../../call-monitoring/monitor-mode';
import type {
  MonitoringSessionFilter, MonitoringSessionListing, MonitoringSessionStore, MonitoringUser,
} from '../../call-monitoring/monitoring-ports';
import type { MonitoringEndReason, MonitoringSessionRecord, MonitoringSessionState } from '../../call-monitoring/monitoring-session';
import { inTransaction, type Db } from '../pool';
import { recordAudit, type Actor } from './audit-repository';

interface SessionRow {
  id: string;
  call_id: string;
  agent_staff_id: number | null;
  caller_number: string | null;
  queue: string | null;
  supervisor_user_id: number | null;
  supervisor_username: string;
  supervisor_staff_id: number | null;
  state: MonitoringSessionState;
  mode: MonitorMode;
  mode_history: Array<{ mode: MonitorMode; at: string }>;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  end_reason: MonitoringEndReason | null;
  end_detail: string | null;
  duration_ms: number | null;
  agent_name: string | null;
}

const SELECT = `SELECT m.*, s.full_name AS agent_name FROM monitoring_sessions m LEFT JOIN staff s ON s.id = m.agent_staff_id`;

function toListing(r: SessionRow): MonitoringSessionListing {
  return {
    id: r.id, callId: r.call_id, agentStaffId: r.agent_staff_id, callerNumber: r.caller_number, queue: r.queue,
    // A deleted account keeps its name on the row; its id is gone (0 never names a user).
    supervisorUserId: r.supervisor_user_id ?? 0, supervisorStaffId: r.supervisor_staff_id, supervisorName: r.supervisor_username,
    agentName: r.agent_name, state: r.state, mode: r.mode,
    modeHistory: r.mode_history.map((c) => ({ mode: c.mode, at: Date.parse(c.at) })),
    startedAt: r.started_at.getTime(), answeredAt: r.answered_at?.getTime() ?? null, endedAt: r.ended_at?.getTime() ?? null,
    endReason: r.end_reason, endDetail: r.end_detail, durationMs: r.duration_ms,
  };
}

function historyJson(record: MonitoringSessionRecord): string {
  return JSON.stringify(record.modeHistory.map((c) => ({ mode: c.mode, at: new Date(c.at).toISOString() })));
}

const iso = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** What the audit_log line says about a step: enough to read the session's story from the log alone. */
function auditAfter(record: MonitoringSessionRecord): Record<string, unknown> {
  return {
    callId: record.callId, agentStaffId: record.agentStaffId, queue: record.queue, state: record.state, mode: record.mode,
    endReason: record.endReason, durationMs: record.durationMs,
  };
}

function actorOf(user: MonitoringUser | null): Actor {
  return user ? { userId: user.userId, username: user.username } : { userId: null, username: 'system' };
}

/** Why a session was closed after the fact (closeSessionsOfEndedCalls). */
const ORPHAN_DETAIL = 'closed after its call ended: no process carried it to the end (the one that did stopped)';

/** The audit of monitoring sessions in Postgres (monitoring_sessions + audit_log, one transaction per step). */
export function monitoringSessionsRepository(db: Db): MonitoringSessionStore {
  return {
    async create(record, by) {
      await inTransaction(db, async (client) => {
        await client.query(
          `INSERT INTO monitoring_sessions (id, call_id, agent_staff_id, caller_number, queue, supervisor_user_id, supervisor_username,
             supervisor_staff_id, state, mode, mode_history, started_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [record.id, record.callId, record.agentStaffId, record.callerNumber, record.queue, record.supervisorUserId, by.username,
            record.supervisorStaffId, record.state, record.mode, historyJson(record), new Date(record.startedAt)],
        );
        await recordAudit(client, actorOf(by), { action: 'create', entity: 'monitoring session', entityId: record.id, after: auditAfter(record) });
      });
    },

    async save(record, step, by) {
      await inTransaction(db, async (client) => {
        await client.query(
          `UPDATE monitoring_sessions SET state = $2, mode = $3, mode_history = $4, answered_at = $5, ended_at = $6, end_reason = $7,
             end_detail = $8, duration_ms = $9 WHERE id = $1`,
          [record.id, record.state, record.mode, historyJson(record), iso(record.answeredAt), iso(record.endedAt), record.endReason,
            record.endDetail === null ? null : record.endDetail.slice(0, 1000), record.durationMs],
        );
        await recordAudit(client, actorOf(by), { action: 'update', entity: 'monitoring session', entityId: record.id, after: { step, ...auditAfter(record) } });
      });
    },

    async find(id) {
      const { rows } = await db.query<SessionRow>(`${SELECT} WHERE m.id = $1`, [id]);
      return rows[0] ? toListing(rows[0]) : null;
    },

    async list(filter: MonitoringSessionFilter) {
      const { rows } = await db.query<SessionRow>(
        `${SELECT}
         WHERE ($1::boolean IS NULL OR (m.state <> 'ended') = $1)
           AND ($2::timestamptz IS NULL OR m.started_at >= $2) AND ($3::timestamptz IS NULL OR m.started_at < $3)
           AND ($4::int IS NULL OR m.supervisor_user_id = $4) AND ($5::int IS NULL OR m.agent_staff_id = $5)
         ORDER BY m.started_at DESC, m.id LIMIT $6`,
        [filter.active ?? null, filter.from === undefined ? null : new Date(filter.from), filter.to === undefined ? null : new Date(filter.to),
          filter.supervisorUserId ?? null, filter.agentStaffId ?? null, filter.limit],
      );
      return rows.map(toListing);
    },

    async closeSessionsOfEndedCalls(graceMs) {
      return inTransaction(db, async (client) => {
        const { rows } = await client.query<SessionRow>(
          `UPDATE monitoring_sessions m SET state = 'ended', ended_at = greatest(c.ended_at, m.started_at), end_reason = 'call_ended',
             end_detail = $2,
             duration_ms = CASE WHEN m.answered_at IS NULL THEN 0
               ELSE greatest(0, round(extract(epoch FROM (greatest(c.ended_at, m.answered_at) - m.answered_at)) * 1000))::int END
           FROM calls c
           WHERE c.id = m.call_id AND m.state <> 'ended' AND c.ended_at IS NOT NULL AND c.ended_at < now() - make_interval(secs => $1::double precision / 1000)
           RETURNING m.*, NULL::text AS agent_name`,
          [graceMs, ORPHAN_DETAIL],
        );
        for (const row of rows) {
          const record = toListing(row);
          await recordAudit(client, actorOf(null), { action: 'update', entity: 'monitoring session', entityId: record.id, after: { step: 'ended', ...auditAfter(record) } });
        }
        return rows.length;
      });
    },

    async activeMonitorUserIds(callId) {
      const { rows } = await db.query<{ supervisor_user_id: number }>(
        "SELECT DISTINCT supervisor_user_id FROM monitoring_sessions WHERE call_id = $1 AND state <> 'ended' AND supervisor_user_id IS NOT NULL",
        [callId],
      );
      return rows.map((r) => r.supervisor_user_id);
    },
  };
}
