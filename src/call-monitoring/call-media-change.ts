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
