import type { DtmfEvent } from './dtmf-event';

/**
 * Suppresses a key press reported twice, pure (the clock is injected). It
 * happens when one press arrives both as RFC 4733 events and as SIP INFO (a
 * gateway that does both), or when a report is repeated.
 *
 * Presses are compared by when the key went *down*: an RFC 4733 report comes
 * when the event ends, `durationMs` after the press, while an INFO is sent as
 * the key goes down. Comparing arrival times would make the window depend on
 * how long the key was held; comparing press times lets it stay shorter than
 * the gap between two deliberate presses of the same key.
 */

/** Options of DtmfDeduplicator. */
export interface DtmfDeduplicatorOptions {
  /**
   * Two reports of one digit on one call whose presses are closer than this
   * are one press. Default 200 ms: the two paths differ by network latency
   * (tens of ms) and people do not press one key twice that fast; the shortest
   * signalling cycle ITU-T Q.24 allows (40 ms tone + 40 ms pause) is
   * machine-made and comes over one path only, as distinct RFC 4733 events.
   */
  windowMs?: number;
  /** ms since the epoch; used to forget old presses. */
  now: () => number;
}

/** The default dedupe window, in ms. */
export const DEFAULT_DTMF_DEDUPE_WINDOW_MS = 200;

/** When a press began, as well as its report lets us tell. */
export function pressedAt(event: Pick<DtmfEvent, 'at' | 'source' | 'durationMs'>): number {
  return event.source === 'rfc4733' ? event.at - (event.durationMs ?? 0) : event.at;
}

/** Remembers the last accepted press of each digit per call, just long enough to recognise its repeat. */
export class DtmfDeduplicator {
  private readonly windowMs: number;
  private readonly now: () => number;
  /** callId → digit → press time of the last accepted report. */
  private readonly recent = new Map<string, Map<string, number>>();

  constructor(options: DtmfDeduplicatorOptions) {
    this.windowMs = options.windowMs ?? DEFAULT_DTMF_DEDUPE_WINDOW_MS;
    this.now = options.now;
  }

  /** True for the first report of a press, false for a duplicate. */
  accept(event: DtmfEvent): boolean {
    this.prune();
    const pressed = pressedAt(event);
    let digits = this.recent.get(event.callId);
    const previous = digits?.get(event.digit);
    if (previous !== undefined && Math.abs(pressed - previous) < this.windowMs) return false;
    if (!digits) {
      digits = new Map();
      this.recent.set(event.callId, digits);
    }
    digits.set(event.digit, pressed);
    return true;
  }

  /** Drops what is remembered of a call (it ended). */
  forget(callId: string): void {
    this.recent.delete(callId);
  }

  /** Calls with a press still remembered; for leak checks. */
  get trackedCalls(): number {
    this.prune();
    return this.recent.size;
  }

  /**
   * Forgets presses that no later report can duplicate any more. A report
   * arrives at most its duration after its press; 10 s bounds any real key hold.
   */
  private prune(): void {
    const horizon = this.now() - this.windowMs - 10_000;
    for (const [callId, digits] of this.recent) {
      for (const [digit, pressed] of digits) if (pressed < horizon) digits.delete(digit);
      if (digits.size === 0) this.recent.delete(callId);
    }
  }
}
