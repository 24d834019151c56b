import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { COUNTRY_TIME_ZONES } from './country-time-zones';

/**
 * Whether a campaign call or a callback may dial a client now (issue 17
 * point 8): never a number on the do-not-call list, and only inside the
 * site's calling window (e.g. 09:00–21:00) in the client's own time zone —
 * clients span many time zones. A pure decision, no I/O; the dialers ask it
 * before anything reaches the trunk.
 *
 * The client's time zone is the one on their card; when the card has none,
 * the number's country's (libphonenumber-js). A country with several zones
 * (Russia, the US…) cannot be narrowed from the number alone, so the call is
 * allowed only at hours inside the window in every zone of that country — a
 * client is never called at 07:00 their time because we guessed the wrong
 * zone; setting the zone on the card lifts that. A number of no known country
 * falls back to the site's time zone. Local times follow each zone's rules,
 * daylight saving included (Intl).
 */

/** The site's calling window, local to the client; `end` is excluded. */
export interface CallingWindow {
  /** `HH:MM`, 24-hour. */
  start: string;
  /** `HH:MM`, 24-hour, after `start` (a window does not run past midnight); `24:00` is the end of the day. */
  end: string;
  /** The zone of a number whose country is unknown (the site's own). */
  siteTimeZone: string;
}

/** A number on the do-not-call list, with why it was put there. */
export interface DoNotCallEntry {
  reason: string;
}

export type CallRefusal = 'do_not_call' | 'outside_calling_window';

export type CallPermission =
  | { allowed: true; timeZones: readonly string[] }
  | {
    allowed: false;
    refused: CallRefusal;
    /** The first moment the call would be allowed (ms); null: never (do-not-call, or no common hour). */
    nextAllowedAt: number | null;
    /** In words, for the log, the record and the operator. */
    message: string;
    timeZones: readonly string[];
    /** The window the call fell outside of (outside_calling_window only): for a screen to say it in its own words. */
    window?: { start: string; end: string };
  };

const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
const DAY_MS = 86_400_000;

function minutesOf(text: string, name: string): number {
  if (name === 'end' && text === '24:00') return 24 * 60;
  const m = HH_MM.exec(text);
  if (!m) throw new RangeError(`calling window ${name} must be HH:MM (24-hour), got "${text}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Throws naming the setting when the window cannot work (read once at start). */
export function checkCallingWindow(window: CallingWindow): CallingWindow {
  if (minutesOf(window.start, 'start') >= minutesOf(window.end, 'end')) throw new RangeError(`calling window start ${window.start} must be before its end ${window.end}`);
  if (!isTimeZone(window.siteTimeZone)) throw new RangeError(`calling window siteTimeZone "${window.siteTimeZone}" is not a known IANA time zone`);
  return window;
}

/** The time zones a client may be in: the card's, else every zone of the number's country, else the site's. */
export function clientTimeZones(client: { timeZone: string | null }, number: string, siteTimeZone: string): readonly string[] {
  if (client.timeZone && isTimeZone(client.timeZone)) return [client.timeZone];
  return numberTimeZones(number) ?? [siteTimeZone];
}

/** Every zone of the number's country (null when its country is unknown). */
export function numberTimeZones(number: string): readonly string[] | null {
  const country = parsePhoneNumberFromString(number)?.country;
  const zones = country ? COUNTRY_TIME_ZONES[country] : undefined;
  return zones && zones.length > 0 ? zones : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at `t`: its date and minutes since midnight. */
function wallClock(zone: string, t: number): { y: number; m: number; d: number; minutes: number; asUtcMs: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return { y: year, m: month, d: day, minutes: hour * 60 + minute, asUtcMs: Date.UTC(year, month - 1, day, hour, minute, second) };
}

/** The instant the wall clock in `zone` shows `minutes` on the given local date (in a DST gap: the instant just after it). */
function instantOf(zone: string, y: number, m: number, d: number, minutes: number): number {
  const local = Date.UTC(y, m - 1, d, 0, minutes);
  let t = local - (wallClock(zone, local).asUtcMs - local);
  // The offset at the guess may differ from the one at the answer (a DST change in between): settle on the answer's.
  const settled = local - (wallClock(zone, t).asUtcMs - t);
  if (settled !== t && wallClock(zone, settled).minutes === minutes) t = settled;
  return t;
}

function insideEverywhere(zones: readonly string[], t: number, start: number, end: number): boolean {
  return zones.every((zone) => {
    const { minutes } = wallClock(zone, t);
    return minutes >= start && minutes < end;
  });
}

/**
 * May `number` (E.164) of `client` be called at `now` (ms)? Refused when the
 * number is on the do-not-call list (never allowed) or `now` is outside the
 * window in the client's time zone(s), with the first allowed moment.
 */
export function mayCallNow(
  client: { timeZone: string | null },
  number: string,
  now: number,
  window: CallingWindow,
  dnc: ReadonlyMap<string, DoNotCallEntry>,
): CallPermission {
  const zones = clientTimeZones(client, number, window.siteTimeZone);
  const listed = dnc.get(number);
  if (listed) return { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: `${number} is on the do-not-call list (${listed.reason})`, timeZones: zones };
  const start = minutesOf(window.start, 'start');
  const end = minutesOf(window.end, 'end');
  if (insideEverywhere(zones, now, start, end)) return { allowed: true, timeZones: zones };
  // The common window opens when the last of the zones opens: one of the zones' window starts, within the next days.
  const candidates: number[] = [];
  for (const zone of zones) {
    const today = wallClock(zone, now);
    for (let k = 0; k <= 2; k += 1) {
      const day = new Date(Date.UTC(today.y, today.m - 1, today.d) + k * DAY_MS);
      candidates.push(instantOf(zone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), start));
    }
  }
  const next = candidates.filter((t) => t > now).sort((a, b) => a - b).find((t) => insideEverywhere(zones, t, start, end)) ?? null;
  const where = zones.length === 1 ? zones[0] : `every time zone of the number's country (${zones.length}); set the client's time zone to narrow it`;
  return {
    allowed: false, refused: 'outside_calling_window', nextAllowedAt: next, timeZones: zones, window: { start: window.start, end: window.end },
    message: next === null
      ? `no hour of the calling window ${window.start}–${window.end} falls inside it in ${where}`
      : `outside the calling window ${window.start}–${window.end} in ${where}; next allowed at ${new Date(next).toISOString()}`,
  };
}
