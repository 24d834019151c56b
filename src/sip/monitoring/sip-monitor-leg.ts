import type Srf from 'drachtio-srf';
import type { MonitorLeg, MonitorLegEnd } from '../../call-monitoring/monitor-leg';
import type { MonitorMode } from '../../call-monitoring/monitor-mode';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import { unsupportedMonitorMode } from '../../media/monitor-capabilities';
import type { MonitorFork } from '../../media/monitor-fork';
import { hangUpDialog } from '../call-session/dialog-ends';
import { Signal } from '../call-session/signal';

/**
 * A supervisor's answered monitoring call: their device's dialog and the
 * media fork feeding it. Whoever ends it — the supervisor hanging up, the
 * monitored call ending, the service stopping it — the fork is unsubscribed
 * and the dialog is gone, once.
 */
export class SipMonitorLeg implements MonitorLeg {
  readonly ended: Promise<MonitorLegEnd>;
  private readonly done = new Signal<MonitorLegEnd>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly dialog: Srf.Dialog,
    private readonly fork: MonitorFork,
    private mode: MonitorMode,
    callEnded: Promise<void>,
    private readonly log: Logger,
  ) {
    this.ended = this.done.promise;
    dialog.on('destroy', () => void this.close({ reason: 'supervisor_hung_up' }, false));
    void callEnded.then(() => this.close({ reason: 'call_ended' }, true));
  }

  changeMode(mode: MonitorMode): Promise<void> {
    if (this.closing) return Promise.reject(new AppError('CALL_NOT_LIVE', 'the monitoring call has ended'));
    const why = unsupportedMonitorMode(mode);
    if (why) return Promise.reject(new AppError('MONITOR_MODE_UNSUPPORTED', why));
    // Only listen is carried (monitor-capabilities), and the leg already listens.
    this.mode = mode;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return this.close({ reason: 'stopped' }, true);
  }

  private close(end: MonitorLegEnd, hangUp: boolean): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      try {
        await this.fork.end();
      } catch (err) {
        // rtpengine keeps nothing of it past the monitored call's delete: the copy stops then at the latest.
        this.log.warn({ err }, 'unsubscribing the monitoring fork failed');
      } finally {
        if (hangUp) hangUpDialog(this.dialog, this.log);
        this.log.info({ reason: end.reason, mode: this.mode }, 'monitoring leg ended');
        this.done.resolve(end);
      }
    })();
    return this.closing;
  }
}
