import { ABANDON_OUTCOMES, CALLBACK_OUTCOMES, QUEUE_REPORT_DIRECTIONS, QUEUE_REPORT_EXCLUDED_DIALED, SHORT_ABANDON_MS } from './queue-metrics';
import { MISSED_RELEASE_REASON } from './agent-metrics';
import { COUNTED_AGENT_STATES } from './report-counters';

/**
 * Hourly rollups (issue 7): what they can answer and how a report period is
 * split between them and the raw rows. Rollup hours are UTC hours; hours
 * before the job's `sealedUntil` are in the rollup tables, later ones (the
 * still-open hour, or anything the job has not reached yet) are read raw.
 */

export const HOUR_MS = 3_600_000;

/** Service-level thresholds the rollups answer exactly: multiples of this many seconds… */
export const SL_GRID_SECONDS = 5;
/** …up to this many steps (5 s … 120 s). Other thresholds are read from the raw rows. */
export const SL_GRID_STEPS = 24;

/** The rollups' wait-histogram index (1-based, as in SQL) for threshold T, or null when T is off the grid. */
export function serviceLevelGridIndex(slSeconds: number): number | null {
  if (!Number.isInteger(slSeconds) || slSeconds % SL_GRID_SECONDS !== 0) return null;
  const k = slSeconds / SL_GRID_SECONDS;
  return k >= 1 && k <= SL_GRID_STEPS ? k : null;
}

/**
 * What the rollup rows mean, as one string. The job stores it with the rows;
 * when a definition in src/reports changes, the stored one no longer matches,
 * reports read raw rows, and the job rebuilds the tables from scratch.
 */
export const ROLLUP_DEFINITION = [
  'v1',
  `directions=${QUEUE_REPORT_DIRECTIONS.join('+')}`,
  `excludedDialed=${QUEUE_REPORT_EXCLUDED_DIALED.join('+')}`,
  `abandon=${ABANDON_OUTCOMES.join('+')}`,
  `callback=${CALLBACK_OUTCOMES.join('+')}`,
  `shortAbandonMs=${SHORT_ABANDON_MS}`,
  `slGrid=${SL_GRID_SECONDS}x${SL_GRID_STEPS}`,
  `states=${COUNTED_AGENT_STATES.join('+')}`,
  `missed=${MISSED_RELEASE_REASON}`,
].join(';');

export function floorHour(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
}

export function ceilHour(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / HOUR_MS) * HOUR_MS);
}

/** A half-open time range [from, to). */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** A period cut into the whole closed hours the rollups answer, and the raw edges around them. */
export interface RollupSplit {
  /** From the period's start to its first whole hour, when it does not start on one. */
  head: TimeRange | null;
  /** Whole UTC hours inside the period and before sealedUntil. */
  hours: TimeRange;
  /** From the last rolled-up hour to the period's end: a partial last hour, the open hour, anything not sealed yet. */
  tail: TimeRange | null;
}

/** The split of [from, to), or null when not one whole rolled-up hour falls inside it. */
export function splitForRollups(period: TimeRange, sealedUntil: Date): RollupSplit | null {
  const first = ceilHour(period.from);
  const last = new Date(Math.min(floorHour(period.to).getTime(), floorHour(sealedUntil).getTime()));
  if (last.getTime() <= first.getTime()) return null;
  return {
    head: period.from.getTime() < first.getTime() ? { from: period.from, to: first } : null,
    hours: { from: first, to: last },
    tail: last.getTime() < period.to.getTime() ? { from: last, to: period.to } : null,
  };
}

/**
 * Sorted, de-duplicated hour starts as ranges of consecutive hours, none
 * longer than maxHours (the job rebuilds one range per transaction).
 */
export function hourRanges(hours: readonly Date[], maxHours: number): TimeRange[] {
  const starts = [...new Set(hours.map((h) => floorHour(h).getTime()))].sort((a, b) => a - b);
  const ranges: TimeRange[] = [];
  let from: number | null = null;
  let to = 0;
  for (const start of starts) {
    if (from !== null && start === to && (to - from) / HOUR_MS < maxHours) {
      to += HOUR_MS;
      continue;
    }
    if (from !== null) ranges.push({ from: new Date(from), to: new Date(to) });
    from = start;
    to = start + HOUR_MS;
  }
  if (from !== null) ranges.push({ from: new Date(from), to: new Date(to) });
  return ranges;
}

/**
 * Daily agent rollups: local days of the rollup job's zone (REPORTS_TIME_ZONE),
 * each the sum of its UTC hours' rows, so a report takes a day from them
 * wherever it would have added up those hours — when the whole day lies in one
 * of the report's buckets. `days` are the usable days inside `hours`, sorted;
 * the result is the hours left to add up one by one: the partial days at the
 * edges and any day not built (or not usable). A day that overlaps one before
 * it or leaves `hours` is not used, so the hours are always covered exactly once.
 */
export function dayBlocks(hours: TimeRange, days: readonly TimeRange[]): { days: TimeRange[]; hours: TimeRange[] } {
  const used: TimeRange[] = [];
  const gaps: TimeRange[] = [];
  let cursor = hours.from.getTime();
  for (const day of days) {
    const from = day.from.getTime();
    const to = day.to.getTime();
    if (from < cursor || to > hours.to.getTime() || to <= from) continue;
    if (from > cursor) gaps.push({ from: new Date(cursor), to: day.from });
    used.push(day);
    cursor = to;
  }
  if (cursor < hours.to.getTime()) gaps.push({ from: new Date(cursor), to: hours.to });
  return { days: used, hours: gaps };
}
