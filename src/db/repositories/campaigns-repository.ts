import {
  CAMPAIGN_CALL_STATUSES, CAMPAIGN_CALL_TRANSITIONS, assertCampaignTransition, isCampaignCallOutcome,
  type CampaignCallOutcome, type CampaignCallStatus, type CampaignStatus,
} from '../../campaigns/campaign-status';
import { AppError } from '../../errors/app-error';
import type { Queryable } from '../pool';

/**
 * "Dormant" clients (design §1 rule 10): clients of one type with no order for
 * N months. The last order is computed by query, never stored: it is the
 * later of the date imported from the accounting system (`clients.last_order_at`)
 * and the start of the client's latest call whose wrap-up took an order
 * (disposition `order_taken`, or an order reference written down). A client
 * who never ordered counts as dormant once it has been in the directory for N
 * months.
 */
export const DORMANT_DEFAULTS = { months: 6, clientType: 'market' } as const;

/** Orders taken over the phone, per client: a wrap-up that took an order on a call of that client. */
const PHONE_ORDERS_SQL = `
  SELECT c.client_id, max(c.started_at)::date AS last_at
  FROM wrap_ups w JOIN calls c ON c.id = w.call_id
  WHERE c.client_id IS NOT NULL AND (w.disposition_code = 'order_taken' OR w.order_reference IS NOT NULL)
  GROUP BY c.client_id`;

/** $1 client type, $2 months. Columns: id, last_order_at (null = never), idle_since (what the cut-off is compared with). */
const DORMANT_SQL = `
  WITH phone_orders AS (${PHONE_ORDERS_SQL}),
  candidates AS (
    SELECT cl.id, GREATEST(cl.last_order_at, po.last_at) AS last_order_at, cl.created_at::date AS created_on
    FROM clients cl LEFT JOIN phone_orders po ON po.client_id = cl.id
    WHERE cl.type = $1
  )
  SELECT id, last_order_at, COALESCE(last_order_at, created_on) AS idle_since
  FROM candidates
  WHERE COALESCE(last_order_at, created_on) <= (current_date - make_interval(months => $2))::date`;

/** Campaign rows still to be worked (pending, or no answer yet) in campaigns not closed. */
const OPEN_CALL_SQL = `
  SELECT cc.client_id, min(cc.campaign_id) AS campaign_id
  FROM campaign_calls cc JOIN campaigns ca ON ca.id = cc.campaign_id
  WHERE ca.status IN ('draft', 'active') AND cc.status IN ('pending', 'no_answer')
  GROUP BY cc.client_id`;

export interface DormantClient {
  clientId: number;
  name: string;
  clientType: string;
  managerId: number | null;
  managerName: string | null;
  region: string | null;
  /** First phone number (E.164), null when the client has none. */
  phone: string | null;
  /** 'YYYY-MM-DD'; null when no order is known at all. */
  lastOrderAt: string | null;
  /** Whole days since the last order (or since the client was added, when it never ordered). */
  daysIdle: number;
  /** An open campaign that already has this client on its list, if any. */
  openCampaignId: number | null;
}

export interface DormantQuery {
  months: number;
  clientType: string;
}

async function assertClientType(q: Queryable, clientType: string): Promise<void> {
  const known = await q.query('SELECT 1 FROM client_types WHERE code = $1', [clientType]);
  if (known.rowCount === 0) throw new AppError('VALIDATION_FAILED', `unknown client type "${clientType}"`, [{ path: 'clientType', message: 'not in /api/client-types' }]);
}

