import type { UserRole } from '../auth/roles';
import type { ErrorCode } from '../errors/app-error';
import { MONITOR_MODES, type MonitorMode } from './monitor-mode';
import type { MonitoringPolicy } from './monitoring-policy';

/** Who asks to monitor: the signed-in user and the queues they are assigned to supervise. */
export interface MonitoringActor {
  userId: number;
  role: UserRole;
  /** The staff member the account is linked to (whose phone gets the monitoring call), if any. */
  staffId: number | null;
  /** Queue names this user supervises (queue_supervisors); empty: assigned to none. */
  supervisedQueues: readonly string[];
}

/** A call as monitoring sees it, from the live state (the ACD). */
export interface MonitoredCall {
  callId: string;
  /** Connected to an agent right now: only then is there anything to hear. */
  live: boolean;
  agentStaffId: number | null;
  /** The queue the call came through; null for a call straight to a person (no queue). */
  queue: string | null;
  callerNumber: string | null;
  /** Users monitoring this call now. */
  monitoredByUserIds: readonly number[];
}

export type MonitorAccess =
  | { allowed: true }
  | { allowed: false; code: Extract<ErrorCode, 'FORBIDDEN' | 'CALL_NOT_LIVE' | 'CONFLICT'>; reason: string };

/**
 * The modes a role may use under the site policy, before the media engine's own limits:
 * admins and supervisors all three; the quality role listens (and whispers if the policy says so);
 * operators none.
 */
export function modesAllowedFor(role: UserRole, policy: MonitoringPolicy): readonly MonitorMode[] {
  switch (role) {
    case 'admin':
    case 'supervisor':
      return MONITOR_MODES;
    case 'quality':
      return policy.qualityMayWhisper ? ['listen', 'whisper'] : ['listen'];
    case 'operator':
      return [];
  }
}

/**
 * The queues whose calls this user may monitor: null for every queue (admins, quality, a supervisor assigned to
 * none under the see-all policy); operators and a supervisor assigned to none under the closed policy get [].
 */
export function queuesWithinReach(actor: MonitoringActor, policy: MonitoringPolicy): readonly string[] | null {
  if (modesAllowedFor(actor.role, policy).length === 0) return [];
  if (actor.role !== 'supervisor') return null;
  if (actor.supervisedQueues.length === 0) return policy.unassignedSupervisorsSeeAllQueues ? null : [];
  return actor.supervisedQueues;
}

/** Whether a supervisor's assignments reach the call's queue: assigned queues only, or every queue when assigned to none and the policy says so. */
function supervisorReaches(actor: MonitoringActor, queue: string | null, policy: MonitoringPolicy): boolean {
  if (actor.supervisedQueues.length === 0) return policy.unassignedSupervisorsSeeAllQueues;
  // A call to a person (no queue) belongs to no supervisor's queue; only a see-all supervisor reaches it.
  return queue !== null && actor.supervisedQueues.includes(queue);
}

function refuse(code: 'FORBIDDEN' | 'CALL_NOT_LIVE' | 'CONFLICT', reason: string): MonitorAccess {
  return { allowed: false, code, reason };
}

/**
 * May this user monitor this call in this mode (issue 18 point 3)? Admins any call; supervisors the
 * calls of queues they supervise (see supervisorReaches); the quality role any call, listening only
 * unless the policy lets it whisper; operators never. Nobody monitors a call they are the agent on,
 * nor a call they are monitoring already (they switch the mode of that session instead).
 * `call` is null when the live state does not know the call.
 */
export function decideMonitorAccess(actor: MonitoringActor, call: MonitoredCall | null, mode: MonitorMode, policy: MonitoringPolicy): MonitorAccess {
  const modes = modesAllowedFor(actor.role, policy);
  if (modes.length === 0) return refuse('FORBIDDEN', `role ${actor.role} may not monitor calls`);
  if (!modes.includes(mode)) return refuse('FORBIDDEN', `role ${actor.role} may ${modes.join(' or ')} only, not ${mode}`);
  if (call === null) return refuse('CALL_NOT_LIVE', 'the call is not in progress');
  if (!call.live) return refuse('CALL_NOT_LIVE', `call ${call.callId} is not connected to an agent now`);
  if (actor.staffId !== null && call.agentStaffId === actor.staffId) return refuse('FORBIDDEN', 'nobody monitors their own call');
  if (actor.role === 'supervisor' && !supervisorReaches(actor, call.queue, policy)) {
    return refuse('FORBIDDEN', call.queue === null
      ? 'the call came to a person, not through a queue you supervise'
      : `queue ${call.queue} is not among the queues you supervise (${actor.supervisedQueues.join(', ')})`);
  }
  if (call.monitoredByUserIds.includes(actor.userId)) return refuse('CONFLICT', 'you are monitoring this call already: change the mode of that session');
  return { allowed: true };
}
