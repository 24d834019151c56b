import type { MonitorMode } from './monitor-mode';

/**
 * What carries the supervisor's voice in each monitoring mode (issue 18),
 * and the steps from one arrangement to another. Pure: the SIP side
 * (src/sip/monitoring) carries the steps out and keeps the arrangement that
 * really exists, so that a failed change can be walked back with the same
 * planner.
 *
 * The arrangement as rtpengine 10.5 can carry it (docs/call-monitoring.md):
 * - talk: a second call to the supervisor's softphone carrying their microphone into rtpengine;
 * - bridge: the conference mixer the caller is re-paired with (barge only), mixing the agent and
 *   the supervisor for the caller, and the caller and the supervisor for the agent;
 * - coach: a second call to the agent's softphone carrying either the supervisor alone ('talk',
 *   whisper) or the mixer's output for the agent ('mix', barge).
 */
export interface VoiceArrangement {
  talk: boolean;
  bridge: boolean;
  coach: 'talk' | 'mix' | null;
}

export type VoiceStep =
  | 'place-talk'
  | 'end-talk'
  | 'start-bridge'
  | 'end-bridge'
  | 'place-coach-talk'
  | 'place-coach-mix'
  /** Ends the OLDEST coach call: after a place-coach, the one it replaces. */
  | 'end-coach';

export const LISTEN_ONLY: Readonly<VoiceArrangement> = { talk: false, bridge: false, coach: null };

/** The arrangement a mode needs. */
export function arrangementFor(mode: MonitorMode): VoiceArrangement {
  switch (mode) {
    case 'listen':
      return { ...LISTEN_ONLY };
    case 'whisper':
      return { talk: true, bridge: false, coach: 'talk' };
    case 'barge':
      return { talk: true, bridge: true, coach: 'mix' };
  }
}

/**
 * The steps from `from` to `to`, in the order that keeps people from hearing
 * what they should not, or nothing:
 * - the supervisor's talk call comes first and goes last (every other piece feeds on it);
 * - a coach call being dropped goes before the bridge changes; one being replaced goes after:
 *   the new one is up before the old one ends, so the agent is never cut off the supervisor;
 * - the bridge ends before the agent's new coach call carries the supervisor alone, so the agent
 *   hears the caller on their own call again (restored pairing) while it rings.
 */
export function voiceSteps(from: Readonly<VoiceArrangement>, to: Readonly<VoiceArrangement>): VoiceStep[] {
  const steps: VoiceStep[] = [];
  if (to.talk && !from.talk) steps.push('place-talk');
  if (from.coach !== null && to.coach === null) steps.push('end-coach');
  if (to.bridge && !from.bridge) steps.push('start-bridge');
  if (!to.bridge && from.bridge) steps.push('end-bridge');
  if (to.coach !== null && to.coach !== from.coach) {
    steps.push(to.coach === 'talk' ? 'place-coach-talk' : 'place-coach-mix');
    if (from.coach !== null) steps.push('end-coach');
  }
  if (!to.talk && from.talk) steps.push('end-talk');
  return steps;
}

/** The arrangement after `step` succeeded on `current`. */
export function afterStep(current: Readonly<VoiceArrangement>, step: VoiceStep, coachCallsLeft: number): VoiceArrangement {
  switch (step) {
    case 'place-talk':
      return { ...current, talk: true };
    case 'end-talk':
      return { ...current, talk: false };
    case 'start-bridge':
      return { ...current, bridge: true };
    case 'end-bridge':
      return { ...current, bridge: false };
    case 'place-coach-talk':
      return { ...current, coach: 'talk' };
    case 'place-coach-mix':
      return { ...current, coach: 'mix' };
    case 'end-coach':
      // Ending the one being replaced leaves the new one; ending the only one leaves none.
      return { ...current, coach: coachCallsLeft > 0 ? current.coach : null };
  }
}

/**
 * Why `mode` cannot reach these devices, or null when it can. The talk and coach calls are second
 * calls that only the browser softphone answers by itself while already on a call; a desk phone
 * would ring as call waiting, so whisper and barge need softphones on both sides.
 */
export function voiceDeviceProblem(mode: MonitorMode, devices: { supervisor: 'webrtc' | 'sip'; agent: 'webrtc' | 'sip' }): string | null {
  if (mode === 'listen') return null;
  if (devices.supervisor !== 'webrtc') {
    return `${mode} needs the supervisor on the browser softphone, which takes the call carrying their microphone by itself; the monitoring call went to a desk phone`;
  }
  if (devices.agent !== 'webrtc') {
    return `${mode} needs the agent on the browser softphone, which takes the coaching call by itself during the customer's call; the agent talks on a desk phone`;
  }
  return null;
}