/** The dormant list as it stands now, the longest idle first. */
export async function listDormantClients(q: Queryable, query: DormantQuery): Promise<{ cutoff: string; clients: DormantClient[] }> {
  await assertClientType(q, query.clientType);
  const { rows } = await q.query<{
    id: number; name: string; type: string; manager_id: number | null; manager_name: string | null; region: string | null; phone: string | null;
    last_order_at: string | null; days_idle: number; open_campaign_id: number | null; cutoff: string;
  }>(
    `WITH dormant AS (${DORMANT_SQL}), open_calls AS (${OPEN_CALL_SQL})
     SELECT cl.id, cl.name, cl.type, cl.manager_id, s.full_name AS manager_name, cl.region,
            (SELECT p.e164 FROM client_phones p WHERE p.client_id = cl.id ORDER BY p.position, p.id LIMIT 1) AS phone,
            d.last_order_at, (current_date - d.idle_since)::int AS days_idle, oc.campaign_id AS open_campaign_id,
            (current_date - make_interval(months => $2))::date AS cutoff
     FROM dormant d JOIN clients cl ON cl.id = d.id
     LEFT JOIN staff s ON s.id = cl.manager_id
     LEFT JOIN open_calls oc ON oc.client_id = cl.id
     ORDER BY d.idle_since, cl.name, cl.id`,
    [query.clientType, query.months],
  );
  const cutoff = rows[0]?.cutoff ?? (await q.query<{ cutoff: string }>('SELECT (current_date - make_interval(months => $1))::date AS cutoff', [query.months])).rows[0]?.cutoff ?? '';
  return {
    cutoff,
    clients: rows.map((r) => ({
      clientId: r.id, name: r.name, clientType: r.type, managerId: r.manager_id, managerName: r.manager_name, region: r.region, phone: r.phone,
      lastOrderAt: r.last_order_at, daysIdle: r.days_idle, openCampaignId: r.open_campaign_id,
    })),
  };
}

export type CampaignStatusCounts = Record<CampaignCallStatus, number>;

export interface CampaignProgress {
  total: number;
  /** Rows nobody has been assigned yet. */
  unassigned: number;
  byStatus: CampaignStatusCounts;
  /** Rows with a final outcome (done, failed, skipped), in percent of the total. */
  completionPercent: number;
}

export interface CampaignSummary {
  id: number;
  name: string;
  status: CampaignStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  criteria: Record<string, unknown>;
  progress: CampaignProgress;
}

export interface CampaignCallRecord {
  id: number;
  campaignId: number;
  clientId: number;
  clientName: string;
  clientType: string;
  phone: string | null;
  lastOrderAt: string | null;
  assignedStaffId: number | null;
  assignedStaffName: string | null;
  status: CampaignCallStatus;
  result: string | null;
  notes: string;
  attemptedAt: string | null;
  callId: string | null;
  createdAt: string;
}

export interface CampaignOperatorProgress {
  staffId: number;
  name: string;
  total: number;
  byStatus: CampaignStatusCounts;
}

export interface CampaignDetail extends CampaignSummary {
  perOperator: CampaignOperatorProgress[];
  calls: CampaignCallRecord[];
}

const emptyCounts = (): CampaignStatusCounts => Object.fromEntries(CAMPAIGN_CALL_STATUSES.map((s) => [s, 0])) as CampaignStatusCounts;

function progressOf(counts: CampaignStatusCounts, unassigned: number): CampaignProgress {
  const total = CAMPAIGN_CALL_STATUSES.reduce((n, s) => n + counts[s], 0);
  const final = counts.done + counts.failed + counts.skipped;
  return { total, unassigned, byStatus: counts, completionPercent: total === 0 ? 0 : Math.round((final / total) * 1000) / 10 };
}

interface CampaignRow {
  id: number; name: string; status: CampaignStatus; created_by: string; created_at: Date; updated_at: Date; criteria: Record<string, unknown>;
}

async function loadSummaries(q: Queryable, ids: number[] | null): Promise<CampaignSummary[]> {
  const { rows } = await q.query<CampaignRow>(
    `SELECT id, name, status, created_by, created_at, updated_at, criteria FROM campaigns
     WHERE $1::int[] IS NULL OR id = ANY($1) ORDER BY created_at DESC, id DESC`,
    [ids],
  );
  const counts = await q.query<{ campaign_id: number; status: CampaignCallStatus; n: number; unassigned: number }>(
    `SELECT campaign_id, status, count(*)::int AS n, count(*) FILTER (WHERE assigned_staff_id IS NULL)::int AS unassigned
     FROM campaign_calls WHERE campaign_id = ANY($1) GROUP BY campaign_id, status`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => {
    const byStatus = emptyCounts();
    let unassigned = 0;
    for (const c of counts.rows.filter((c) => c.campaign_id === r.id)) {
      byStatus[c.status] = c.n;
      unassigned += c.unassigned;
    }
    return {
      id: r.id, name: r.name, status: r.status, createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
      criteria: r.criteria, progress: progressOf(byStatus, unassigned),
    };
  });
}

/** Every campaign, newest first, with its progress counts. */
export async function listCampaigns(q: Queryable): Promise<CampaignSummary[]> {
  return loadSummaries(q, null);
}

