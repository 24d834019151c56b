import type { Logger } from '../../logger';
import type { ComponentStatus } from '../../platform/component-status';
import { AdmissionControl, REASON_WORDS, type AdmissionDecision, type AdmissionTuning, type OverloadLimits, type OverloadReason, type OverloadSignals } from './admission';
import type { EventLoopDelaySignal } from './event-loop-delay';

/** The media's load as the call services hand it over (src/media's NgLoadSignal, without src/sip importing it). */
export interface MediaLoadSignal {
  read(): { latencyMs: number; timeouts: number };
}

/** Options of OverloadGuard. */
export interface OverloadGuardOptions {
  limits: OverloadLimits;
  media: MediaLoadSignal;
  eventLoop: EventLoopDelaySignal;
  logger: Logger;
  clock?: () => number;
  tuning?: Partial<AdmissionTuning>;
  /** Told of each refusal (the Prometheus counter). */
  onRefused?: (reason: OverloadReason) => void;
  /** At most one summary line of refusals per this long (default 10 s): a flood must not flood the log too. */
  logIntervalMs?: number;
  /** A refusal shows on the status this long (default 5 s): at the live-call cap no rate is limited, yet calls are refused. */
  recentMs?: number;
}

/**
 * The hotline's overload control at the edge (issue 16): reads the signals,
 * asks AdmissionControl, and keeps the log readable under a flood — one warn
 * when shedding starts, one summary of the refusals at most every
 * `logIntervalMs`, one info when calls are admitted freely again.
 */
export class OverloadGuard {
  private readonly control: AdmissionControl;
  private readonly clock: () => number;
  private readonly logIntervalMs: number;
  private readonly refusedTotals = new Map<OverloadReason, number>();
  /** Refusals since the last log line, by reason. */
  private readonly unreported = new Map<OverloadReason, number>();
  private lastLogAt = Number.NEGATIVE_INFINITY;
  private shedding = false;
  private lastSignals: OverloadSignals | null = null;
  private lastRefusal: { at: number; reason: OverloadReason } | null = null;

  constructor(private readonly options: OverloadGuardOptions) {
    this.control = new AdmissionControl(options.limits, options.tuning);
    this.clock = options.clock ?? Date.now;
    this.logIntervalMs = options.logIntervalMs ?? 10_000;
  }

  /** Admit or refuse one new hotline call; `liveCalls`: the hotline calls live in this process now. */
  admit(liveCalls: number): AdmissionDecision {
    const media = this.options.media.read();
    const signals: OverloadSignals = { ngLatencyMs: media.latencyMs, ngTimeouts: media.timeouts, eventLoopDelayMs: this.options.eventLoop.read(), liveCalls };
    this.lastSignals = signals;
    const now = this.clock();
    const decision = this.control.decide(signals, now);
    if (decision.kind === 'refuse') {
      this.refusedTotals.set(decision.reason, (this.refusedTotals.get(decision.reason) ?? 0) + 1);
      this.unreported.set(decision.reason, (this.unreported.get(decision.reason) ?? 0) + 1);
      this.options.onRefused?.(decision.reason);
      this.lastRefusal = { at: now, reason: decision.reason };
    }
    this.report(decision, signals, now);
    return decision;
  }

  /** Calls refused since start, by reason. */
  refused(): Readonly<Partial<Record<OverloadReason, number>>> {
    return Object.fromEntries(this.refusedTotals);
  }

  /**
   * The overload control as a component of /readyz: `down` while shedding, but
   * never required — a process that sheds still takes what it can carry, and
   * a load balancer that took it out for shedding would only move the flood.
   */
  status(): ComponentStatus {
    const now = this.clock();
    const state = this.control.state(now);
    const recent = this.lastRefusal && now - this.lastRefusal.at < (this.options.recentMs ?? 5000) ? this.lastRefusal : null;
    if (!state.limitedBy && state.refusingAllUntil === null && !recent) return { name: 'overload', state: 'up', required: false, detail: 'admitting new calls' };
    const parts = [
      state.refusingAllUntil !== null ? 'refusing every new call' : state.limitedBy ? `admitting up to ${Math.round(state.callsPerSecond ?? 0)} calls/s` : 'refusing new calls',
      state.limitedBy ? `(${REASON_WORDS[state.limitedBy]})` : recent ? `(${REASON_WORDS[recent.reason]})` : '',
      this.lastSignals ? `${this.lastSignals.liveCalls} live calls, ng ${Math.round(this.lastSignals.ngLatencyMs)} ms, ${this.lastSignals.ngTimeouts} timeouts, event loop ${Math.round(this.lastSignals.eventLoopDelayMs)} ms` : '',
    ];
    return { name: 'overload', state: 'down', required: false, detail: `shedding: ${parts.filter(Boolean).join(' ')}` };
  }

  private report(decision: AdmissionDecision, signals: OverloadSignals, now: number): void {
    const state = this.control.state(now);
    const shedding = state.limitedBy !== null || state.refusingAllUntil !== null;
    const log = this.options.logger;
    if (shedding && !this.shedding) {
      this.shedding = true;
      log.warn({ limitedBy: state.limitedBy, callsPerSecond: state.callsPerSecond, signals }, 'overloaded: shedding new hotline calls (503 with Retry-After)');
    } else if (!shedding && this.shedding && decision.kind === 'admit') {
      this.shedding = false;
      this.flush(signals, now);
      log.info({ signals }, 'no longer overloaded: admitting new hotline calls freely');
      return;
    }
    if (this.unreported.size > 0 && now - this.lastLogAt >= this.logIntervalMs) this.flush(signals, now);
  }

  private flush(signals: OverloadSignals, now: number): void {
    if (this.unreported.size === 0) return;
    const refused = Object.fromEntries(this.unreported);
    this.unreported.clear();
    this.lastLogAt = now;
    this.options.logger.warn({ refused, signals }, 'new hotline calls refused for overload');
  }
}
