import type { AcdEvent } from './acd-event';

/** What a replay of the event stream found. */
export interface AssignmentAudit {
  /** call_reserved events seen. */
  reservations: number;
  /** call_answered events seen. */
  answers: number;
  /** Every broken rule, in stream order, as a readable sentence; empty when all held. */
  violations: string[];
}

/**
 * Replays ACD events in stream order (the true order of changes: each event is
 * appended inside the script that made the change) and checks the assignment
 * rules of the ACD:
 *
 * - a call is reserved for at most one agent at a time, only from `waiting`,
 *   and answered at most once, by the agent it was reserved for;
 * - an agent holds at most one call at a time, and its state moves follow on
 *   from each other (`from` is the state the last event left it in);
 * - at the end of the stream no reservation is left open (reserved or offered
 *   and never answered, released, abandoned or lost).
 *
 * Pure, so the checker itself can be shown to catch each broken rule on
 * hand-built sequences, and then trusted on real multi-process runs.
 */
export function auditAssignments(events: Iterable<AcdEvent>): AssignmentAudit {
  const violations: string[] = [];
  const agentState = new Map<string, string>();
  /** The call each agent holds (reserved for it, or on it). */
  const agentCall = new Map<string, string>();
  /** The agent each call is reserved for and not yet connected to. */
  const openReservation = new Map<string, string>();
  /** The agent each connected call is with. */
  const connectedTo = new Map<string, string>();
  const answered = new Map<string, number>();
  let reservations = 0;

  for (const e of events) {
    switch (e.type) {
      case 'agent_state': {
        const before = agentState.get(e.agentId) ?? 'logged_out';
        if (before !== e.from) violations.push(`agent ${e.agentId} moved from ${e.from} but was ${before}`);
        agentState.set(e.agentId, e.to);
        const holding = agentCall.get(e.agentId);
        if (e.to === 'reserved') {
          if (holding !== undefined) violations.push(`agent ${e.agentId} reserved for ${e.callId ?? '?'} while holding ${holding}`);
          agentCall.set(e.agentId, e.callId ?? '?');
        } else if (e.to === 'on_call') {
          if (holding !== e.callId) violations.push(`agent ${e.agentId} on ${e.callId ?? '?'} but reserved for ${holding ?? 'nothing'}`);
        } else {
          agentCall.delete(e.agentId);
        }
        break;
      }
      case 'call_reserved': {
        reservations += 1;
        const held = openReservation.get(e.callId) ?? connectedTo.get(e.callId);
        if (held !== undefined) violations.push(`call ${e.callId} reserved for ${e.agentId} while held by ${held}`);
        if (e.from !== 'waiting') violations.push(`call ${e.callId} reserved from ${e.from ?? '?'}`);
        if (agentCall.get(e.agentId) !== e.callId) {
          violations.push(`call ${e.callId} reserved for ${e.agentId}, who holds ${agentCall.get(e.agentId) ?? 'nothing'}`);
        }
        openReservation.set(e.callId, e.agentId);
        break;
      }
      case 'call_answered': {
        answered.set(e.callId, (answered.get(e.callId) ?? 0) + 1);
        const reservedFor = openReservation.get(e.callId);
        if (reservedFor !== e.agentId) violations.push(`call ${e.callId} answered by ${e.agentId}, reserved for ${reservedFor ?? 'nobody'}`);
        openReservation.delete(e.callId);
        connectedTo.set(e.callId, e.agentId);
        break;
      }
      case 'call_released':
      case 'call_abandoned':
      case 'call_lost':
      case 'call_completed':
        openReservation.delete(e.callId);
        connectedTo.delete(e.callId);
        break;
      default:
        break;
    }
  }
  for (const [callId, n] of answered) if (n > 1) violations.push(`call ${callId} answered ${n} times`);
  for (const [callId, agentId] of openReservation) violations.push(`call ${callId} left reserved for ${agentId}`);
  for (const [agentId, callId] of agentCall) {
    if (agentState.get(agentId) === 'reserved') violations.push(`agent ${agentId} left reserved for ${callId}`);
  }
  return { reservations, answers: [...answered.values()].reduce((a, b) => a + b, 0), violations };
}
