/**
 * Admission of new hotline calls under overload (issue 16): the decision only,
 * no I/O. Offered more calls than the media can carry, the hotline admits
 * what it can and refuses the rest at once (503 + Retry-After, before any
 * media is allocated), so that no admitted call fails half-way.
 *
 * How: a hard cap on live calls, and an adaptive admission rate (AIMD, as TCP
 * does with its window). While rtpengine answers ng commands promptly calls
 * are admitted freely. When its round trip has stayed past `ngLatencyMs` for
 * `slowForMs` the rate is cut to `decreaseFactor` of what was being admitted,
 * and cut again every `decreaseIntervalMs` while it stays high; once the round trip is back under
 * `resumeRatio` of the bound the rate grows by `increasePerSecond` each
 * second. A round trip past `criticalLatencyFactor` times the bound, an ng
 * timeout, or an event loop delayed past its bound refuses every new call
 * for `holdMs`: the backlog in rtpengine must drain before the commands of
 * the calls already admitted reach the ng timeout (a timeout means calls are
 * already failing).
 * Between the bound and its resume fraction the rate holds: the gap is the
 * hysteresis that keeps the decision from flapping on every sample. The rate
 * limit is lifted when no call has needed refusing for `recoverMs` with the
 * signals calm.
 */

/** What the process sees of its load at one INVITE. */
export interface OverloadSignals {
  /** The ng round trip a new call's commands can expect, in ms (NgLoadReading.latencyMs). */
  ngLatencyMs: number;
  /** ng commands unanswered within their timeout lately (NgLoadReading.timeouts). */
  ngTimeouts: number;
  /** How late this process's event loop runs, in ms (the mean lateness of its timers lately: EventLoopDelay). */
  eventLoopDelayMs: number;
  /** Hotline calls live in this process. */
  liveCalls: number;
}

/** The configured limits (config `overload`); 0 turns a limit off. */
export interface OverloadLimits {
  /** Most hotline calls live at once in this process. */
  maxLiveCalls: number;
  /** The ng round trip above which new calls are slowed down. */
  ngLatencyMs: number;
  /** The event loop delay above which new calls are refused for a while. */
  eventLoopDelayMs: number;
  /** Most new calls admitted per second, whatever the signals say. */
  maxCallsPerSecond: number;
  /** What a refusal's Retry-After says. */
  retryAfterSeconds: number;
}

/** How the rate adapts; the defaults suit rtpengine's ng timeout of 2 s (the call services' commandTimeoutMs). */
export interface AdmissionTuning {
  /** Fraction of a bound the signals must fall under before the rate grows again. */
  resumeRatio: number;
  /**
   * How long the round trip must stay past the bound (and under the critical factor) before the first cut. A
   * blip is not overload: bench:sip (issue 16) saw rtpengine's mean round trip touch 104 ms for a moment at 400
   * calls/s on a quiet machine, and shedding it refused 700 calls of a load the same run then carried whole.
   * A real overload climbs on: past the critical factor it refuses at once, whatever this says.
   */
  slowForMs: number;
  /** Shortest time between two cuts of the rate: what a cut does takes about this long to show in the round trip. */
  decreaseIntervalMs: number;
  /** Each cut multiplies the rate by this. */
  decreaseFactor: number;
  /** A round trip past this many times the bound refuses every new call for `holdMs`, as a timeout does. */
  criticalLatencyFactor: number;
  /** Calls/s the rate grows by per calm second. */
  increasePerSecond: number;
  /** The rate is never cut below this (calls/s), so that the signals keep being measured on live calls. */
  minCallsPerSecond: number;
  /** Every new call refused this long after an ng timeout or a late event loop. */
  holdMs: number;
  /** Calm and no refusal this long: the rate limit is lifted. */
  recoverMs: number;
  /** The token bucket holds this many seconds of the rate (burst allowance). */
  burstSeconds: number;
}

export const DEFAULT_ADMISSION_TUNING: AdmissionTuning = {
  resumeRatio: 0.5,
  slowForMs: 1000,
  decreaseIntervalMs: 500,
  decreaseFactor: 0.7,
  criticalLatencyFactor: 3,
  increasePerSecond: 10,
  minCallsPerSecond: 2,
  holdMs: 2000,
  recoverMs: 5000,
  burstSeconds: 0.2,
};

