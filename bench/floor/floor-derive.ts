/**
 * Turning what the bench read (ACD events, phone logs, wallboard snapshots,
 * Switchboard's log) into the plain figures of a FloorRun (issue 16). Pure:
 * the adapters in floor-collect.ts do the reading.
 */
import type { AgentTime, FloorCallRow, FloorSnapshot } from './floor-run';
import type { SippLogLine } from './floor-scenarios';

/** One ACD event as the acd_events table keeps it. */
export interface AcdEventRow {
  atMs: number;
  type: string;
  callId: string | null;
  agentId: number | null;
  data: Record<string, unknown>;
}

/**
 * Ring latency: from the ACD's assignment of a call to an agent (the
 * `call_reserved` event) to the INVITE arriving at that agent's phone (the
 * phone's log, matched by the X-Switchboard-Call-Id it carries). Each
 * phone INVITE is matched to the latest reservation of its call before it.
 */
export function ringLatencies(events: readonly AcdEventRow[], phoneLines: readonly SippLogLine[]): number[] {
  const reservations = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'call_reserved' || !e.callId) continue;
    const list = reservations.get(e.callId) ?? [];
    list.push(e.atMs);
    reservations.set(e.callId, list);
  }
  const out: number[] = [];
  for (const line of phoneLines) {
    if (line.what !== 'invite') continue;
    const callId = line.fields[0];
    const times = callId ? reservations.get(callId) : undefined;
    if (!times) continue;
    const before = times.filter((t) => t <= line.atMs + 5);
    const reservedAt = before.length > 0 ? Math.max(...before) : undefined;
    if (reservedAt !== undefined) out.push(Math.max(0, line.atMs - reservedAt));
  }
  return out;
}

/** The ACD's agent states, grouped as the run reports them. */
const STATE_BUCKET: Record<string, keyof AgentTime | null> = {
  on_call: 'talkingMs',
  reserved: 'ringingMs',
  wrap_up: 'wrapUpMs',
  ready: 'readyMs',
  not_ready: null,
  logged_out: null,
};

/**
 * Time each agent state was held between `fromMs` and `toMs`, summed over
 * `agents`, from the ACD's `agent_state` events (data.to = the new state).
 * An agent's state before its first event in the window is the `from` of
 * that event.
 */
export function agentTime(events: readonly AcdEventRow[], agents: ReadonlySet<number>, fromMs: number, toMs: number): AgentTime {
  const total: AgentTime = { talkingMs: 0, ringingMs: 0, wrapUpMs: 0, readyMs: 0, loggedInMs: 0 };
  const byAgent = new Map<number, AcdEventRow[]>();
  for (const e of events) {
    if (e.type !== 'agent_state' || e.agentId === null || !agents.has(e.agentId)) continue;
    const list = byAgent.get(e.agentId) ?? [];
    list.push(e);
    byAgent.set(e.agentId, list);
  }
  const add = (state: string, ms: number): void => {
    if (ms <= 0) return;
    if (state !== 'logged_out') total.loggedInMs += ms;
    const bucket = STATE_BUCKET[state];
    if (bucket) total[bucket] += ms;
  };
  for (const list of byAgent.values()) {
    list.sort((a, b) => a.atMs - b.atMs);
    const first = list.find((e) => e.atMs >= fromMs);
    let state = (first ? stateName(first.data.from) : null) ?? 'logged_out';
    // Events before the window only set where the agent stood when it opened.
    for (const e of list) if (e.atMs < fromMs) state = stateName(e.data.to) ?? state;
    let at = fromMs;
    for (const e of list) {
      if (e.atMs < fromMs) continue;
      if (e.atMs > toMs) break;
      add(state, e.atMs - at);
      at = e.atMs;
      state = stateName(e.data.to) ?? state;
    }
    add(state, toMs - at);
  }
  return total;
}

function stateName(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** What the wallboard's GET /api/floor says that the bench keeps. */
export interface WallboardSnapshot {
  at: number;
  queues: ReadonlyArray<{ waiting: number }>;
  agents: ReadonlyArray<{ staffId: number; acdState: string }>;
}

/**
 * One FloorSnapshot from a wallboard snapshot: callers waiting in every
 * queue, the floor's agents talking, Ready and in wrap-up. The wallboard does
 * not count callers in the IVR: those come from the call rows afterwards
 * (`fillInIvr`).
 */
export function floorSnapshot(atMs: number, wallboard: WallboardSnapshot, agents: ReadonlySet<number>): FloorSnapshot {
  const mine = wallboard.agents.filter((a) => agents.has(a.staffId));
  return {
    atMs,
    waiting: wallboard.queues.reduce((n, q) => n + q.waiting, 0),
    inIvr: 0,
    talking: mine.filter((a) => a.acdState === 'on_call').length,
    agentsReady: mine.filter((a) => a.acdState === 'ready').length,
    agentsWrapUp: mine.filter((a) => a.acdState === 'wrap_up').length,
  };
}

/** Call row times of the IVR (ivr_started_at → ivr_ended_at), for `fillInIvr`. */
export interface IvrSpan {
  fromMs: number;
  toMs: number | null;
}

/** Callers in the IVR at each snapshot, from the call rows' IVR start and end. */
export function fillInIvr(snapshots: readonly FloorSnapshot[], spans: readonly IvrSpan[]): FloorSnapshot[] {
  return snapshots.map((s) => ({ ...s, inIvr: spans.filter((span) => span.fromMs <= s.atMs && (span.toMs === null || span.toMs > s.atMs)).length }));
}

/**
 * Distinct error lines of Switchboard's log (pino JSON, level ≥ 50), with
 * counts: the message and its error's message, ids and numbers blanked so
 * that one defect is one line.
 */
export function logErrors(text: string): Array<{ message: string; count: number }> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: number; msg?: string; err?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 50) continue;
    const err = entry.err && typeof entry.err === 'object' && 'message' in entry.err ? String(entry.err.message) : typeof entry.err === 'string' ? entry.err : '';
    const message = `${entry.msg ?? ''}${err ? ` — ${err}` : ''}`.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '…').replace(/\d{3,}/g, 'N').slice(0, 300);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts.entries()].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count);
}

/** Caller's INVITE (sipp's clock) → Switchboard starting the IVR (its call row), one per call that reached the IVR. */
export function ivrStartDelays(callerLines: readonly SippLogLine[], rows: ReadonlyArray<Pick<FloorCallRow, 'sipCallId'> & { ivrStartedAtMs: number | null }>): number[] {
  const sent = new Map<string, number>();
  for (const line of callerLines) if (line.what === 'invite' && line.fields[0]) sent.set(line.fields[0], line.atMs);
  const out: number[] = [];
  for (const row of rows) {
    const at = sent.get(row.sipCallId);
    if (at !== undefined && row.ivrStartedAtMs !== null) out.push(Math.max(0, row.ivrStartedAtMs - at));
  }
  return out;
}
