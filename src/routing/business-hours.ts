import { childPath } from './json-path';
import type { BusinessHoursSchedule } from './business-hours-schedule';
import type { ValidationIssue } from './validation-result';

/** A moment seen on the wall clock of one zone. */
export interface LocalTime {
  /** YYYY-MM-DD */
  readonly date: string;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// Building a DateTimeFormat costs far more than formatting with one; zones are few.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local date, weekday and time of `at` in `timeZone` (DST-correct: Intl does the zone maths). */
export function localTimeIn(timeZone: string, at: Date): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const weekday = WEEKDAYS[parts.weekday ?? ''];
  if (weekday === undefined) throw new Error(`unexpected weekday ${parts.weekday ?? '(none)'} from Intl`);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** `HH:MM` → minutes since midnight (24:00 → 1440). */
export function parseClock(text: string): number {
  const [h, m] = text.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether the schedule is open at `at`: not a holiday, and inside an interval of that weekday. */
export function isOpenAt(schedule: BusinessHoursSchedule, at: Date): boolean {
  const local = localTimeIn(schedule.timezone, at);
  if (schedule.holidays.some((h) => h.date === local.date)) return false;
  return schedule.hours.some(
    (h) => h.weekday === local.weekday && parseClock(h.opens) <= local.minutes && local.minutes < parseClock(h.closes),
  );
}

/**
 * Checks what the schema cannot: a zone the runtime knows, intervals that
 * close after they open, real calendar dates, no day listed twice.
 */
export function validateSchedule(schedule: BusinessHoursSchedule, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isKnownTimeZone(schedule.timezone)) {
    issues.push({ path: childPath(path, 'timezone'), message: `unknown time zone '${schedule.timezone}'` });
  }
  schedule.hours.forEach((h, i) => {
    if (parseClock(h.closes) <= parseClock(h.opens)) {
      issues.push({ path: childPath(childPath(path, 'hours'), i), message: `closes (${h.closes}) must be after opens (${h.opens})` });
    }
  });
  const seen = new Set<string>();
  schedule.holidays.forEach((h, i) => {
    const at = childPath(childPath(path, 'holidays'), i);
    const parsed = new Date(`${h.date}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== h.date) {
      issues.push({ path: childPath(at, 'date'), message: `'${h.date}' is not a calendar date` });
    }
    if (seen.has(h.date)) issues.push({ path: childPath(at, 'date'), message: `holiday ${h.date} is listed twice` });
    seen.add(h.date);
  });
  return issues;
}

/**
 * Null when open; otherwise why not, in words for routing reasons
 * ("holiday New Year", "outside business hours").
 */
export function describeClosure(schedule: BusinessHoursSchedule, at: Date): string | null {
  if (isOpenAt(schedule, at)) return null;
  const local = localTimeIn(schedule.timezone, at);
  const holiday = schedule.holidays.find((h) => h.date === local.date);
  if (holiday) return `holiday ${holiday.name ?? holiday.date}`;
  return 'outside business hours';
}
