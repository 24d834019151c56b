import type { MonitorMode } from '../call-monitoring/monitor-mode';

/**
 * Which monitoring modes rtpengine 10.5 (the Debian 12 package this stack
 * runs) can carry, and why not the others (docs/call-monitoring.md has the
 * evidence). Pure.
 *
 * - listen: `subscribe request` with both parties' tags — one sendonly m=
 *   section per party, the supervisor's device plays both.
 * - barge: the caller must hear the supervisor on the one audio stream it
 *   has. That needs rtpengine to mix two sources into one output: its audio
 *   player (since mr11.3), `connect` (since mr13.2) or `inject start` (since
 *   mr26.0); 10.5 forwards each source as its own stream and has no mixer,
 *   and no conference mixer runs in this stack.
 * - whisper: the agent must hear the supervisor and the caller must not. In
 *   10.5 it can only reach the agent as a second call (a `publish` of the
 *   supervisor's audio and a subscription to it on a call to the agent's
 *   device), which is not built yet.
 */
export const MEDIA_MONITOR_MODES: readonly MonitorMode[] = ['listen'];

const WHY_NOT: Readonly<Record<Exclude<MonitorMode, 'listen'>, string>> = {
  barge:
    'barge needs the caller to hear the supervisor mixed into their one audio stream: rtpengine 10.5 forwards streams but cannot mix them ' +
    '(its audio player came in mr11.3, `connect` in mr13.2, `inject start` in mr26.0) and no conference mixer runs in this stack',
  whisper:
    'whisper needs the supervisor heard by the agent only: rtpengine 10.5 cannot mix it into the agent\'s stream, and the second call to the ' +
    'agent\'s device that would carry it (publish + subscribe) is not built yet',
};

/** Why the media cannot carry `mode`, or null when it can. */
export function unsupportedMonitorMode(mode: MonitorMode): string | null {
  return mode === 'listen' ? null : WHY_NOT[mode];
}
