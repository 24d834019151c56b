/**
 * Voicemail (issue 17 point 3): a message a caller left, owned by a queue
 * (everyone who works it) or by one person (a direct call they did not
 * answer). The audio is the call's recording (recordings table), so it is
 * kept and purged exactly like recordings are.
 */

/** Who a message is for. */
export type VoicemailOwner = { kind: 'queue'; queue: string } | { kind: 'staff'; staffId: number };

/** A message as the call session stores it, once the caller has finished. */
export interface NewVoicemail {
  id: string;
  callId: string;
  /** The call's recording the message is in (written when the call ends, after this row). */
  recordingId: string;
  /** Where in the recording the message starts (0 unless the call was recorded before, e.g. a transferred call). */
  offsetMs: number;
  callerNumber: string;
  clientId: number | null;
  owner: VoicemailOwner;
  recordedAt: Date;
  durationMs: number;
  /** Why the recording stopped. */
  endedBy: VoicemailStop;
}

/** What a call session needs from storage; src/db implements it. */
export interface VoicemailStore {
  add(message: NewVoicemail): Promise<void>;
}

/** Why a message ended: the caller pressed #, hung up, or reached the longest message allowed. */
export type VoicemailStop = 'hash' | 'hangup' | 'max_length';

/** The digit that ends a message (RFC 4733 event 11). */
export const VOICEMAIL_END_DIGIT = '#';

/** Under this a message is a hang-up at the beep, not a message: not stored. */
export const MIN_VOICEMAIL_MS = 500;

/** Whether a recording of `durationMs` that ended by `stop` is worth keeping as a message. */
export function isKeptVoicemail(durationMs: number, stop: VoicemailStop): boolean {
  // A caller who presses # at once meant to leave nothing; one who hung up at the beep likewise.
  return stop === 'max_length' || durationMs >= MIN_VOICEMAIL_MS;
}

/** The user asking, as far as voicemail rights go. */
export interface VoicemailReader {
  role: 'admin' | 'supervisor' | 'operator';
  staffId: number | null;
  /** Names of the queues the person is a member of. */
  memberOf: readonly string[];
}

/**
 * Who may list, play and close a message: a queue's message — its members
 * and every supervisor or admin; a person's message — that person only (a
 * personal message is not the floor's business).
 */
export function mayReadVoicemail(reader: VoicemailReader, owner: VoicemailOwner): boolean {
  if (owner.kind === 'staff') return reader.staffId !== null && reader.staffId === owner.staffId;
  return reader.role !== 'operator' || reader.memberOf.includes(owner.queue);
}

/** What a call session needs for voicemail (built once per process). */
export interface VoicemailSettings {
  store: VoicemailStore;
  /** The longest message; the recording stops there (config voicemail.maxSeconds). */
  maxLengthMs: number;
  /** The tone after the greeting; null plays none. */
  beepFile: string | null;
}
