/**
 * A monitoring call (issue 18): the server calls a supervisor's softphone
 * with a copy of a live call's audio, marked `X-Switchboard-Monitor: <mode>;
 * session=<id>` (src/sip/monitoring/sip-monitor-leg-placer.ts). The phone
 * answers it by itself, receive-only for listen, and plays every audio track
 * it carries (one per party: rtpengine 10.5 does not mix).
 */
export type MonitorMode = 'listen' | 'whisper' | 'barge';

export interface MonitorInfo {
  mode: MonitorMode;
  /** The monitoring session's id, as the API knows it. */
  sessionId: string;
  /** Who is being listened to, "<agent> ↔ <caller>"; empty when the server did not say. */
  label: string;
}

const MODES: ReadonlySet<string> = new Set<MonitorMode>(['listen', 'whisper', 'barge']);

/** The monitoring call an INVITE's headers describe, or null for any other call. Pure. */
export function monitorOf(header: string | null, label: string | null): MonitorInfo | null {
  if (!header) return null;
  const [modePart, ...params] = header.split(';').map((part) => part.trim());
  const mode = modePart?.toLowerCase() ?? '';
  if (!MODES.has(mode)) return null;
  const session = params.map((p) => /^session=(.+)$/i.exec(p)?.[1]).find((v) => v !== undefined) ?? '';
  let decoded = label ?? '';
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // Shown as sent.
  }
  return { mode: mode as MonitorMode, sessionId: session, label: decoded };
}

/**
 * Makes a session description handler keep every remote audio track. sip.js
 * keeps one remote audio track per session: when a second m= section brings
 * another it stops the first, and Chrome then routes the first party's
 * packets to the second party's receiver (one garbled stream). A monitoring
 * call has a section per party (rtpengine 10.5 does not mix), so its handler
 * adds each track to the remote stream and stops none.
 */
export function keepEveryRemoteTrack(handler: { remoteMediaStream: MediaStream }): void {
  const stream = handler.remoteMediaStream;
  (handler as unknown as { setRemoteTrack(track: MediaStreamTrack): void }).setRemoteTrack = (track) => {
    if (!stream.getTrackById(track.id)) stream.addTrack(track);
  };
}
