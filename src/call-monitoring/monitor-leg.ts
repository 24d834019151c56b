import type { ForcedMode } from './call-media-change';
import type { MonitorMode } from './monitor-mode';

/**
 * The port between the call-monitoring service (who may monitor what, the
 * audit, the API) and the telephony that carries it (src/sip places a call to
 * the supervisor's device, src/media forks the live call's audio to it).
 * The service decides; the placer only carries out.
 */
export interface MonitorLegRequest {
  /** The monitoring session's id (uuid): also the audit row's. */
  sessionId: string;
  /** The live call being monitored: calls.id. */
  callId: string;
  mode: MonitorMode;
  /** Whose registered device(s) get the monitoring call. */
  supervisorStaffId: number;
  /** Site policy: a short tone to both parties when monitoring starts. */
  announce: boolean;
  /**
   * The call changed the mode by itself (modeBeforeCallChange: a hold or a transfer drops whisper and barge to
   * listen). Awaited before the voice goes, so that the record says so before the supervisor's phone shows it.
   */
  onModeForced?: (forced: ForcedMode) => Promise<void>;
}

export type MonitorLegEndReason = 'supervisor_hung_up' | 'call_ended' | 'stopped' | 'failed';

export interface MonitorLegEnd {
  reason: MonitorLegEndReason;
  detail?: string;
}

export interface MonitorLeg {
  /** Switches listen ⇄ whisper ⇄ barge on the same leg; rejects with AppError MONITOR_MODE_UNSUPPORTED when the media cannot. */
  changeMode(mode: MonitorMode): Promise<void>;
  /** Hangs the supervisor's leg up and removes the fork; idempotent. */
  stop(): Promise<void>;
  /** Settles once, whoever ended the leg. */
  readonly ended: Promise<MonitorLegEnd>;
}

export interface MonitorLegPlacer {
  /** What the media engine as deployed can carry (barge: whether the conference mixer is installed), so the API and UI offer only these. */
  supportedModes(): Promise<readonly MonitorMode[]>;
  /** Rejects with AppError CALL_NOT_LIVE, NO_DEVICE, MONITOR_MODE_UNSUPPORTED or DEPENDENCY_DOWN. */
  place(request: MonitorLegRequest): Promise<MonitorLeg>;
}
