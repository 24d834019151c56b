import type { ClientRecord } from '../../directory/directory-records';
import { inTransaction, type Db, type Queryable } from '../pool';
import { recordAudit, type Actor } from './audit-repository';
import { createClientsRepository } from './clients-repository';

/** The receivables check of design §1 rule 5, as the operator reads it before taking an order. */
export interface ClientDebt {
  overdueAmount: number;
  balance: number;
  limit: number;
  /** The balance exceeds the credit limit. */
  overLimit: boolean;
  hasOverdue: boolean;
}

/** The client part of the softphone's card. */
export interface ClientCardClient {
  id: number;
  name: string;
  clientType: string;
  clientTypeLabel: string;
  manager: { id: number; name: string } | null;
  region: string | null;
  language: string;
  debt: ClientDebt;
  notes: string;
}

/** One earlier call of the same client (or number), newest first. */
export interface LastCall {
  callId: string;
  startedAt: string;
  outcome: string | null;
  dispositionCode: string | null;
  dispositionLabel: string | null;
  agentName: string | null;
  talkMs: number | null;
}

/** What the card needs from a written call row. */
export interface CallSummary {
  callId: string;
  startedAt: string;
  callerNumber: string;
  callerE164: string | null;
  clientId: number | null;
  /** Node ids of the IVR path, in order. */
  ivrPath: string[];
  routingReason: string | null;
  queueName: string | null;
  queueWaitMs: number | null;
  agentId: number | null;
  agentIds: number[];
}

export async function findCallSummary(q: Queryable, callId: string): Promise<CallSummary | null> {
  const { rows } = await q.query<{
    id: string; started_at: Date; caller_number: string; caller_e164: string | null; client_id: number | null; ivr_path: Array<{ nodeId?: unknown }>;
    routing_reason: string | null; queue_name: string | null; queue_wait_ms: number | null; agent_id: number | null; agent_ids: number[];
  }>(
    `SELECT id, started_at, caller_number, caller_e164, client_id, ivr_path, routing_reason, queue_name, queue_wait_ms, agent_id, agent_ids
     FROM calls WHERE id = $1`,
    [callId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    callId: r.id, startedAt: r.started_at.toISOString(), callerNumber: r.caller_number, callerE164: r.caller_e164, clientId: r.client_id,
    ivrPath: r.ivr_path.map((step) => (typeof step.nodeId === 'string' ? step.nodeId : '')).filter((id) => id !== ''),
    routingReason: r.routing_reason, queueName: r.queue_name, queueWaitMs: r.queue_wait_ms, agentId: r.agent_id, agentIds: r.agent_ids,
  };
}

/** The client's card; null when there is no such client. */
export async function findClientCard(q: Queryable, clientId: number): Promise<ClientCardClient | null> {
  const { rows } = await q.query<{
    id: number; name: string; type: string; type_label: string | null; manager_id: number | null; manager_name: string | null; region: string | null;
    language: string; overdue_debt: number; balance: number; credit_limit: number; notes: string;
  }>(
    `SELECT c.id, c.name, c.type, t.label AS type_label, c.manager_id, s.full_name AS manager_name, c.region, c.language,
            c.overdue_debt, c.balance, c.credit_limit, c.notes
     FROM clients c
     LEFT JOIN client_types t ON t.code = c.type
     LEFT JOIN staff s ON s.id = c.manager_id
     WHERE c.id = $1`,
    [clientId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id, name: r.name, clientType: r.type, clientTypeLabel: r.type_label ?? r.type,
    manager: r.manager_id !== null && r.manager_name !== null ? { id: r.manager_id, name: r.manager_name } : null,
    region: r.region, language: r.language,
    debt: { overdueAmount: r.overdue_debt, balance: r.balance, limit: r.credit_limit, overLimit: r.balance > r.credit_limit, hasOverdue: r.overdue_debt > 0 },
    notes: r.notes,
  };
}

/**
 * The last `limit` calls of a client — or, for a caller not in the
 * directory, of the number — newest first, without the call being looked at.
 */
export async function listLastCalls(q: Queryable, of: { clientId: number } | { e164: string }, options: { excludeCallId?: string; limit?: number } = {}): Promise<LastCall[]> {
  const byClient = 'clientId' in of;
  const { rows } = await q.query<{
    id: string; started_at: Date; outcome: string | null; disposition_code: string | null; disposition_label: string | null; agent_name: string | null; talk_ms: number | null;
  }>(
    `SELECT c.id, c.started_at, c.outcome, c.disposition_code, d.label AS disposition_label, s.full_name AS agent_name, c.talk_ms
     FROM calls c
     LEFT JOIN disposition_codes d ON d.code = c.disposition_code
     LEFT JOIN staff s ON s.id = COALESCE(c.agent_ids[array_length(c.agent_ids, 1)], c.agent_id)
     WHERE ${byClient ? 'c.client_id = $1::int' : 'c.caller_e164 = $1::text'} AND ($2::uuid IS NULL OR c.id <> $2::uuid)
     ORDER BY c.started_at DESC, c.id DESC
     LIMIT $3`,
    [byClient ? of.clientId : of.e164, options.excludeCallId ?? null, options.limit ?? 5],
  );
  return rows.map((r) => ({
    callId: r.id, startedAt: r.started_at.toISOString(), outcome: r.outcome, dispositionCode: r.disposition_code,
    dispositionLabel: r.disposition_label, agentName: r.agent_name, talkMs: r.talk_ms,
  }));
}

/** The "new client" card filled in during a call. */
export interface QuickClientInput {
  name: string;
  phone: string;
  clientType: string;
  region?: string | null;
  language?: string;
  notes?: string;
}

/**
 * Creates a client from the softphone's "new client" card, audited in the same
 * transaction. The phone is normalised to E.164 and must not belong to
 * another client (CONFLICT naming it); an unknown client type is refused by
 * the database (VALIDATION_FAILED at the HTTP boundary).
 */
export async function quickCreateClient(db: Db, actor: Actor, input: QuickClientInput, defaultCountry: string): Promise<ClientRecord> {
  const repository = createClientsRepository(defaultCountry);
  return inTransaction(db, async (client) => {
    const created = await repository.create(client, {
      name: input.name,
      type: input.clientType,
      phones: [input.phone],
      ...(input.region !== undefined ? { region: input.region } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
    });
    await recordAudit(client, actor, { action: 'create', entity: repository.spec.entity, entityId: created.id, after: { ...created, via: 'softphone quick create' } });
    return created;
  });
}