const CALL_COLUMNS = `
  cc.id, cc.campaign_id, cc.client_id, cl.name AS client_name, cl.type AS client_type,
  (SELECT p.e164 FROM client_phones p WHERE p.client_id = cl.id ORDER BY p.position, p.id LIMIT 1) AS phone,
  cc.last_order_at, cc.assigned_staff_id, s.full_name AS assigned_staff_name, cc.status, cc.result, cc.notes,
  cc.attempted_at, cc.call_id, cc.created_at`;

interface CallRow {
  id: number; campaign_id: number; client_id: number; client_name: string; client_type: string; phone: string | null; last_order_at: string | null;
  assigned_staff_id: number | null; assigned_staff_name: string | null; status: CampaignCallStatus; result: string | null; notes: string;
  attempted_at: Date | null; call_id: string | null; created_at: Date;
}

function callOf(r: CallRow): CampaignCallRecord {
  return {
    id: r.id, campaignId: r.campaign_id, clientId: r.client_id, clientName: r.client_name, clientType: r.client_type, phone: r.phone,
    lastOrderAt: r.last_order_at, assignedStaffId: r.assigned_staff_id, assignedStaffName: r.assigned_staff_name, status: r.status,
    result: r.result, notes: r.notes, attemptedAt: r.attempted_at ? r.attempted_at.toISOString() : null, callId: r.call_id,
    createdAt: r.created_at.toISOString(),
  };
}

/** One campaign: its progress overall and per operator, and every call on its list. */
export async function getCampaign(q: Queryable, id: number): Promise<CampaignDetail> {
  const [summary] = await loadSummaries(q, [id]);
  if (!summary) throw new AppError('NOT_FOUND', `campaign ${id} does not exist`);
  const { rows } = await q.query<CallRow>(
    `SELECT ${CALL_COLUMNS} FROM campaign_calls cc JOIN clients cl ON cl.id = cc.client_id LEFT JOIN staff s ON s.id = cc.assigned_staff_id
     WHERE cc.campaign_id = $1 ORDER BY cc.id`,
    [id],
  );
  const calls = rows.map(callOf);
  const perOperator = new Map<number, CampaignOperatorProgress>();
  for (const call of calls) {
    if (call.assignedStaffId === null) continue;
    const entry = perOperator.get(call.assignedStaffId) ?? { staffId: call.assignedStaffId, name: call.assignedStaffName ?? '', total: 0, byStatus: emptyCounts() };
    entry.total++;
    entry.byStatus[call.status]++;
    perOperator.set(call.assignedStaffId, entry);
  }
  return { ...summary, perOperator: [...perOperator.values()].sort((a, b) => a.name.localeCompare(b.name) || a.staffId - b.staffId), calls };
}

/**
 * Creates a draft campaign listing today's dormant clients, the longest idle
 * first. Clients already on an open campaign's list (still pending or not
 * reached) are left out, so nobody is called twice for the same reason. Run it
 * in a transaction. CONFLICT when nobody is left to call.
 */
export async function createDormantCampaign(
  q: Queryable,
  input: { name: string; months: number; clientType: string; createdBy: string },
): Promise<{ id: number; listed: number; alreadyInOpenCampaigns: number }> {
  await assertClientType(q, input.clientType);
  const { rows: counts } = await q.query<{ dormant: number; open: number; as_of: string }>(
    `WITH dormant AS (${DORMANT_SQL}), open_calls AS (${OPEN_CALL_SQL})
     SELECT count(*)::int AS dormant, count(oc.client_id)::int AS open, current_date::text AS as_of
     FROM dormant d LEFT JOIN open_calls oc ON oc.client_id = d.id`,
    [input.clientType, input.months],
  );
  const dormant = counts[0]?.dormant ?? 0;
  const open = counts[0]?.open ?? 0;
  if (dormant - open <= 0) {
    throw new AppError('CONFLICT', dormant === 0
      ? `no ${input.clientType} client has gone ${input.months} months without an order`
      : `all ${dormant} dormant ${input.clientType} clients are already on open campaigns`);
  }
  const criteria = { kind: 'dormant_clients', months: input.months, clientType: input.clientType, asOf: counts[0]?.as_of ?? null };
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO campaigns (name, created_by, criteria) VALUES ($1, $2, $3) RETURNING id',
    [input.name.trim(), input.createdBy, JSON.stringify(criteria)],
  );
  const id = (rows[0] as { id: number }).id;
  // Inserted in order of idleness: row ids then give the round-robin assignment its order.
  const inserted = await q.query(
    `WITH dormant AS (${DORMANT_SQL}), open_calls AS (${OPEN_CALL_SQL})
     INSERT INTO campaign_calls (campaign_id, client_id, last_order_at)
     SELECT $3, d.id, d.last_order_at FROM dormant d
     WHERE NOT EXISTS (SELECT 1 FROM open_calls oc WHERE oc.client_id = d.id)
     ORDER BY d.idle_since, d.id`,
    [input.clientType, input.months, id],
  );
  return { id, listed: inserted.rowCount ?? 0, alreadyInOpenCampaigns: open };
}

