import type { CallRecord } from './call-record';
import type { RecordingMetadata, WrapUpRecord } from './recording-metadata';

/** What a write did. `duplicate`: already stored (a retry after a lost acknowledgement). */
export type CallWriteResult = 'written' | 'duplicate';

/** As CallWriteResult; `call_missing`: the call row is not there yet (it may still be in the outbox). */
export type CallDetailWriteResult = CallWriteResult | 'call_missing';

/**
 * Where CallRecordWriter stores finished calls. Calls names what it needs and
 * src/db implements it (callRecordStore), so that calls does not depend on
 * the storage layer (docs/architecture.md §2).
 *
 * Every write must be idempotent — on the call id, the event (call id, seq),
 * the recording id and (call id, staff id) — because the writer repeats a
 * write whose acknowledgement was lost, and two drainers may write one item.
 */
export interface CallRecordStore {
  /** The call's row and its whole timeline, in one transaction. */
  writeCall(record: CallRecord): Promise<CallWriteResult>;
  writeRecording(recording: RecordingMetadata): Promise<CallDetailWriteResult>;
  writeWrapUp(wrapUp: WrapUpRecord): Promise<CallDetailWriteResult>;
  /**
   * True when a write failed because of what was written: the same write will
   * fail the same way, so the writer sets it aside as a dead letter. False
   * for whatever may pass later (the store unreachable, restarting, a timeout),
   * which the writer retries from the outbox.
   */
  isPermanentError(err: unknown): boolean;
}
