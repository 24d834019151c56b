import type { CheckedEvaluation, TimedCommentInput } from '../../quality/evaluation-input';
import type { ReportedEvaluation } from '../../quality/quality-report';
import type { Queryable } from '../pool';
import { EVALUATED_AGENT } from './quality-calls-repository';

export interface EvaluationComment {
  id: number;
  atSeconds: number;
  text: string;
  authorName: string;
  createdAt: string;
}

/** One evaluation as the API shows it (issue 18 point 4). */
export interface Evaluation {
  id: number;
  callId: string;
  form: string;
  formVersion: number;
  formName: string;
  agentId: number | null;
  agentName: string | null;
  evaluatorUserId: number | null;
  evaluatorName: string;
  createdAt: string;
  updatedAt: string;
  scores: Array<{ criterionId: string; label: string; weight: number; maxScore: number; score: number; note: string | null }>;
  comments: EvaluationComment[];
  summary: string | null;
  totalPercent: number;
  passed: boolean;
  criticalFailed: boolean;
  acknowledgedAt: string | null;
}

/** What an evaluation needs from its call: who took it and how long the recording runs. */
export interface EvaluatedCall {
  agentId: number | null;
  /** Null when the call has no recording row. */
  recordingSeconds: number | null;
}

export async function findEvaluatedCall(q: Queryable, callId: string): Promise<EvaluatedCall | null> {
  const { rows } = await q.query<{ agent_id: number | null; duration_ms: number | null }>(
    `SELECT ${EVALUATED_AGENT} AS agent_id, r.duration_ms FROM calls c LEFT JOIN recordings r ON r.id = c.recording_id WHERE c.id = $1`,
    [callId],
  );
  const row = rows[0];
  return row ? { agentId: row.agent_id, recordingSeconds: row.duration_ms === null ? null : row.duration_ms / 1000 } : null;
}

const ISO = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** A user's name as shown: their staff member's full name, else the login. */
const USER_NAME = (user: string, staff: string): string => `COALESCE(${staff}.full_name, ${user}.username, 'removed user')`;

const SELECT_EVALUATION = `
  SELECT e.id, e.call_id AS "callId", e.form_code AS form, e.form_version AS "formVersion", f.document->>'name' AS "formName",
         e.agent_id AS "agentId", s.full_name AS "agentName", e.evaluator_user_id AS "evaluatorUserId", ${USER_NAME('u', 'us')} AS "evaluatorName",
         ${ISO('e.created_at')} AS "createdAt", ${ISO('e.updated_at')} AS "updatedAt", e.summary, e.total_percent::float8 AS "totalPercent",
         e.passed, e.critical_failed AS "criticalFailed", CASE WHEN e.acknowledged_at IS NULL THEN NULL ELSE ${ISO('e.acknowledged_at')} END AS "acknowledgedAt",
         COALESCE((SELECT json_agg(json_build_object('criterionId', sc.criterion_id, 'label', sc.label, 'weight', sc.weight, 'maxScore', sc.max_score, 'score', sc.score, 'note', sc.note) ORDER BY sc.position)
                   FROM quality_evaluation_scores sc WHERE sc.evaluation_id = e.id), '[]'::json) AS scores,
         COALESCE((SELECT json_agg(json_build_object('id', cm.id, 'atSeconds', cm.at_seconds, 'text', cm.text, 'authorName', ${USER_NAME('cu', 'cs')}, 'createdAt', ${ISO('cm.created_at')}) ORDER BY cm.at_seconds, cm.id)
                   FROM quality_evaluation_comments cm LEFT JOIN users cu ON cu.id = cm.author_user_id LEFT JOIN staff cs ON cs.id = cu.staff_id
                   WHERE cm.evaluation_id = e.id), '[]'::json) AS comments
  FROM quality_evaluations e
  JOIN quality_form_versions f ON f.form_code = e.form_code AND f.version = e.form_version
  LEFT JOIN staff s ON s.id = e.agent_id
  LEFT JOIN users u ON u.id = e.evaluator_user_id
  LEFT JOIN staff us ON us.id = u.staff_id`;

