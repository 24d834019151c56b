import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How late this process's event loop runs: a high percentile over the last window, in ms. */
export interface EventLoopDelaySignal {
  read(): number;
}

/** The histogram's sampling timer fires this often (ms); Node counts this interval into every sample, so it is taken off. */
const RESOLUTION_MS = 10;

/**
 * perf_hooks.monitorEventLoopDelay, read as the 99th percentile of the
 * window just finished or of the one under way, whichever is worse — a
 * stall shows at once, and is forgotten one window after it ended.
 */
export class EventLoopDelay implements EventLoopDelaySignal {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private timer: NodeJS.Timeout | null = null;
  private lastWindowMs = 0;

  constructor(private readonly windowMs = 1000) {}

  start(): void {
    if (this.timer) return;
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.lastWindowMs = this.currentMs();
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
    return Math.max(this.lastWindowMs, this.currentMs());
  }

  private currentMs(): number {
    if (this.histogram.count === 0) return 0;
    return Math.max(0, this.histogram.percentile(99) / 1e6 - RESOLUTION_MS);
  }
}
