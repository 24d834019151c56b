/**
 * Where the ACD reads the time. Every time-dependent rule (waits, deadlines,
 * wrap-up timers, relaxation steps, statistics buckets) takes `now` from a
 * Clock, and the Lua scripts receive it as an argument instead of calling
 * Redis TIME, so tests can move time by hand.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: for tests and simulations. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward (never backward: the ACD relies on monotonic time). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a ManualClock only moves forward');
    this.current += ms;
  }

  set(ms: number): void {
    if (ms < this.current) throw new RangeError('a ManualClock only moves forward');
    this.current = ms;
  }
}

/** The calendar day (UTC) a timestamp falls on, as YYYY-MM-DD: the key of "today" statistics. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
