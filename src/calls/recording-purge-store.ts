/** A recording whose time is up. */
export interface RecordingDueForPurge {
  id: string;
  callId: string;
  filePath: string;
}

/**
 * What purgeExpiredRecordings needs from storage. Calls names it and src/db
 * implements it (recordingPurgeStore), so that calls does not depend on the
 * storage layer (docs/architecture.md §2).
 */
export interface RecordingPurgeStore {
  /**
   * Recordings not purged yet whose time is up at `now`: their own
   * purge_after when set, else created + `retentionMs` (null retention: only
   * those with a purge_after). Oldest first, at most `limit`.
   */
  listDueForPurge(options: { now: number; retentionMs: number | null; limit: number }): Promise<RecordingDueForPurge[]>;
  /** Marks a recording purged (its file is gone); false when it already was. */
  markPurged(id: string, at: number): Promise<boolean>;
}
