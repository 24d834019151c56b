import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger';
import type { RecordingPurgeStore } from './recording-purge-store';

export interface RecordingRetentionOptions {
  /** Where the recordings' rows are (Postgres in the system: recordingPurgeStore in src/db). */
  readonly store: RecordingPurgeStore;
  /** Only files under this directory are ever deleted, whatever a row says. */
  readonly recordingsDir: string;
  /** How long recordings are kept; null keeps them until their own purge_after, if any. */
  readonly retentionMs: number | null;
  readonly logger: Logger;
  /** The moment to purge as of (default: now). */
  readonly now?: number;
  /** Most recordings handled in one run (default 500); the next run continues. */
  readonly limit?: number;
}

/** What one purge run did. */
export interface RecordingPurgeReport {
  /** Files deleted (or already gone) and rows marked purged. */
  readonly purged: number;
  /** The file was already missing; the row is marked all the same. */
  readonly alreadyMissing: number;
  /** Could not be deleted (permissions, a path outside the recordings directory); left for a person, logged. */
  readonly failed: number;
}

/**
 * Deletes the files of recordings whose retention is over and marks their rows
 * purged (recordings.purged_at). The row stays: the call keeps "recorded,
 * purged on …". A recording's own purge_after overrides the retention (keep
 * longer for a complaint, shorter on request).
 *
 * The file goes first, then the row: a crash in between leaves a marked-later
 * row whose file is already gone, which the next run finishes. Several
 * processes may run it at once; a missing file and an already-marked row are
 * both fine.
 */
export async function purgeExpiredRecordings(options: RecordingRetentionOptions): Promise<RecordingPurgeReport> {
  const now = options.now ?? Date.now();
  const root = path.resolve(options.recordingsDir);
  const due = await options.store.listDueForPurge({ now, retentionMs: options.retentionMs, limit: options.limit ?? 500 });
  let purged = 0;
  let alreadyMissing = 0;
  let failed = 0;
  for (const recording of due) {
    const file = path.resolve(recording.filePath);
    // A corrupted or hand-edited row must never make the purge delete something else.
    if (!file.startsWith(root + path.sep)) {
      failed += 1;
      options.logger.error({ recordingId: recording.id, callId: recording.callId, file, recordingsDir: root }, 'recording file is outside the recordings directory; not deleted');
      continue;
    }
    try {
      await unlink(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        alreadyMissing += 1;
      } else {
        failed += 1;
        options.logger.error({ recordingId: recording.id, file, err: (err as Error).message }, 'could not delete an expired recording; will retry');
        continue;
      }
    }
    await options.store.markPurged(recording.id, now);
    purged += 1;
  }
  if (due.length > 0) options.logger.info({ purged, alreadyMissing, failed }, 'expired recordings purged');
  return { purged, alreadyMissing, failed };
}
