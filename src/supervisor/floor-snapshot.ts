import type { AgentState } from '../acd/agent-state';
import type { AgentView, WaitingCallView } from '../acd/floor-reads';
import type { QueueStats } from '../acd/queue-stats';
import type { FloorQueueSettings } from '../db/repositories/floor-repository';
import { FLOOR_AGENT_STATES, FLOOR_STATE_OF, type FloorAgentState } from './floor-agent-states';

export { FLOOR_AGENT_STATES, FLOOR_STATE_OF, type FloorAgentState } from './floor-agent-states';

/**
 * The wallboard's picture of the floor (issue 7): queues with their live and
 * today's figures, every waiting caller, every agent, and what needs a
 * supervisor's attention. Built here from plain inputs (no I/O) so that the
 * HTTP snapshot and the live feed say exactly the same thing.
 */

/** A caller waiting longer than this raises an alert unless the queue sets its own threshold. */
export const DEFAULT_LONG_WAIT_ALERT_SECONDS = 60;

export interface FloorQueue {
  name: string;
  label: string;
  waiting: number;
  /** The longest current wait of a caller in this queue, counted from when they entered the ACD; 0 when nobody waits. */
  longestWaitMs: number;
  /**
   * Percent of callers answered within the threshold (answered in time ÷
   * (answered + abandoned): every abandon counts against). Null before the
   * first call of the period.
   */
  serviceLevelToday: number | null;
  serviceLevel30m: number | null;
  slTarget: { percent: number; seconds: number };
  answeredToday: number;
  abandonedToday: number;
  agents: Record<FloorAgentState, number>;
}

export interface FloorWaitingCall {
  callId: string;
  queue: string;
  clientId: number | null;
  /** Null for an unknown caller. */
  clientName: string | null;
  clientType: string | null;
  waitMs: number;
  position: number;
  priority: number;
  kind: 'call' | 'callback';
}

export interface FloorAgent {
  staffId: number;
  name: string;
  state: FloorAgentState;
  /** The ACD's own state name (reserved, on_call, …). */
  acdState: AgentState;
  reason: string;
  /** Time in the current state. */
  sinceMs: number;
  currentCallId: string | null;
  queues: string[];
}

export interface FloorAlert {
  kind: 'service_level' | 'long_wait';
  queue: string;
  message: string;
  /** Epoch ms when the condition began (as far as this process has seen it, for service level). */
  since: number;
}

export interface FloorSnapshot {
  type: 'floor';
  /** Epoch ms the snapshot describes. */
  at: number;
  queues: FloorQueue[];
  waitingCalls: FloorWaitingCall[];
  agents: FloorAgent[];
  alerts: FloorAlert[];
}

export interface FloorInputs {
  now: number;
  queues: Array<{ settings: FloorQueueSettings; stats: QueueStats }>;
  waiting: readonly WaitingCallView[];
  agents: readonly AgentView[];
  clients: ReadonlyMap<number, { name: string; type: string }>;
  /** Staff ids to show; null shows every agent. */
  activeStaff: ReadonlySet<number> | null;
}

const percent = (ratio: number | null): number | null => (ratio === null ? null : Math.round(ratio * 1000) / 10);

function formatWait(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function clientIdOf(meta: Record<string, unknown> | null): number | null {
  const id = meta?.clientId;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * Assembles one snapshot. `alertsSince` remembers, across snapshots, when a
 * service-level alert was first raised (keyed by kind and queue); entries
 * for alerts that cleared are removed.
 */
export function assembleFloorSnapshot(inputs: FloorInputs, alertsSince: Map<string, number>): FloorSnapshot {
  const { now } = inputs;
  const waitingCalls: FloorWaitingCall[] = inputs.waiting.map((w) => {
    const clientId = clientIdOf(w.meta);
    const client = clientId === null ? undefined : inputs.clients.get(clientId);
    return {
      callId: w.callId, queue: w.queueId, clientId, clientName: client?.name ?? null, clientType: client?.type ?? null,
      waitMs: Math.max(0, now - w.enqueuedAt), position: w.position, priority: w.priority, kind: w.kind,
    };
  });
  waitingCalls.sort((a, b) => b.waitMs - a.waitMs || a.callId.localeCompare(b.callId));

  const queues: FloorQueue[] = [];
  const alerts: FloorAlert[] = [];
  const raised = new Set<string>();
  for (const { settings, stats } of inputs.queues) {
    const mine = waitingCalls.filter((c) => c.queue === settings.name);
    const agents = Object.fromEntries(FLOOR_AGENT_STATES.map((s) => [s, 0])) as Record<FloorAgentState, number>;
    for (const [state, n] of Object.entries(stats.agentsByState) as Array<[AgentState, number]>) agents[FLOOR_STATE_OF[state]] += n;
    const queue: FloorQueue = {
      name: settings.name,
      label: settings.label,
      waiting: mine.length,
      longestWaitMs: mine.reduce((m, c) => Math.max(m, c.waitMs), 0),
      serviceLevelToday: percent(stats.today.serviceLevel.countingAbandons),
      serviceLevel30m: percent(stats.window.serviceLevel.countingAbandons),
      slTarget: { percent: settings.slPercent, seconds: settings.slSeconds },
      answeredToday: stats.today.answered,
      abandonedToday: stats.today.abandoned,
      agents,
    };
    queues.push(queue);

    if (queue.serviceLevel30m !== null && queue.serviceLevel30m < settings.slPercent) {
      const key = `service_level:${settings.name}`;
      const since = alertsSince.get(key) ?? now;
      alertsSince.set(key, since);
      raised.add(key);
      alerts.push({
        kind: 'service_level', queue: settings.name, since,
        message: `${settings.label}: ${queue.serviceLevel30m} % answered within ${settings.slSeconds} s over the last 30 min, under the ${settings.slPercent} % target`,
      });
    }
    const thresholdMs = (settings.longWaitAlertSeconds ?? DEFAULT_LONG_WAIT_ALERT_SECONDS) * 1000;
    const late = mine.filter((c) => c.waitMs > thresholdMs);
    if (late.length > 0) {
      const longest = late.reduce((m, c) => Math.max(m, c.waitMs), 0);
      alerts.push({
        kind: 'long_wait', queue: settings.name, since: now - longest + thresholdMs,
        message: `${settings.label}: ${late.length} caller${late.length === 1 ? '' : 's'} waiting over ${thresholdMs / 1000} s (longest ${formatWait(longest)})`,
      });
    }
  }
  for (const key of [...alertsSince.keys()]) if (!raised.has(key)) alertsSince.delete(key);

  const agents: FloorAgent[] = inputs.agents
    .filter((a) => inputs.activeStaff === null || inputs.activeStaff.has(Number(a.id)))
    .map((a) => ({
      staffId: Number(a.id), name: a.name, state: FLOOR_STATE_OF[a.state], acdState: a.state, reason: a.reason,
      sinceMs: Math.max(0, now - a.since), currentCallId: a.callId, queues: a.queues,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.staffId - b.staffId);

  return { type: 'floor', at: now, queues, waitingCalls, agents, alerts };
}