/** Why a call was refused: the metric's label and the reason phrase's words. */
export type OverloadReason = 'live_calls' | 'ng_latency' | 'ng_timeouts' | 'event_loop' | 'call_rate';

export type AdmissionDecision =
  | { kind: 'admit' }
  | { kind: 'refuse'; reason: OverloadReason; retryAfterSeconds: number };

/** What the admission is doing, for /readyz and the log. */
export interface AdmissionState {
  /** Null while calls are admitted freely (up to the configured call rate); else why the rate is limited. */
  limitedBy: OverloadReason | null;
  /** Since when (clock ms); null when not limited. */
  since: number | null;
  /** The adaptive rate (calls/s) while limited; null otherwise. */
  callsPerSecond: number | null;
  /** Every new call is refused until then (clock ms), after an ng timeout or a late event loop. */
  refusingAllUntil: number | null;
}

/** What `OverloadReason` says in a SIP reason phrase (`Service Unavailable (overloaded: media slow)`). */
export const REASON_WORDS: Record<OverloadReason, string> = {
  live_calls: 'too many calls',
  ng_latency: 'media slow',
  ng_timeouts: 'media not answering',
  event_loop: 'server busy',
  call_rate: 'too many new calls',
};

interface TokenBucket {
  tokens: number;
  at: number;
}

/** The admission decision for each new call; holds only its own small state, and reads time from the caller. */
export class AdmissionControl {
  private readonly tuning: AdmissionTuning;
  private limitedBy: OverloadReason | null = null;
  private since = 0;
  private rate = 0;
  private lastDecreaseAt = 0;
  /** Since when the round trip has been past the bound, while no limit is on yet; null when it is not. */
  private slowSince: number | null = null;
  private lastGrowthAt = 0;
  /** The last call the adaptive rate refused: while calls still need refusing, the limit stays. */
  private lastRateRefusalAt = Number.NEGATIVE_INFINITY;
  private lastUnsettledAt = Number.NEGATIVE_INFINITY;
  private refusingAllUntil = Number.NEGATIVE_INFINITY;
  private refusingAllFor: OverloadReason = 'ng_timeouts';
  /** Admissions in the current and previous second, for the admitted rate a first cut starts from. */
  private secondIndex = 0;
  private admittedThisSecond = 0;
  private admittedLastSecond = 0;
  private adaptive: TokenBucket = { tokens: 0, at: 0 };
  private ceiling: TokenBucket | null = null;

  constructor(private readonly limits: OverloadLimits, tuning: Partial<AdmissionTuning> = {}) {
    this.tuning = { ...DEFAULT_ADMISSION_TUNING, ...tuning };
  }

  /** Admit or refuse one new call, given the signals now (`now`: clock ms). An admission is counted. */
  decide(signals: OverloadSignals, now: number): AdmissionDecision {
    this.follow(signals, now);
    const refusal = this.refusalFor(signals, now);
    if (refusal) {
      return { kind: 'refuse', reason: refusal, retryAfterSeconds: this.limits.retryAfterSeconds };
    }
    this.countAdmission(now);
    return { kind: 'admit' };
  }

  state(now: number): AdmissionState {
    return {
      limitedBy: this.limitedBy,
      since: this.limitedBy ? this.since : null,
      callsPerSecond: this.limitedBy ? this.rate : null,
      refusingAllUntil: now < this.refusingAllUntil ? this.refusingAllUntil : null,
    };
  }

