import type { LegKind } from '../../media/media-leg';
import type { CallStanding } from '../../call-monitoring/call-media-change';
import type { MediaChangeHook } from './media-change-hooks';

/**
 * What monitoring needs of a live call (issue 18): where its media is and
 * which rtpengine tags carry each party, so that their audio can be forked
 * without touching the call's own legs.
 */
export interface MonitoredCall {
  /** The call's rtpengine call-id. */
  mediaCallId: string;
  /** The rtpengine the call is on (its ng address), or null when the process has a single unnamed one. */
  engine: string | null;
  /** The rtpengine tag of the caller's leg: what the caller says arrives on it. */
  callerTag: string;
  /** The rtpengine tag of the connected agent's leg: what the agent says arrives on it. */
  agentTag: string;
  agentStaffId: number;
  /** What the agent talks on: only a browser softphone takes the coaching call of whisper and barge by itself. */
  agentKind: LegKind;
  /** The caller's and the agent's latest SDPs, read when a barge re-pairs the caller with its mixer (null before there is one). */
  latestSdps(): { caller: string | null; agent: string | null };
  /** The caller's number as it reached us (E.164 when known). */
  callerNumber: string;
  /** Settles when the call ends, however it ends. */
  ended: Promise<void>;
  /**
   * Registers `hook`, which the call awaits before it changes its own media (a re-INVITE from either side,
   * a warm or blind transfer): a whisper or barge steps aside first (modeBeforeCallChange). Returns the
   * function that removes it.
   */
  beforeMediaChange(hook: MediaChangeHook): () => void;
  /** Where the call stands now, for the voice to refuse what the call would undo (voiceRefusal). */
  standing(): CallStanding;
}

/** The live calls of this process that can be monitored. */
export interface MonitoredCalls {
  /** The call if it is live here with caller and agent talking; null otherwise (ringing, in the IVR, ended, on another node). */
  monitored(callId: string): MonitoredCall | null;
}
