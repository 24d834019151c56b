import type { FastifyRequest } from 'fastify';
import type { Acd, CallSnapshot } from '../acd';
import type { Queryable } from '../db/pool';
import { findCallSummary, type CallSummary } from '../db/repositories/client-card-repository';
import { wrapUpAuthors } from '../db/repositories/wrap-up-repository';
import { AppError } from '../errors/app-error';
import { acdCallIdOf } from '../acd/session-call-ids';

/** Most ACD entries one call can have (one per blind transfer, see acdCallIdOf); a bound, not a business rule. */
const MAX_ACD_ENTRIES = 50;

/**
 * One call as the softphone sees it, whether it is still live or already
 * written: the call row (null until the outbox writes it when the call ends),
 * the call's ACD entries (the first under the call id, one more per
 * transfer; they stay in Redis an hour after the call), and every staff
 * member who was offered or took it.
 */
export interface CallView {
  callId: string;
  stored: CallSummary | null;
  /** Oldest first; empty when the ACD is not wired or has forgotten the call. */
  acdEntries: CallSnapshot[];
  /** Staff ids of the agents offered or connected (ACD), recorded (call row) or who wrote a wrap-up. */
  participants: ReadonlySet<number>;
  /** The agent the caller is or was last with: the last ACD entry's agent, else the call row's last agent. */
  lastAgentId: number | null;
}

/** The ACD entries of one call, oldest first: `id`, then `id.t1`, `id.t2`… while they exist. */
export async function acdEntriesOf(acd: Acd | undefined, callId: string): Promise<CallSnapshot[]> {
  if (!acd) return [];
  const entries: CallSnapshot[] = [];
  for (let n = 0; n < MAX_ACD_ENTRIES; n += 1) {
    const entry = await acd.getCall(acdCallIdOf(callId, n));
    if (!entry) break;
    entries.push(entry);
  }
  return entries;
}

/** The call's view; null when neither Postgres nor the ACD knows it. */
export async function viewCall(deps: { db: Queryable; acd?: Acd | undefined }, callId: string): Promise<CallView | null> {
  const [stored, acdEntries, authors] = await Promise.all([findCallSummary(deps.db, callId), acdEntriesOf(deps.acd, callId), wrapUpAuthors(deps.db, callId)]);
  if (!stored && acdEntries.length === 0) return null;
  const participants = new Set<number>([...(stored?.agentIds ?? []), ...authors]);
  if (stored?.agentId) participants.add(stored.agentId);
  let lastAgentId: number | null = null;
  for (const entry of acdEntries) {
    if (entry.agentId !== null && /^\d+$/.test(entry.agentId)) {
      participants.add(Number(entry.agentId));
      lastAgentId = Number(entry.agentId);
    }
  }
  lastAgentId ??= stored?.agentIds.at(-1) ?? stored?.agentId ?? null;
  return { callId, stored, acdEntries, participants, lastAgentId };
}

/** Like viewCall, but NOT_FOUND when nobody knows the call. */
export async function requireCallView(deps: { db: Queryable; acd?: Acd | undefined }, callId: string): Promise<CallView> {
  const view = await viewCall(deps, callId);
  if (!view) throw new AppError('NOT_FOUND', `call ${callId} is unknown (never seen, or its live data expired before the call row was written)`);
  return view;
}

/** Supervisors and admins see every call; an operator only calls they were offered, took or wrapped up. */
export function assertMaySeeCall(request: FastifyRequest, view: CallView): void {
  const user = request.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  if (user.role !== 'operator') return;
  if (user.staffId === null || !view.participants.has(user.staffId)) {
    throw new AppError('FORBIDDEN', 'an operator may open only the calls offered to them or taken by them');
  }
}
