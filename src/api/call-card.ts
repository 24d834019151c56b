import type { Acd } from '../acd';
import type { Queryable } from '../db/pool';
import { findClientCard, listLastCalls, type ClientCardClient, type LastCall } from '../db/repositories/client-card-repository';
import { viewCall, type CallView } from './live-call-view';

/** How many earlier calls the card lists. */
export const CARD_LAST_CALLS = 5;

/** What the softphone shows about a caller, before and while the call is answered. */
export interface CallCard {
  callId: string;
  callerNumber: string;
  callerE164: string | null;
  /** Null for a caller not in the directory ("new client" card). */
  client: ClientCardClient | null;
  lastCalls: LastCall[];
  /** IVR node ids the caller went through, in order. */
  ivrPath: string[];
  /** The routing decision in words, e.g. "key client — own manager Pavel Orlov". */
  routingReason: string | null;
  /** The queue the caller waits or waited in (`direct` for calls to a named person). */
  queue: string | null;
  /** Time in queue: until an agent answered, or until now while nobody has. */
  waitMs: number | null;
}

const asString = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const asId = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null);

/** The client part of a card with the client's last calls (click-to-call from the directory, the call card). */
export async function clientCardWithCalls(db: Queryable, clientId: number, excludeCallId?: string): Promise<{ client: ClientCardClient; lastCalls: LastCall[] } | null> {
  const [client, lastCalls] = await Promise.all([
    findClientCard(db, clientId),
    listLastCalls(db, { clientId }, { ...(excludeCallId ? { excludeCallId } : {}), limit: CARD_LAST_CALLS }),
  ]);
  return client ? { client, lastCalls } : null;
}

/**
 * The card of one call. Facts come from the call row once it is written;
 * while the call is live (the row is written when it ends), from what the
 * call session attached to its ACD entry (client id, routing reason, caller
 * number, IVR path — see InboundCall.enqueueCaller) and the ACD's timings.
 */
export async function buildCallCard(db: Queryable, view: CallView, now: number): Promise<CallCard> {
  const first = view.acdEntries[0];
  const latest = view.acdEntries.at(-1);
  const meta = first?.meta ?? {};
  const stored = view.stored;
  const callerE164 = stored?.callerE164 ?? first?.callerNumber ?? null;
  const callerNumber = stored?.callerNumber ?? asString(meta.callerNumber) ?? callerE164 ?? 'anonymous';
  const clientId = stored ? stored.clientId : asId(meta.clientId);
  const ivrPath = stored?.ivrPath ?? (Array.isArray(meta.ivrPath) ? meta.ivrPath.filter((n): n is string => typeof n === 'string') : []);
  const routingReason = stored?.routingReason ?? asString(meta.reason);
  const answeredAt = view.acdEntries.find((e) => e.answeredAt !== null)?.answeredAt ?? null;
  const waitMs = stored?.queueWaitMs ?? (first ? Math.max(0, (answeredAt ?? now) - first.enqueuedAt) : null);
  const queue = latest?.queueId || stored?.queueName || null;
  let client: ClientCardClient | null = null;
  let lastCalls: LastCall[] = [];
  if (clientId !== null) {
    const part = await clientCardWithCalls(db, clientId, view.callId);
    client = part?.client ?? null;
    lastCalls = part?.lastCalls ?? [];
  } else if (callerE164) {
    // A caller not in the directory may still have called before from the same number.
    lastCalls = await listLastCalls(db, { e164: callerE164 }, { excludeCallId: view.callId, limit: CARD_LAST_CALLS });
  }
  return { callId: view.callId, callerNumber, callerE164, client, lastCalls, ivrPath, routingReason, queue, waitMs };
}

/** The card of a call by id; null when the call is unknown. */
export async function callCardOf(deps: { db: Queryable; acd?: Acd | undefined }, callId: string, now: number): Promise<CallCard | null> {
  const view = await viewCall(deps, callId);
  return view ? buildCallCard(deps.db, view, now) : null;
}