export async function findEvaluation(q: Queryable, id: number): Promise<Evaluation | null> {
  const { rows } = await q.query<Evaluation>(`${SELECT_EVALUATION} WHERE e.id = $1`, [id]);
  return rows[0] ?? null;
}

export interface EvaluationFilter {
  agentId?: number | null;
  form?: string | null;
  from?: Date | null;
  to?: Date | null;
  /** Continue below this id (the previous page's last). */
  beforeId?: number | null;
  limit: number;
}

/** Newest first (by id, which grows with creation), one row more than asked to tell whether there is a next page. */
export async function listEvaluations(q: Queryable, filter: EvaluationFilter): Promise<{ items: Evaluation[]; nextBeforeId: number | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (filter.agentId != null) add((p) => `e.agent_id = ${p}`, filter.agentId);
  if (filter.form) add((p) => `e.form_code = ${p}`, filter.form);
  if (filter.from) add((p) => `e.created_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `e.created_at < ${p}`, filter.to);
  if (filter.beforeId != null) add((p) => `e.id < ${p}`, filter.beforeId);
  params.push(filter.limit + 1);
  const { rows } = await q.query<Evaluation>(`${SELECT_EVALUATION} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.id DESC LIMIT $${params.length}`, params);
  const items = rows.slice(0, filter.limit);
  return { items, nextBeforeId: rows.length > filter.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The evaluations of calls a staff member took, newest first. */
export async function listEvaluationsOfAgent(q: Queryable, agentId: number): Promise<Evaluation[]> {
  const { rows } = await q.query<Evaluation>(`${SELECT_EVALUATION} WHERE e.agent_id = $1 ORDER BY e.id DESC`, [agentId]);
  return rows;
}

export interface EvaluationWrite {
  form: string;
  formVersion: number;
  checked: CheckedEvaluation;
}

async function writeScores(q: Queryable, evaluationId: number, checked: CheckedEvaluation): Promise<void> {
  await q.query('DELETE FROM quality_evaluation_scores WHERE evaluation_id = $1', [evaluationId]);
  await q.query(
    `INSERT INTO quality_evaluation_scores (evaluation_id, criterion_id, position, label, weight, max_score, critical, score, note)
     SELECT $1, s.criterion_id, s.position, s.label, s.weight, s.max_score, s.critical, s.score, s.note
     FROM jsonb_to_recordset($2::jsonb) AS s(criterion_id text, position smallint, label text, weight float8, max_score smallint, critical boolean, score smallint, note text)`,
    [evaluationId, JSON.stringify(checked.scores.map((s) => ({
      criterion_id: s.criterionId, position: s.position, label: s.label, weight: s.weight, max_score: s.maxScore, critical: s.critical, score: s.score, note: s.note,
    })))],
  );
}

export async function addEvaluationComment(q: Queryable, evaluationId: number, comment: TimedCommentInput, authorUserId: number | null): Promise<EvaluationComment> {
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO quality_evaluation_comments (evaluation_id, at_seconds, text, author_user_id) VALUES ($1, $2, $3, $4) RETURNING id',
    [evaluationId, comment.atSeconds, comment.text, authorUserId],
  );
  const id = (rows[0] as { id: number }).id;
  const found = await q.query<EvaluationComment>(
    `SELECT cm.id, cm.at_seconds AS "atSeconds", cm.text, ${USER_NAME('cu', 'cs')} AS "authorName", ${ISO('cm.created_at')} AS "createdAt"
     FROM quality_evaluation_comments cm LEFT JOIN users cu ON cu.id = cm.author_user_id LEFT JOIN staff cs ON cs.id = cu.staff_id WHERE cm.id = $1`,
    [id],
  );
  return found.rows[0] as EvaluationComment;
}

export async function insertEvaluation(q: Queryable, callId: string, agentId: number | null, evaluatorUserId: number | null, write: EvaluationWrite): Promise<number> {
  const { checked } = write;
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO quality_evaluations (call_id, form_code, form_version, agent_id, evaluator_user_id, summary, total_percent, passed, critical_failed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [callId, write.form, write.formVersion, agentId, evaluatorUserId, checked.summary, checked.totalPercent, checked.passed, checked.criticalFailed],
  );
  const id = (rows[0] as { id: number }).id;
  await writeScores(q, id, checked);
  for (const comment of checked.comments) await addEvaluationComment(q, id, comment, evaluatorUserId);
  return id;
}

/**
 * Replaces an evaluation's form, scores, summary and comments. A comment sent
 * back unchanged (same moment, same text) keeps its id and author; the others
 * are removed, new ones are the editor's. A changed evaluation is no longer
 * acknowledged: the agent is to read it again.
 */
export async function replaceEvaluation(q: Queryable, id: number, editorUserId: number | null, write: EvaluationWrite): Promise<void> {
  const { checked } = write;
  await q.query(
    `UPDATE quality_evaluations SET form_code = $2, form_version = $3, summary = $4, total_percent = $5, passed = $6, critical_failed = $7,
            acknowledged_at = NULL, updated_at = now() WHERE id = $1`,
    [id, write.form, write.formVersion, checked.summary, checked.totalPercent, checked.passed, checked.criticalFailed],
  );
  await writeScores(q, id, checked);
  const existing = await q.query<{ id: number; at_seconds: number; text: string }>('SELECT id, at_seconds, text FROM quality_evaluation_comments WHERE evaluation_id = $1', [id]);
  const kept = new Set<number>();
  const toAdd: TimedCommentInput[] = [];
  for (const comment of checked.comments) {
    const same = existing.rows.find((e) => !kept.has(e.id) && e.at_seconds === comment.atSeconds && e.text === comment.text);
    if (same) kept.add(same.id);
    else toAdd.push(comment);
  }
  await q.query('DELETE FROM quality_evaluation_comments WHERE evaluation_id = $1 AND NOT (id = ANY($2::int[]))', [id, [...kept]]);
  for (const comment of toAdd) await addEvaluationComment(q, id, comment, editorUserId);
}

/** Marks the agent's reading of their evaluation; false when it is not theirs (or does not exist). */
export async function acknowledgeEvaluation(q: Queryable, id: number, agentId: number): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE quality_evaluations SET acknowledged_at = COALESCE(acknowledged_at, now()) WHERE id = $1 AND agent_id = $2', [id, agentId]);
  return (rowCount ?? 0) > 0;
}

/** The evaluations a report covers (by when the evaluated call started), with their scores, oldest first. */
export async function loadReportedEvaluations(q: Queryable, filter: { from?: Date | null; to?: Date | null; form?: string | null; agentId?: number | null }): Promise<ReportedEvaluation[]> {
  const { rows } = await q.query<{ agent_id: number | null; agent_name: string | null; started_at: Date; total_percent: number; passed: boolean; scores: ReportedEvaluation['scores'] }>(
    `SELECT e.agent_id, s.full_name AS agent_name, c.started_at, e.total_percent::float8 AS total_percent, e.passed,
            COALESCE((SELECT json_agg(json_build_object('criterionId', sc.criterion_id, 'label', sc.label, 'score', sc.score, 'maxScore', sc.max_score) ORDER BY sc.position)
                      FROM quality_evaluation_scores sc WHERE sc.evaluation_id = e.id), '[]'::json) AS scores
     FROM quality_evaluations e JOIN calls c ON c.id = e.call_id LEFT JOIN staff s ON s.id = e.agent_id
     WHERE ($1::timestamptz IS NULL OR c.started_at >= $1) AND ($2::timestamptz IS NULL OR c.started_at < $2)
       AND ($3::text IS NULL OR e.form_code = $3) AND ($4::int IS NULL OR e.agent_id = $4)
     ORDER BY c.started_at, e.id`,
    [filter.from ?? null, filter.to ?? null, filter.form ?? null, filter.agentId ?? null],
  );
  return rows.map((r) => ({ agentId: r.agent_id, agentName: r.agent_name, callStartedAt: r.started_at, totalPercent: r.total_percent, passed: r.passed, scores: r.scores }));
}
