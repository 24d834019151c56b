import type { MonitorMode } from './monitor-mode';

/**
 * What the monitored call itself is about to do to its media (issue 18): each is an offer/answer between
 * the caller's and the agent's rtpengine monologues, or moves the agent's leg.
 * - a re-INVITE from the caller or the agent (hold, resume, a codec or address change);
 * - a warm transfer starting (the caller re-paired with music, the agent with the consulted party);
 * - a blind transfer (the agent's leg goes; another agent's comes later).
 */
export type CallMediaChange = 'caller-reinvite' | 'agent-reinvite' | 'warm-transfer' | 'blind-transfer';

export interface ForcedMode {
  mode: MonitorMode;
  /** For the log and the people reading it: why the supervisor's voice went. */
  why: string;
}

const WHY: Record<CallMediaChange, string> = {
  'caller-reinvite': 'the caller re-negotiated the call\'s media',
  'agent-reinvite': 'the agent held, resumed or re-negotiated the call',
  'warm-transfer': 'the agent started a warm transfer',
  'blind-transfer': 'the agent transferred the call',
};

/**
 * The mode a monitoring session must drop to before `change` goes ahead, or null when it may stay.
 *
 * Barge re-pairs the caller's monologue with the conference mixer: the call's own offer/answer would pair
 * the caller with the agent again behind its back (the mixer left running, fed by nothing) and the bridge's
 * end would later re-pair with the SDPs of before the change. Whisper's coaching call goes to the agent's
 * softphone: a transfer changes who the agent is, and a re-negotiation may move the agent's monologue the
 * coach and talk calls were set up around. So a contact centre's rule, and ours: before any change to the
 * call's media the supervisor falls back to listening — heard by nobody, which is always safe — and may
 * whisper or barge again once the change is done. Listening itself stays: its fork touches neither party.
 */
export function modeBeforeCallChange(mode: MonitorMode, change: CallMediaChange): ForcedMode | null {
  if (mode === 'listen') return null;
  return { mode: 'listen', why: `${WHY[change]}: the supervisor ${mode === 'barge' ? 'left the call' : 'stopped whispering'} and listens` };
}

/** Where the monitored call stands when a supervisor asks to whisper or barge (MonitoredCall.standing). */
export interface CallStanding {
  /** A re-INVITE or a transfer is being carried out: its offer/answer must not cross a barge's re-pairing. */
  mediaChanging: boolean;
  /** A warm transfer consults: the caller is on music, the agent talks with the consulted party. */
  consulting: boolean;
  /** The agent the session was set up around has left the call (a transfer): the coach call would go to them. */
  agentLeft: boolean;
  /** The agent holds the caller. */
  onHold: boolean;
}

/**
 * Why whisper or barge cannot start now, or null when they can. Every case is one the call itself undoes
 * or that would reach the wrong person: the supervisor may try again once the call is back to the caller
 * and the agent talking. Barge on hold would let the caller hear what the agent put them on hold not to.
 */
export function voiceRefusal(mode: MonitorMode, standing: CallStanding): string | null {
  if (mode === 'listen') return null;
  if (standing.agentLeft) return `${mode} is not possible: the agent the monitoring was set up with has left the call (transferred)`;
  if (standing.consulting) return `${mode} is not possible while the agent consults for a warm transfer; try again once it is done`;
  if (standing.mediaChanging) return `${mode} is not possible while the call is being held, resumed or transferred; try again in a moment`;
  if (mode === 'barge' && standing.onHold) return 'barge is not possible while the agent holds the caller: the caller would hear the agent; whisper is';
  return null;
}
