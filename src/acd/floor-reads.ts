import type Redis from 'ioredis';
import type { AgentProfile } from './agent-profile';
import { isAgentState, type AgentState } from './agent-state';
import type { AcdKeys } from './keys';

/**
 * Bulk reads of live ACD state for wallboards. A wallboard wants every
 * waiting call and every agent about once a second; reading them one key at a
 * time would cost a round trip each, so these batch the reads in pipelines
 * (two round trips for the calls, two for the agents, whatever the counts).
 * Reads only: nothing here changes state, so they need no script.
 */

/** A call waiting in line (or a callback request keeping its place). */
export interface WaitingCallView {
  callId: string;
  queueId: string;
  /** 1-based place in its queue. */
  position: number;
  priority: number;
  kind: 'call' | 'callback';
  /** When the call first entered the ACD (its caller's whole wait). */
  enqueuedAt: number;
  /** When it entered this queue. */
  queuedAt: number;
  /** What the enqueuing process attached (client id, routing reason…); null when none or unreadable. */
  meta: Record<string, unknown> | null;
}

/** An agent as a wallboard shows them. */
export interface AgentView {
  id: string;
  state: AgentState;
  reason: string;
  /** When the current state began. */
  since: number;
  callId: string | null;
  name: string;
  queues: string[];
}

const CALL_FIELDS = ['state', 'priority', 'kind', 'enqueuedAt', 'queuedAt', 'meta'] as const;
const AGENT_FIELDS = ['state', 'reason', 'since', 'call', 'profile'] as const;

type PipelineReply = [Error | null, unknown][] | null;

function replies(results: PipelineReply): unknown[] {
  // A failed command fails the read as a whole: a wallboard half right is worse than one a second old.
  return (results ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

function parseMeta(raw: string | null | undefined): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Every call waiting in `queueIds`, each queue first in line first. */
export async function readWaitingCalls(redis: Redis, keys: AcdKeys, queueIds: readonly string[]): Promise<WaitingCallView[]> {
  if (queueIds.length === 0) return [];
  const lines = replies(await queueIds.reduce((p, q) => p.zrange(keys.get('waiting', q), 0, -1), redis.pipeline()).exec()) as string[][];
  const entries = queueIds.flatMap((queueId, i) => (lines[i] ?? []).map((callId, index) => ({ queueId, callId, position: index + 1 })));
  if (entries.length === 0) return [];
  const hashes = replies(await entries.reduce((p, e) => p.hmget(keys.get('call', e.callId), ...CALL_FIELDS), redis.pipeline()).exec()) as Array<Array<string | null>>;
  const out: WaitingCallView[] = [];
  entries.forEach((entry, i) => {
    const [state, priority, kind, enqueuedAt, queuedAt, meta] = hashes[i] ?? [];
    // A call answered between the two reads is no longer waiting.
    if (state !== 'waiting') return;
    out.push({
      ...entry,
      priority: Number(priority ?? 0),
      kind: kind === 'callback' ? 'callback' : 'call',
      enqueuedAt: Number(enqueuedAt ?? 0),
      queuedAt: Number(queuedAt ?? enqueuedAt ?? 0),
      meta: parseMeta(meta),
    });
  });
  return out;
}

/** Every registered agent. */
export async function readAgents(redis: Redis, keys: AcdKeys): Promise<AgentView[]> {
  const ids = (await redis.smembers(keys.get('agents'))).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (ids.length === 0) return [];
  const hashes = replies(await ids.reduce((p, id) => p.hmget(keys.get('agent', id), ...AGENT_FIELDS), redis.pipeline()).exec()) as Array<Array<string | null>>;
  const out: AgentView[] = [];
  ids.forEach((id, i) => {
    const [state, reason, since, call, profileJson] = hashes[i] ?? [];
    if (!state || !profileJson) return;
    let profile: Pick<AgentProfile, 'name' | 'queues'>;
    try {
      profile = JSON.parse(profileJson) as AgentProfile;
    } catch {
      return;
    }
    out.push({
      id,
      state: isAgentState(state) ? state : 'logged_out',
      reason: reason ?? '',
      since: Number(since ?? 0),
      callId: call ? call : null,
      name: profile.name,
      queues: [...profile.queues],
    });
  });
  return out;
}
