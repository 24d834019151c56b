import type { TimeRange } from './report-rollups';

/** The rollup job's bookkeeping (report_rollup_state). */
export interface RollupState {
  /** What the rows mean (ROLLUP_DEFINITION when they were built). */
  definition: string;
  /** Hours before this are rolled up; later ones are read raw. */
  sealedUntil: Date;
  /** Rows changed at or after this instant have not been looked at yet. */
  changesSince: Date;
  /** The zone whose local days the daily agent rows are; null before they are built. */
  dayZone: string | null;
}

/**
 * What ReportRollupJob needs from storage. Reports names it and src/db
 * implements it (rollupStore), so that reports does not depend on the
 * storage layer (docs/architecture.md §2).
 */
export interface RollupStore {
  /**
   * Runs `work` in one session holding the rollup lock, so that of several
   * processes sharing the database one runs the job at a time. Resolves
   * { ran: false } at once when another process holds it. The lock goes with
   * the session if the process dies.
   */
  withLockedSession<T>(work: (session: RollupSession) => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/**
 * One session holding the rollup lock. Its steps run one after another on
 * the same connection; a step outside inTransaction commits on its own.
 */
export interface RollupSession {
  /** Runs `work` in a transaction; rolls back on any throw. */
  inTransaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * The database's clock for one run: the hour in progress (everything before
   * it can be sealed), and the mark the next run looks for changes from (the
   * start of the oldest transaction still open, which may yet commit rows).
   */
  captureClock(): Promise<{ changeMark: Date; currentHour: Date }>;
  /** The bookkeeping as stored, whatever definition built it; null before the first run. */
  readState(): Promise<RollupState | null>;
  saveState(state: RollupState): Promise<void>;
  /** Empties every rollup table and stores `state` (first run, or the definitions changed). */
  resetRollups(state: RollupState): Promise<void>;
  /** Empties the daily rows only (their zone changed). */
  resetDays(): Promise<void>;
  /** The hour of the earliest call or ACD event, where a first build starts; null when there is none. */
  earliestActivityHour(): Promise<Date | null>;
  /** The first hour with an agent row, where building the days of a new zone starts; null when there is none. */
  firstAgentHour(): Promise<Date | null>;
  /** The sealed hours (before `sealedUntil`) whose figures rows written since `since` may have changed. */
  touchedHours(since: Date, sealedUntil: Date): Promise<Date[]>;
  /** Recomputes the whole UTC hours of `range` from the raw rows (idempotent). */
  rebuildHours(range: TimeRange): Promise<void>;
  /** Rewrites the daily agent rows of `zone` overlapping `range`, listing only days wholly before `sealedUntil`. */
  rebuildDays(range: TimeRange, sealedUntil: Date, zone: string): Promise<void>;
  /** Refreshes the tables' statistics after a big build; outside any transaction. */
  vacuum(): Promise<void>;
}
