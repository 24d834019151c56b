import { assertTimeZone } from './calendar-day';

/** Tuning of the ACD; every field has a sensible default. */
export interface AcdSettings {
  /**
   * Page size of a matching scan (entries per ZRANGE inside the script). Matching pages on to the
   * end of an index, so this bounds reply sizes, not completeness; the housekeeping safety
   * dispatch looks at one page of each queue.
   */
  scanDepth: number;
  /** How long a finished call's record stays in Redis for inspection. */
  finishedTtlSec: number;
  /** Longest sliding window statistics can be asked for (minute buckets live this long). */
  windowMaxMinutes: number;
  /** Default sliding window for stats(). */
  statsWindowMinutes: number;
  /** How many recent handle times feed the estimated wait. */
  recentHandles: number;
  /** Most items of each kind one housekeeping run handles (keeps every script short). */
  tickLimit: number;
  /** A call overflows at most this many times (no overflow loops between queues). */
  maxOverflowHops: number;
  heartbeatIntervalMs: number;
  /** A process whose heartbeat is older than this is dead and gets reaped. */
  heartbeatTtlMs: number;
  tickIntervalMs: number;
  /**
   * IANA time zone whose midnight ends the day for "today" statistics and calls-today counts. The
   * day is part of the counters' Redis keys: every process sharing one Redis must use the same zone.
   */
  timeZone: string;
}

export const DEFAULT_ACD_SETTINGS: Readonly<AcdSettings> = Object.freeze({
  scanDepth: 100,
  finishedTtlSec: 3600,
  windowMaxMinutes: 120,
  statsWindowMinutes: 15,
  recentHandles: 50,
  tickLimit: 500,
  maxOverflowHops: 3,
  heartbeatIntervalMs: 1000,
  // Long enough that a process pausing a few seconds (a GC, a slow disk) is not declared dead; short enough that a
  // dead process's agents are free again within seconds.
  heartbeatTtlMs: 6000,
  tickIntervalMs: 250,
  timeZone: 'Europe/Moscow',
});

/** Merges overrides into the defaults and checks the relations that matter. */
export function resolveAcdSettings(overrides: Partial<AcdSettings> = {}): AcdSettings {
  const settings = { ...DEFAULT_ACD_SETTINGS, ...overrides };
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'timeZone') continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new RangeError(`ACD setting ${key} must be a positive integer`);
  }
  try {
    assertTimeZone(settings.timeZone);
  } catch {
    throw new RangeError(`ACD setting timeZone: unknown time zone ${JSON.stringify(settings.timeZone)}`);
  }
  if (settings.heartbeatTtlMs <= settings.heartbeatIntervalMs) throw new RangeError('heartbeatTtlMs must exceed heartbeatIntervalMs');
  if (settings.statsWindowMinutes > settings.windowMaxMinutes) throw new RangeError('statsWindowMinutes must not exceed windowMaxMinutes');
  return settings;
}
