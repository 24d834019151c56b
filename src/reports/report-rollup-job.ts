import type { Logger } from '../logger';
import { assertTimeZone } from '../acd/calendar-day';
import type { RollupSession, RollupState, RollupStore } from './report-rollup-store';
import { HOUR_MS, ROLLUP_DEFINITION, hourRanges, type TimeRange } from './report-rollups';

export interface ReportRollupJobOptions {
  /** Where the rollups are kept (Postgres in the system: rollupStore in src/db). */
  store: RollupStore;
  logger: Logger;
  /** Pause between the end of one run and the start of the next. */
  everyMs?: number;
  /** Pause before the first run, so that starting the process is not slowed by it. */
  firstRunAfterMs?: number;
  /** Hours rebuilt per transaction: bounds how long one transaction holds its rows. */
  chunkHours?: number;
  /**
   * The zone whose local days the daily agent rows are (REPORTS_TIME_ZONE, the
   * reports' default): reports by day or week in a zone with the same
   * midnights read a year as ~365 rows per agent instead of ~8,760.
   */
  dayTimeZone?: string;
}

/** What one run did. */
export interface RollupRunResult {
  /** False when another process holds the lock (it is doing the work). */
  ran: boolean;
  /** The tables were emptied and the build starts over (first run, or changed definitions). */
  reset: boolean;
  /** Already sealed hours rebuilt because rows of theirs changed. */
  rebuiltHours: number;
  /** Hours sealed by this run (closed since the last one, or the backlog of a first build). */
  sealedHours: number;
  /** The daily rows were rebuilt from all the hours: first run after the migration, or a new day zone. */
  daysRebuilt: boolean;
  sealedUntil: Date | null;
  /** The run stopped early because the job was stopped; the next run carries on. */
  interrupted: boolean;
}

type JobState = 'idle' | 'scheduled' | 'running' | 'stopped';

/** A run that wrote this many hours (a first build, a catch-up after downtime) refreshes the tables' statistics. */
const VACUUM_AFTER_HOURS = 7 * 24;

/**
 * Keeps the hourly report rollups current, off the call path: every minute,
 * in one process at a time (a Postgres advisory lock), it
 * 1. rebuilds the sealed hours whose rows changed since its last run — late
 *    call rows from the outbox, ACD events stored late, wrap-ups ending after
 *    the hour — found by calls.updated_at and acd_events.recorded_at;
 * 2. seals the hours closed since, up to the hour in progress (which reports
 *    read raw), in chunks of one transaction each.
 * Every step rebuilds whole hours from the raw rows, so running it twice, or
 * two processes racing past a lost lock, gives the same rows.
 */
export class ReportRollupJob {
  private state: JobState = 'idle';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RollupRunResult> | null = null;
  private readonly everyMs: number;
  private readonly firstRunAfterMs: number;
  private readonly chunkHours: number;
  private readonly dayZone: string;

  /** Throws RangeError for a day zone the runtime does not know (at start-up, not at every run). */
  constructor(private readonly options: ReportRollupJobOptions) {
    this.everyMs = options.everyMs ?? 60_000;
    this.firstRunAfterMs = options.firstRunAfterMs ?? 5_000;
    this.chunkHours = options.chunkHours ?? 31 * 24;
    this.dayZone = options.dayTimeZone ?? 'UTC';
    assertTimeZone(this.dayZone);
  }

  /** Schedules the runs; stop() ends them. */
  start(): void {
    if (this.state !== 'idle') return;
    this.schedule(this.firstRunAfterMs);
  }