/** Staff roles that make calls; supervisors and admins do not. */
const CALLING_ROLES = ['operator', 'key_account_manager', 'department_head', 'finance', 'quality'];

/**
 * Shares the campaign's pending, unassigned calls among `staffIds` in turn
 * (round robin, in the order given, the longest idle client first). Run it in
 * a transaction; the campaign row is locked so two assignments never hand
 * out the same rows.
 */
export async function assignCampaignCalls(q: Queryable, campaignId: number, staffIds: readonly number[]): Promise<{ assigned: number; perStaff: Array<{ staffId: number; assigned: number }> }> {
  const ids = [...new Set(staffIds)];
  const { rows: campaign } = await q.query<{ status: CampaignStatus }>('SELECT status FROM campaigns WHERE id = $1 FOR UPDATE', [campaignId]);
  const status = campaign[0]?.status;
  if (!status) throw new AppError('NOT_FOUND', `campaign ${campaignId} does not exist`);
  if (status === 'done') throw new AppError('ILLEGAL_TRANSITION', `campaign ${campaignId} is done: nothing more to assign`);
  const { rows: staff } = await q.query<{ id: number; role: string; active: boolean }>('SELECT id, role, active FROM staff WHERE id = ANY($1)', [ids]);
  const details = ids.flatMap((staffId, i) => {
    const person = staff.find((s) => s.id === staffId);
    if (!person) return [{ path: `body/staffIds/${i}`, message: `staff member ${staffId} does not exist` }];
    if (!person.active) return [{ path: `body/staffIds/${i}`, message: `staff member ${staffId} is not active` }];
    if (!CALLING_ROLES.includes(person.role)) return [{ path: `body/staffIds/${i}`, message: `staff member ${staffId} is a ${person.role} and makes no calls` }];
    return [];
  });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', details.map((d) => d.message).join('; '), details);
  const { rows } = await q.query<{ assigned_staff_id: number }>(
    `WITH targets AS (
       SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM campaign_calls
       WHERE campaign_id = $1 AND status = 'pending' AND assigned_staff_id IS NULL
     )
     UPDATE campaign_calls cc SET assigned_staff_id = ($2::int[])[(t.rn % cardinality($2::int[])) + 1]
     FROM targets t WHERE cc.id = t.id
     RETURNING cc.assigned_staff_id`,
    [campaignId, ids],
  );
  await q.query('UPDATE campaigns SET updated_at = now() WHERE id = $1', [campaignId]);
  return {
    assigned: rows.length,
    perStaff: ids.map((staffId) => ({ staffId, assigned: rows.filter((r) => r.assigned_staff_id === staffId).length })),
  };
}

/** Moves a campaign through its lifecycle (campaign-status.ts). Run it in a transaction. */
export async function setCampaignStatus(q: Queryable, campaignId: number, to: CampaignStatus): Promise<{ from: CampaignStatus; to: CampaignStatus }> {
  const { rows } = await q.query<{ status: CampaignStatus }>('SELECT status FROM campaigns WHERE id = $1 FOR UPDATE', [campaignId]);
  const from = rows[0]?.status;
  if (!from) throw new AppError('NOT_FOUND', `campaign ${campaignId} does not exist`);
  if (from === to) return { from, to };
  assertCampaignTransition(from, to);
  await q.query('UPDATE campaigns SET status = $2, updated_at = now() WHERE id = $1', [campaignId, to]);
  return { from, to };
}

/** A campaign call as the assigned operator sees it. */
export interface AssignedCampaignCall extends CampaignCallRecord {
  campaignName: string;
}

/**
 * The campaign calls assigned to one staff member in active campaigns: by
 * default only those still to be made (pending, or not answered before),
 * those never attempted first.
 */
