import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How late this process's event loop runs: the mean lateness of its timers over the last window, in ms. */
export interface EventLoopDelaySignal {
  read(): number;
}

/** The histogram's sampling timer fires this often (ms); Node counts this interval into every sample, so it is taken off. */
const RESOLUTION_MS = 10;
/** A window under way counts once it holds this many samples (a fifth of a second's worth at least). */
const MIN_SAMPLES = 20;

/**
 * perf_hooks.monitorEventLoopDelay, read as the mean lateness of the window
 * just finished or of the one under way, whichever is worse. The mean, not a
 * high percentile: one long pause (a garbage collection, the start-up's own
 * work) is not overload, a loop that is late on every turn is. The first
 * window after start is left out: it holds the start-up.
 */
export class EventLoopDelay implements EventLoopDelaySignal {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private timer: NodeJS.Timeout | null = null;
  private lastWindowMs = 0;
  private warmedUp = false;

  constructor(private readonly windowMs = 1000) {}

  start(): void {
    if (this.timer) return;
    this.histogram.enable();
    this.timer = setInterval(() => {
      if (this.warmedUp) this.lastWindowMs = this.meanMs();
      this.warmedUp = true;
      this.histogram.reset();
    }, this.windowMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.histogram.disable();
  }

  read(): number {
    return Math.max(this.lastWindowMs, this.warmedUp && this.histogram.count >= MIN_SAMPLES ? this.meanMs() : 0);
  }

  private meanMs(): number {
    if (this.histogram.count === 0) return 0;
    return Math.max(0, this.histogram.mean / 1e6 - RESOLUTION_MS);
  }
}
