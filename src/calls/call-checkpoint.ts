import type { CallRecord } from './call-record';
import { finishCallRecord, type CallRecordSnapshot } from './call-record-snapshot';

/**
 * A live call as its process last saved it (issue 14): the record so far and
 * what its media is, so that if the process dies (SIGKILL, a crash, a machine
 * gone) a survivor or the next start can end the call's record as
 * `interrupted`, delete its rtpengine session and convert its recording.
 * Plain JSON: it waits in Redis, like the call-record outbox.
 */
export interface CallCheckpoint {
  readonly snapshot: CallRecordSnapshot;
  readonly media: CheckpointMedia | null;
  /** drachtio-server's ids of the call's live SIP dialogs (caller, agent): a survivor sends each a BYE. */
  readonly legs?: readonly string[];
  /** When the process saved it (epoch ms). */
  readonly savedAt: number;
}

/** The call's media as a survivor needs it. */
export interface CheckpointMedia {
  /** rtpengine's call-id. */
  readonly callId: string;
  /**
   * The rtpengine the call is on, by its ng address (`udp://host:port`), with
   * several (issue 14); absent in checkpoints written before, which were all
   * on the one engine there was.
   */
  readonly engine?: string;
  readonly callerTag: string;
  readonly callerPorts: readonly number[];
  readonly agentPorts: readonly number[];
  /** The recording's id on the record and when it started, if the call was recorded. */
  readonly recording: { readonly id: string; readonly startedAt: number } | null;
}

/**
 * The record a survivor stores for a call whose process stopped: ended by the
 * system at `at` with outcome `interrupted`, the process named in the cause;
 * a recorded call says on its `ended` event that the survivor converts the
 * capture (its recording row follows once converted). Pure.
 */
export function interruptedCallRecord(checkpoint: CallCheckpoint, options: { at: number; deadNode: string; recorded: boolean }): CallRecord {
  return finishCallRecord(checkpoint.snapshot, {
    side: 'system',
    cause: `interrupted: the process handling the call stopped (${options.deadNode})`,
    outcome: 'interrupted',
    at: options.at,
    note: {
      interrupted: { node: options.deadNode, lastSavedAt: checkpoint.savedAt },
      ...(options.recorded ? { recording: 'converted by the survivor from the raw capture' } : {}),
    },
  });
}

/** Parses a stored checkpoint; null for anything that is not one (logged by the caller, never thrown). */
export function parseCallCheckpoint(raw: string): CallCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const c = value as Partial<CallCheckpoint>;
  const snapshot = c.snapshot as Partial<CallRecordSnapshot> | undefined;
  if (!snapshot || typeof snapshot.state !== 'string' || !Array.isArray(snapshot.events) || !snapshot.facts || typeof snapshot.facts.id !== 'string') return null;
  if (typeof c.savedAt !== 'number') return null;
  return c as CallCheckpoint;
}