  /** Adapts the rate to the signals (the AIMD step), and starts or ends the limit. */
  private follow(signals: OverloadSignals, now: number): void {
    const { ngLatencyMs, eventLoopDelayMs } = this.limits;
    const { resumeRatio } = this.tuning;
    const loopLate = eventLoopDelayMs > 0 && signals.eventLoopDelayMs > eventLoopDelayMs;
    const critical = ngLatencyMs > 0 && signals.ngLatencyMs > ngLatencyMs * this.tuning.criticalLatencyFactor;
    const severe: OverloadReason | null = signals.ngTimeouts > 0 ? 'ng_timeouts' : critical ? 'ng_latency' : loopLate ? 'event_loop' : null;
    const slow = ngLatencyMs > 0 && signals.ngLatencyMs > ngLatencyMs;
    const calm = severe === null
      && (ngLatencyMs <= 0 || signals.ngLatencyMs <= ngLatencyMs * resumeRatio)
      && (eventLoopDelayMs <= 0 || signals.eventLoopDelayMs <= eventLoopDelayMs * resumeRatio);
    if (!calm) {
      this.lastUnsettledAt = now;
      // Growth counts only calm time.
      this.lastGrowthAt = now;
    }
    const holding = now < this.refusingAllUntil;
    if (severe) {
      // An ng timeout stays in the signal for its window: the hold runs from the last look that saw it.
      this.refusingAllUntil = Math.max(this.refusingAllUntil, now + this.tuning.holdMs);
      this.refusingAllFor = severe;
    }
    if (slow && !severe && !this.limitedBy) {
      this.slowSince ??= now;
      // Not for long enough yet: admit as before (no cut, no growth either).
      if (now - this.slowSince < this.tuning.slowForMs) return;
    }
    if (!slow) this.slowSince = null;
    if (severe || slow) {
      // While every call is refused the rate admits nothing, so cutting it further would say nothing new.
      if (!holding) this.cut(severe ?? 'ng_latency', now);
      return;
    }
    if (!this.limitedBy || !calm) return;
    // Calm: additive increase, per second of calm.
    this.rate += (this.tuning.increasePerSecond * (now - this.lastGrowthAt)) / 1000;
    this.lastGrowthAt = now;
    const ceiling = this.limits.maxCallsPerSecond;
    if (ceiling > 0) this.rate = Math.min(this.rate, ceiling);
    const settledFor = Math.min(now - this.lastRateRefusalAt, now - this.lastUnsettledAt);
    if (settledFor >= this.tuning.recoverMs) this.limitedBy = null;
  }

  /** Multiplicative decrease: from what was being admitted at the first cut, then from the rate itself. */
  private cut(reason: OverloadReason, now: number): void {
    const { decreaseFactor, decreaseIntervalMs, minCallsPerSecond } = this.tuning;
    if (!this.limitedBy) {
      this.limitedBy = reason;
      this.since = now;
      const from = Math.max(this.admittedRate(now), minCallsPerSecond);
      this.rate = Math.max(minCallsPerSecond, from * decreaseFactor);
      this.adaptive = { tokens: 0, at: now };
      this.lastDecreaseAt = now;
    } else if (now - this.lastDecreaseAt >= decreaseIntervalMs) {
      this.limitedBy = reason;
      this.rate = Math.max(minCallsPerSecond, this.rate * decreaseFactor);
      this.lastDecreaseAt = now;
    }
  }

  private refusalFor(signals: OverloadSignals, now: number): OverloadReason | null {
    if (this.limits.maxLiveCalls > 0 && signals.liveCalls >= this.limits.maxLiveCalls) return 'live_calls';
    if (now < this.refusingAllUntil) return this.refusingAllFor;
    if (this.limitedBy && !take(this.adaptive, this.rate, this.tuning.burstSeconds, now)) {
      this.lastRateRefusalAt = now;
      return this.limitedBy;
    }
    const ceiling = this.limits.maxCallsPerSecond;
    if (ceiling > 0) {
      this.ceiling ??= { tokens: Math.max(1, ceiling * this.tuning.burstSeconds), at: now };
      if (!take(this.ceiling, ceiling, this.tuning.burstSeconds, now)) return 'call_rate';
    }
    return null;
  }

  private countAdmission(now: number): void {
    const second = Math.floor(now / 1000);
    if (second !== this.secondIndex) {
      this.admittedLastSecond = second === this.secondIndex + 1 ? this.admittedThisSecond : 0;
      this.admittedThisSecond = 0;
      this.secondIndex = second;
    }
    this.admittedThisSecond += 1;
  }

  /** Calls admitted over the last second (sliding-window estimate from two one-second counts). */
  private admittedRate(now: number): number {
    const second = Math.floor(now / 1000);
    if (second > this.secondIndex + 1) return 0;
    if (second === this.secondIndex + 1) return this.admittedThisSecond * (1 - (now % 1000) / 1000);
    return this.admittedLastSecond * (1 - (now % 1000) / 1000) + this.admittedThisSecond;
  }
}

/** Takes one token from `bucket` refilled at `rate`/s (capacity: `burstSeconds` of the rate, at least one call). */
function take(bucket: TokenBucket, rate: number, burstSeconds: number, now: number): boolean {
  const capacity = Math.max(1, rate * burstSeconds);
  bucket.tokens = Math.min(capacity, bucket.tokens + (rate * Math.max(0, now - bucket.at)) / 1000);
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
