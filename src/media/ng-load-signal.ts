/** How loaded the rtpengines look from here, read by the hotline's overload control (issue 16). */
export interface NgLoadReading {
  /**
   * The ng round trip the next call's commands can expect, in ms: the mean of
   * the answers of the last `windowMs`, or the age of the oldest command still
   * unanswered when that is longer — a stalled engine answers nothing, so its
   * silence must count as well. 0 with nothing sent lately.
   */
  latencyMs: number;
  /** Commands that got no answer within their timeout in the last `timeoutWindowMs`. */
  timeouts: number;
}

/** The read side of the signal, as the call services hand it to src/sip. */
export interface NgLoadSignal {
  read(): NgLoadReading;
}

/** Options of NgLoadMeter. */
export interface NgLoadMeterOptions {
  clock: () => number;
  /** Answers averaged over this long (default 1 s). */
  windowMs?: number;
  /** Timeouts counted over this long (default 5 s). */
  timeoutWindowMs?: number;
  /** How often, once started, the meter checks that this process's event loop turns (default 10 ms). */
  turnCheckMs?: number;
  /** Whether `start` watches the event loop (default true); off where `clock` does not follow real time, as in tests. */
  watchLoop?: boolean;
}

/** Buckets the answer window is cut in: old answers leave it a bucket at a time, at no cost per command. */
const BUCKETS = 10;

/**
 * Measures every ng command where it passes (RtpenginePool's WatchedNg): its
 * round trip when answered, and its silence when it times out. Fixed-size
 * buckets keep the cost per command constant at hundreds of commands a second.
 *
 * Once started, the round trips leave out the time this process's own event
 * loop stood still (a reply waits in the socket until the loop reads it): that
 * is the event-loop signal's to judge. bench:sip (issue 16) saw the hotline
 * refuse a third to a half of 250 calls/s for "media slow" with rtpengine at
 * 26-43 % CPU answering offer in 0.3 ms on the wire (p50), while the loop
 * paused up to 120-380 ms under a shared CPU.
 */
export class NgLoadMeter implements NgLoadSignal {
  private readonly clock: () => number;
  private readonly bucketMs: number;
  private readonly timeoutWindowMs: number;
  private readonly sums = new Array<number>(BUCKETS).fill(0);
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  /** The bucket index (time / bucketMs) each slot holds; a slot from an older round is stale. */
  private readonly slotOf = new Array<number>(BUCKETS).fill(-1);
  /** The commands awaiting an answer, by ticket: when each was sent, and the loop's paused time then. */
  private readonly inFlight = new Map<number, { at: number; paused: number }>();
  private readonly turnCheckMs: number;
  private readonly watchLoop: boolean;
  private turnTimer: NodeJS.Timeout | null = null;
  /** When the event loop was last seen turning; null until started. */
  private lastTurnAt: number | null = null;
  /** Time the event loop stood still since start (ms), pauses ended. */
  private pausedMs = 0;
  private nextTicket = 0;
  private readonly timeoutTimes: number[] = [];

  constructor(options: NgLoadMeterOptions) {
    this.clock = options.clock;
    this.bucketMs = Math.max(1, Math.round((options.windowMs ?? 1000) / BUCKETS));
    this.timeoutWindowMs = options.timeoutWindowMs ?? 5000;
    this.turnCheckMs = options.turnCheckMs ?? 10;
    this.watchLoop = options.watchLoop ?? true;
  }

  /** Starts watching this process's event loop turn, so that its pauses are left out of the round trips. */
  start(): void {
    if (this.turnTimer || !this.watchLoop) return;
    this.lastTurnAt = this.clock();
    this.turnTimer = setInterval(() => this.loopTurned(), this.turnCheckMs);
    this.turnTimer.unref();
  }

  stop(): void {
    if (this.turnTimer) clearInterval(this.turnTimer);
    this.turnTimer = null;
    this.lastTurnAt = null;
  }

  /** The event loop turned (the check's timer ran): any lateness past its interval was a pause of this process. */
  loopTurned(): void {
    const now = this.clock();
    this.pausedMs = this.pausedAt(now);
    if (this.lastTurnAt !== null) this.lastTurnAt = now;
  }

  /** A command is sent; give the ticket to `answered` or `timedOut`. */
  sent(): number {
    const ticket = this.nextTicket++;
    const now = this.clock();
    this.inFlight.set(ticket, { at: now, paused: this.pausedAt(now) });
    return ticket;
  }

  /** Its answer came (a refusal is an answer too). */
  answered(ticket: number): void {
    const started = this.inFlight.get(ticket);
    if (started === undefined) return;
    this.inFlight.delete(ticket);
    const now = this.clock();
    const roundTrip = this.waited(started, now);
    const index = Math.floor(now / this.bucketMs);
    const slot = index % BUCKETS;
    if (this.slotOf[slot] !== index) {
      this.slotOf[slot] = index;
      this.sums[slot] = 0;
      this.counts[slot] = 0;
    }
    this.sums[slot] = (this.sums[slot] ?? 0) + roundTrip;
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
  }

  /** It got no answer within its timeout. */
  timedOut(ticket: number): void {
    if (!this.inFlight.delete(ticket)) return;
    this.timeoutTimes.push(this.clock());
  }

  read(): NgLoadReading {
    const now = this.clock();
    const current = Math.floor(now / this.bucketMs);
    let sum = 0;
    let count = 0;
    for (let slot = 0; slot < BUCKETS; slot++) {
      const index = this.slotOf[slot] ?? -1;
      if (index > current - BUCKETS && index <= current) {
        sum += this.sums[slot] ?? 0;
        count += this.counts[slot] ?? 0;
      }
    }
    let oldestWait = 0;
    // Insertion order is send order: the first entry is the oldest.
    for (const started of this.inFlight.values()) {
      oldestWait = this.waited(started, now);
      break;
    }
    while (this.timeoutTimes.length > 0 && now - (this.timeoutTimes[0] ?? now) >= this.timeoutWindowMs) this.timeoutTimes.shift();
    return { latencyMs: Math.max(count > 0 ? sum / count : 0, oldestWait), timeouts: this.timeoutTimes.length };
  }

  /** The loop's paused time up to `now`, counting a pause under way (the check's timer is late past its interval). */
  private pausedAt(now: number): number {
    if (this.lastTurnAt === null) return this.pausedMs;
    return this.pausedMs + Math.max(0, now - this.lastTurnAt - this.turnCheckMs);
  }

  /** How long a command has waited for rtpengine by `now`: since it was sent, less the loop's pauses meanwhile. */
  private waited(started: { at: number; paused: number }, now: number): number {
    return Math.max(0, now - started.at - (this.pausedAt(now) - started.paused));
  }
}