export async function listAssignedCampaignCalls(q: Queryable, staffId: number, options: { includeFinished?: boolean } = {}): Promise<AssignedCampaignCall[]> {
  const { rows } = await q.query<CallRow & { campaign_name: string }>(
    `SELECT ${CALL_COLUMNS}, ca.name AS campaign_name
     FROM campaign_calls cc JOIN campaigns ca ON ca.id = cc.campaign_id JOIN clients cl ON cl.id = cc.client_id
     LEFT JOIN staff s ON s.id = cc.assigned_staff_id
     WHERE cc.assigned_staff_id = $1 AND ca.status = 'active' AND ($2 OR cc.status IN ('pending', 'no_answer'))
     ORDER BY (cc.status = 'pending') DESC, cc.attempted_at NULLS FIRST, cc.id`,
    [staffId, options.includeFinished ?? false],
  );
  return rows.map((r) => ({ ...callOf(r), campaignName: r.campaign_name }));
}

export interface CampaignCallResultInput {
  /**
   * What happened. One of done | failed | no_answer | skipped sets that status;
   * any other text (e.g. "ordered 20 boxes") is kept as the result and the call counts as done.
   */
  result: string;
  notes?: string;
  /** The outbound call that carried the attempt. */
  callId?: string | null;
  /** An explicit status, overriding the one read from `result`. */
  status?: CampaignCallOutcome;
}

/**
 * Records the outcome of one campaign call by the staff member it is assigned
 * to. FORBIDDEN when it is someone else's, ILLEGAL_TRANSITION when the
 * campaign is not active or the call already has a final outcome. One
 * statement, so two submissions cannot both pass the checks.
 */
export async function recordCampaignCallResult(q: Queryable, id: number, staffId: number, input: CampaignCallResultInput): Promise<AssignedCampaignCall> {
  const result = input.result.trim();
  if (result.length === 0 || result.length > 500) throw new AppError('VALIDATION_FAILED', 'result must be 1–500 characters', [{ path: 'result', message: 'required' }]);
  if (input.notes !== undefined && input.notes.length > 4000) throw new AppError('VALIDATION_FAILED', 'notes must be at most 4000 characters', [{ path: 'notes', message: 'too long' }]);
  if (input.callId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.callId)) {
    throw new AppError('VALIDATION_FAILED', 'callId must be a call uuid', [{ path: 'callId', message: 'not a uuid' }]);
  }
  const status: CampaignCallOutcome = input.status ?? (isCampaignCallOutcome(result) ? result : 'done');
  const allowedFrom = CAMPAIGN_CALL_STATUSES.filter((from) => CAMPAIGN_CALL_TRANSITIONS[from].includes(status));
  const updated = await q.query<{ id: number }>(
    `UPDATE campaign_calls cc SET status = $3, result = $4, notes = COALESCE($5, cc.notes), attempted_at = now(), call_id = COALESCE($6::uuid, cc.call_id)
     FROM campaigns ca
     WHERE cc.id = $1 AND ca.id = cc.campaign_id AND cc.assigned_staff_id = $2 AND ca.status = 'active' AND cc.status = ANY($7)
     RETURNING cc.id`,
    [id, staffId, status, result, input.notes ?? null, input.callId ?? null, allowedFrom],
  );
  if (updated.rowCount === 0) {
    // Nothing changed: say why.
    const { rows } = await q.query<{ assigned_staff_id: number | null; status: CampaignCallStatus; campaign_status: CampaignStatus }>(
      'SELECT cc.assigned_staff_id, cc.status, ca.status AS campaign_status FROM campaign_calls cc JOIN campaigns ca ON ca.id = cc.campaign_id WHERE cc.id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', `campaign call ${id} does not exist`);
    if (row.assigned_staff_id !== staffId) throw new AppError('FORBIDDEN', `campaign call ${id} is not assigned to you`);
    if (row.campaign_status !== 'active') throw new AppError('ILLEGAL_TRANSITION', `the campaign of call ${id} is ${row.campaign_status}, not active`);
    throw new AppError('ILLEGAL_TRANSITION', `campaign call ${id} is already ${row.status}; it cannot become ${status}`);
  }
  const { rows } = await q.query<CallRow & { campaign_name: string }>(
    `SELECT ${CALL_COLUMNS}, ca.name AS campaign_name
     FROM campaign_calls cc JOIN campaigns ca ON ca.id = cc.campaign_id JOIN clients cl ON cl.id = cc.client_id
     LEFT JOIN staff s ON s.id = cc.assigned_staff_id WHERE cc.id = $1`,
    [id],
  );
  const row = rows[0] as CallRow & { campaign_name: string };
  return { ...callOf(row), campaignName: row.campaign_name };
}
