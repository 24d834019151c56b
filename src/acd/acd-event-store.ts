/** One ACD event as stored for reports. */
export interface AcdEventRecord {
  /** The Redis stream entry id: unique, so writing a batch twice stores it once. */
  streamId: string;
  at: Date;
  type: string;
  callId: string | null;
  /** The staff id, when the ACD agent id is one. */
  agentId: number | null;
  queue: string | null;
  /** The event as published. */
  data: unknown;
}

/**
 * Where AcdEventWriter keeps the events for reports. The ACD names what it
 * needs and src/db implements it (acdEventStore), so that the ACD does not
 * depend on the storage layer (docs/architecture.md §2).
 */
export interface AcdEventStore {
  /**
   * Stores a batch at once. Events whose stream id is already stored are
   * skipped: the writer sends a batch again after a crash between the write
   * and its acknowledgement. Resolves how many were new.
   */
  insertEvents(records: readonly AcdEventRecord[]): Promise<number>;
}
