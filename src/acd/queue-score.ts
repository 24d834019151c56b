/**
 * The sorted-set score that orders a queue: priority first, then arrival.
 *
 *   score = (PRIORITY_MAX − priority) × PRIORITY_BAND + ticket
 *
 * `ticket` is the enqueue time in ms, nudged forward by 1 ms when two calls of
 * one queue arrive in the same millisecond, so FIFO holds even under a frozen
 * test clock. The score is stored on the call: re-adding the call with it puts
 * the caller back at exactly the same place (ring-no-answer, expired or
 * crashed reservations).
 *
 * Priorities are limited to 0–9 so that every score stays below 10^14: Lua
 * (tostring, cjson) prints numbers with 14 significant digits, and a larger
 * score would silently lose its last digits on the way through a script.
 */
export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 9;
export const DEFAULT_PRIORITY = 5;
export const PRIORITY_BAND = 1e13;

/** Score for a call of `priority` whose ticket is `ticketMs`; higher priority sorts first. */
export function encodeQueueScore(priority: number, ticketMs: number): number {
  if (!Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
    throw new RangeError(`priority must be an integer ${PRIORITY_MIN}–${PRIORITY_MAX}`);
  }
  if (!Number.isInteger(ticketMs) || ticketMs < 0 || ticketMs >= PRIORITY_BAND) throw new RangeError('ticket out of range');
  return (PRIORITY_MAX - priority) * PRIORITY_BAND + ticketMs;
}

/** The inverse of encodeQueueScore. */
export function decodeQueueScore(score: number): { priority: number; ticketMs: number } {
  const band = Math.floor(score / PRIORITY_BAND);
  return { priority: PRIORITY_MAX - band, ticketMs: score - band * PRIORITY_BAND };
}
