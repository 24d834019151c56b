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
 * Collects the remote audio tracks of a monitoring call as they arrive. sip.js
 * keeps one remote audio track per session and stops the previous one when a
 * second m= section brings another, so each track is cloned on arrival: the
 * clone keeps playing whatever sip.js does to the original.
 */
export class MonitorTracks {
  private readonly collected: MediaStreamTrack[] = [];

  add(track: MediaStreamTrack): void {
    if (track.kind === 'audio') this.collected.push(track.clone());
  }

  get tracks(): readonly MediaStreamTrack[] {
    return this.collected;
  }

  stop(): void {
    for (const track of this.collected) track.stop();
    this.collected.length = 0;
  }
}