  /** Stops scheduling and waits for a run in progress to reach its next transaction boundary. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
  }

  /** One run now (a run already in progress is joined rather than started twice). */
  runOnce(): Promise<RollupRunResult> {
    if (this.running) return this.running;
    const run = this.run().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private schedule(afterMs: number): void {
    if (this.state === 'stopped') return;
    this.state = 'scheduled';
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.state === 'stopped') return;
      this.state = 'running';
      this.runOnce()
        .then((result) => {
          if (result.ran && (result.rebuiltHours > 0 || result.sealedHours > 0)) {
            this.options.logger.debug({ ...result }, 'report rollups updated');
          }
        })
        .catch((err: unknown) => this.options.logger.warn({ err }, 'report rollup run failed; reports read raw rows beyond the last sealed hour'))
        .finally(() => this.schedule(this.everyMs));
    }, afterMs);
    // The job never keeps the process alive on its own.
    this.timer.unref();
  }

  private async run(): Promise<RollupRunResult> {
    const { store, logger } = this.options;
    const outcome = await store.withLockedSession(async (session): Promise<RollupRunResult> => {
      const clock = await session.captureClock();
      let state = await session.readState();
      let reset = false;
      if (state === null || state.definition !== ROLLUP_DEFINITION) {
        // Everything committed before the mark is read by the sealing below; later changes by the next run.
        const first = (await session.earliestActivityHour()) ?? clock.currentHour;
        state = { definition: ROLLUP_DEFINITION, sealedUntil: first, changesSince: clock.changeMark, dayZone: this.dayZone };
        const fresh = state;
        await session.inTransaction(() => session.resetRollups(fresh));
        reset = true;
        logger.info({ from: first.toISOString() }, 'report rollups: building from the first call');
      }

      let daysRebuilt = false;
      if (state.dayZone !== this.dayZone) {
        const rebuilt = await this.rebuildAllDays(session, state);
        if (rebuilt === null) return this.result(state, { reset, daysRebuilt: false, rebuiltHours: 0, sealedHours: 0, interrupted: true });
        state = rebuilt;
        daysRebuilt = true;
      }

      let rebuiltHours = 0;
      const touched = await session.touchedHours(state.changesSince, state.sealedUntil);
      for (const range of hourRanges(touched, this.chunkHours)) {
        if (this.state === 'stopped') return this.result(state, { reset, daysRebuilt, rebuiltHours, sealedHours: 0, interrupted: true });
        const sealedUntil = state.sealedUntil;
        await session.inTransaction(async () => {
          await session.rebuildHours(range);
          await session.rebuildDays(range, sealedUntil, this.dayZone);
        });
        rebuiltHours += (range.to.getTime() - range.from.getTime()) / HOUR_MS;
      }

      let sealedHours = 0;
      while (state.sealedUntil.getTime() < clock.currentHour.getTime()) {
        if (this.state === 'stopped') return this.result(state, { reset, daysRebuilt, rebuiltHours, sealedHours, interrupted: true });
        const range = { from: state.sealedUntil, to: new Date(Math.min(state.sealedUntil.getTime() + this.chunkHours * HOUR_MS, clock.currentHour.getTime())) };
        // The hours and the new sealedUntil commit together: a crash leaves either both or neither.
        const next: RollupState = { ...state, sealedUntil: range.to };
        await session.inTransaction(async () => {
          await session.rebuildHours(range);
          // The days this chunk completes (the one it ends in waits for the next chunk or run).
          await session.rebuildDays(range, range.to, this.dayZone);
          await session.saveState(next);
        });
        sealedHours += (range.to.getTime() - range.from.getTime()) / HOUR_MS;
        state = next;
      }

      // Only now: a run cut short leaves the old mark, and the next run looks at the same changes again.
      state = { ...state, changesSince: clock.changeMark };
      await session.saveState(state);
      if (reset || daysRebuilt || rebuiltHours + sealedHours >= VACUUM_AFTER_HOURS) await session.vacuum();
      return this.result(state, { reset, daysRebuilt, rebuiltHours, sealedHours, interrupted: false });
    });
    if (!outcome.ran) return { ran: false, reset: false, daysRebuilt: false, rebuiltHours: 0, sealedHours: 0, sealedUntil: null, interrupted: false };
    return outcome.value;
  }

  /**
   * The daily rows of this job's zone from the hours already sealed (first run
   * after the migration, or REPORTS_TIME_ZONE changed), a chunk per
   * transaction. The zone is stored as none while the days are emptied and
   * saved only with the last chunk: a run stopped half-way makes the next one
   * (whatever its zone) start over, so days of two zones never mix. Days
   * already listed are exact sums of their hours, so reports may use them
   * meanwhile. Null when stopped.
   */
  private async rebuildAllDays(session: RollupSession, state: RollupState): Promise<RollupState | null> {
    await session.inTransaction(async () => {
      await session.resetDays();
      await session.saveState({ ...state, dayZone: null });
    });
    const first = await session.firstAgentHour();
    const next: RollupState = { ...state, dayZone: this.dayZone };
    let from = first === null ? state.sealedUntil : first;
    do {
      if (this.state === 'stopped') return null;
      const range: TimeRange = { from, to: new Date(Math.min(from.getTime() + this.chunkHours * HOUR_MS, state.sealedUntil.getTime())) };
      const last = range.to.getTime() >= state.sealedUntil.getTime();
      await session.inTransaction(async () => {
        if (range.to.getTime() > range.from.getTime()) await session.rebuildDays(range, state.sealedUntil, this.dayZone);
        if (last) await session.saveState(next);
      });
      from = range.to;
    } while (from.getTime() < state.sealedUntil.getTime());
    this.options.logger.info({ dayZone: this.dayZone }, 'report rollups: daily agent rows built from the hours');
    return next;
  }

  private result(state: RollupState, counts: Omit<RollupRunResult, 'ran' | 'sealedUntil'>): RollupRunResult {
    return { ran: true, sealedUntil: state.sealedUntil, ...counts };
  }
}
