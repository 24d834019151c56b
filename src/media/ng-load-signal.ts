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
}

/** Buckets the answer window is cut in: old answers leave it a bucket at a time, at no cost per command. */
const BUCKETS = 10;

/**
 * Measures every ng command where it passes (RtpenginePool's WatchedNg): its
 * round trip when answered, and its silence when it times out. Fixed-size
 * buckets keep the cost per command constant at hundreds of commands a second.
 */
export class NgLoadMeter implements NgLoadSignal {
  private readonly clock: () => number;
  private readonly bucketMs: number;
  private readonly timeoutWindowMs: number;
  private readonly sums = new Array<number>(BUCKETS).fill(0);
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  /** The bucket index (time / bucketMs) each slot holds; a slot from an older round is stale. */
  private readonly slotOf = new Array<number>(BUCKETS).fill(-1);
  /** Start times of the commands awaiting an answer, by ticket. */
  private readonly inFlight = new Map<number, number>();
  private nextTicket = 0;
  private readonly timeoutTimes: number[] = [];

  constructor(options: NgLoadMeterOptions) {
    this.clock = options.clock;
    this.bucketMs = Math.max(1, Math.round((options.windowMs ?? 1000) / BUCKETS));
    this.timeoutWindowMs = options.timeoutWindowMs ?? 5000;
  }

  /** A command is sent; give the ticket to `answered` or `timedOut`. */
  sent(): number {
    const ticket = this.nextTicket++;
    this.inFlight.set(ticket, this.clock());
    return ticket;
  }

  /** Its answer came (a refusal is an answer too). */
  answered(ticket: number): void {
    const started = this.inFlight.get(ticket);
    if (started === undefined) return;
    this.inFlight.delete(ticket);
    const now = this.clock();
    const index = Math.floor(now / this.bucketMs);
    const slot = index % BUCKETS;
    if (this.slotOf[slot] !== index) {
      this.slotOf[slot] = index;
      this.sums[slot] = 0;
      this.counts[slot] = 0;
    }
    this.sums[slot] = (this.sums[slot] ?? 0) + (now - started);
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
    let oldest = now;
    // Insertion order is send order: the first entry is the oldest.
    for (const started of this.inFlight.values()) {
      oldest = started;
      break;
    }
    while (this.timeoutTimes.length > 0 && now - (this.timeoutTimes[0] ?? now) >= this.timeoutWindowMs) this.timeoutTimes.shift();
    return { latencyMs: Math.max(count > 0 ? sum / count : 0, now - oldest), timeouts: this.timeoutTimes.length };
  }
}
