import { assertTimeZone } from '../acd/calendar-day';
import { AppError } from '../errors/app-error';

/** The bucket a report row covers, in the report's time zone (a week starts on Monday, ISO 8601). */
export const REPORT_INTERVALS = ['hour', 'day', 'week'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

const INTERVAL_MS: Readonly<Record<ReportInterval, number>> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/**
 * More buckets than this is a request nobody can read (a year by the hour is
 * 8,784); refusing it keeps one request from producing an unbounded response.
 */
export const MAX_REPORT_BUCKETS = 10_000;

/** A validated report period: [from, to) split into buckets of `interval` in `timeZone`. */
export interface ReportPeriod {
  readonly from: Date;
  readonly to: Date;
  readonly interval: ReportInterval;
  readonly timeZone: string;
}

/** Checks the period a report was asked for; VALIDATION_FAILED names the parameter at fault. */
export function reportPeriod(input: { from: string; to: string; interval: ReportInterval; timeZone: string }): ReportPeriod {
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (Number.isNaN(from.getTime())) throw invalid('from', `"${input.from}" is not a date-time`);
  if (Number.isNaN(to.getTime())) throw invalid('to', `"${input.to}" is not a date-time`);
  if (to.getTime() <= from.getTime()) throw invalid('to', 'must be later than from');
  try {
    assertTimeZone(input.timeZone);
  } catch {
    throw invalid('tz', `"${input.timeZone}" is not an IANA time zone (e.g. Europe/Moscow)`);
  }
  const buckets = Math.ceil((to.getTime() - from.getTime()) / INTERVAL_MS[input.interval]);
  if (buckets > MAX_REPORT_BUCKETS) {
    throw invalid('interval', `${buckets} ${input.interval} buckets asked for, at most ${MAX_REPORT_BUCKETS}: choose a longer interval or a shorter period`);
  }
  return { from, to, interval: input.interval, timeZone: input.timeZone };
}

function invalid(parameter: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `querystring/${parameter} ${message}`, [{ path: `querystring/${parameter}`, message }]);
}
