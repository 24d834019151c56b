import type { MonitorMode } from '../call-monitoring/monitor-mode';

/**
 * Which monitoring modes the media can carry with rtpengine 10.5 (the Debian
 * 12 package this stack runs), and what is missing for the others
 * (docs/call-monitoring.md has the evidence). Pure: whether the conference
 * mixer can run is probed once by `probeConferenceMixer`
 * (src/media/gstreamer-probe.ts) and passed in.
 *
 * - listen: `subscribe request` with both parties' tags — one sendonly m=
 *   section per party, the supervisor's device plays both.
 * - whisper: needs nothing beyond rtpengine 10.5. The supervisor's "talk"
 *   leg sends into the call (MonitorTalkSource); a second, auto-answered
 *   "coach" call to the agent's device subscribes to it. The caller's stream
 *   is untouched, so the caller cannot hear it.
 * - barge: the caller (one audio stream) must hear the agent and the
 *   supervisor mixed. rtpengine 10.5 forwards streams but cannot mix them
 *   (its audio player came in mr11.3, `connect` in mr13.2, `inject start` in
 *   mr26.0), so a GStreamer audiomixer does (BargeBridge, ConferenceMixer):
 *   it needs gst-launch-1.0 with audiomixer and the RTP/UDP elements.
 */
export function mediaMonitorModes(mixerAvailable: boolean): readonly MonitorMode[] {
  return mixerAvailable ? ['listen', 'whisper', 'barge'] : ['listen', 'whisper'];
}

/** The modes without the mixer: what is certain before GStreamer was probed. */
export const MEDIA_MONITOR_MODES: readonly MonitorMode[] = mediaMonitorModes(false);

const BARGE_NEEDS_MIXER =
  'barge needs the caller to hear the agent and the supervisor mixed into their one audio stream: rtpengine 10.5 forwards streams but cannot mix ' +
  'them, and the conference mixer that does (GStreamer audiomixer) is not installed — Debian packages gstreamer1.0-tools, ' +
  'gstreamer1.0-plugins-base and gstreamer1.0-plugins-good';

/**
 * Why the media cannot carry `mode`, or null when it can. `mixerAvailable`:
 * whether GStreamer's audiomixer can run here (probeConferenceMixer).
 */
export function unsupportedMonitorMode(mode: MonitorMode, mixerAvailable = false): string | null {
  return mode === 'barge' && !mixerAvailable ? BARGE_NEEDS_MIXER : null;
}
