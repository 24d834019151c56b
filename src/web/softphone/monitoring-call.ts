/**
 * A monitoring call (issue 18): the server calls a supervisor's softphone
 * with a copy of a live call's audio, marked `X-Switchboard-Monitor: <mode>;
 * session=<id>` (src/sip/monitoring/sip-monitor-leg-placer.ts). The phone
 * answers it by itself, receive-only for listen, and plays every audio track
 * it carries (one per party: rtpengine 10.5 does not mix). Whisper and
 * barge add side calls (sideCallOf, src/web/softphone/side-calls.ts).
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

/**
 * A side call of monitoring (issue 18), which arrives while the phone is
 * already on a call: `talk` to a supervisor on their listen call (their
 * microphone, for whisper and barge), `coach` to the agent on the customer
 * call (the supervisor's whisper, heard by the agent only).
 */
export type SideCallKind = 'talk' | 'coach';

export interface SideCallInfo {
  kind: SideCallKind;
  /** The monitoring session's id, as the API knows it. */
  sessionId: string;
  /** talk: the monitored call, "<agent> ↔ <caller>"; coach: the supervisor's name. Empty when the server did not say. */
  label: string;
  /** A barge's coach leg (`mode=barge`): the caller hears the supervisor too. False for whisper and for talk legs. */
  callerHears: boolean;
}

const SIDE_KINDS: ReadonlySet<string> = new Set<SideCallKind>(['talk', 'coach']);

/** The header's parts: its first token (lower case), the session parameter, and the URI-decoded label. */
function monitorHeaderOf(header: string, label: string | null): { token: string; sessionId: string; mode: string; label: string } {
  const [first, ...params] = header.split(';').map((part) => part.trim());
  const param = (name: string): string => params.map((p) => new RegExp(`^${name}=(.+)$`, 'i').exec(p)?.[1]).find((v) => v !== undefined) ?? '';
  const sessionId = param('session');
  let decoded = label ?? '';
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // Shown as sent.
  }
  return { token: first?.toLowerCase() ?? '', sessionId, mode: param('mode').toLowerCase(), label: decoded };
}

/** The monitoring call an INVITE's headers describe, or null for any other call (side calls included). Pure. */
export function monitorOf(header: string | null, label: string | null): MonitorInfo | null {
  if (!header) return null;
  const parts = monitorHeaderOf(header, label);
  return MODES.has(parts.token) ? { mode: parts.token as MonitorMode, sessionId: parts.sessionId, label: parts.label } : null;
}

/** The side call an INVITE's headers describe (`X-Switchboard-Monitor: talk|coach; session=…`), or null. Pure. */
export function sideCallOf(header: string | null, label: string | null): SideCallInfo | null {
  if (!header) return null;
  const parts = monitorHeaderOf(header, label);
  if (!SIDE_KINDS.has(parts.token)) return null;
  return { kind: parts.token as SideCallKind, sessionId: parts.sessionId, label: parts.label, callerHears: parts.token === 'coach' && parts.mode === 'barge' };
}

/** The agent's side of a monitoring label "<agent> ↔ <caller>" (the whole label when it has no arrow). */
export function agentSideOf(label: string): string {
  return label.split('↔')[0]?.trim() ?? '';
}

/** Who hears a monitoring supervisor now. */
export type MonitorVoice = 'nobody' | 'starting' | 'agent' | 'both' | 'on';

/**
 * Who hears the supervisor, from the session's mode (the server's word) and
 * whether their talk leg is up: the talk leg is the truth about the
 * microphone, so a connected one is never shown as "nobody hears you", even
 * when the mode was switched elsewhere and this screen still says listen. Pure.
 */
export function monitorVoiceOf(mode: MonitorMode, talkConnected: boolean): MonitorVoice {
  if (talkConnected) return mode === 'whisper' ? 'agent' : mode === 'barge' ? 'both' : 'on';
  return mode === 'listen' ? 'nobody' : 'starting';
}

/**
 * Makes a session description handler keep every remote audio track. sip.js
 * keeps one remote audio track per session: when a second m= section brings
 * another it stops the first, and Chrome then routes the first party's
 * packets to the second party's receiver (one garbled stream). A monitoring
 * call has a section per party (rtpengine 10.5 does not mix), so its handler
 * adds each track to the remote stream and stops none.
 */
export function keepEveryRemoteTrack(handler: { remoteMediaStream: MediaStream }, onTrack?: (track: MediaStreamTrack) => void): void {
  const stream = handler.remoteMediaStream;
  (handler as unknown as { setRemoteTrack(track: MediaStreamTrack): void }).setRemoteTrack = (track) => {
    if (stream.getTrackById(track.id)) return;
    stream.addTrack(track);
    // A script's addTrack fires no 'addtrack' event: whoever plays the stream is told here.
    onTrack?.(track);
  };
}
