import type Srf from 'drachtio-srf';
import type { MonitorLeg, MonitorLegEnd } from '../../call-monitoring/monitor-leg';
import type { MonitorMode } from '../../call-monitoring/monitor-mode';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import type { MonitorFork } from '../../media/monitor-fork';
import { hangUpDialog } from '../call-session/dialog-ends';
import { Signal } from '../call-session/signal';
import type { SupervisorVoice } from './supervisor-voice';

/**
 * A supervisor's answered monitoring call: their device's dialog, the media
 * fork feeding it, and the supervisor's voice for whisper and barge
 * (SupervisorVoice). Whoever ends it — the supervisor hanging up, the
 * monitored call ending, the service stopping it, a call of the voice lost —
 * the voice is released (the caller paired with the agent again), the fork is
 * unsubscribed and the dialog is gone, once.
 */
export class SipMonitorLeg implements MonitorLeg {
  readonly ended: Promise<MonitorLegEnd>;
  private readonly done = new Signal<MonitorLegEnd>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly dialog: Srf.Dialog,
    private readonly fork: MonitorFork,
    private readonly voice: SupervisorVoice,
    private mode: MonitorMode,
    callEnded: Promise<void>,
    private readonly log: Logger,
  ) {
    this.ended = this.done.promise;
    dialog.on('destroy', () => void this.close({ reason: 'supervisor_hung_up' }, false));
    void callEnded.then(() => this.close({ reason: 'call_ended' }, true));
  }

  get currentMode(): MonitorMode {
    return this.mode;
  }

  async changeMode(mode: MonitorMode): Promise<void> {
    if (this.closing) throw new AppError('CALL_NOT_LIVE', 'the monitoring call has ended');
    if (mode === this.mode) return;
    await this.voice.apply(mode, this.mode);
    this.mode = mode;
  }

  stop(): Promise<void> {
    return this.close({ reason: 'stopped' }, true);
  }

  /** A call of the supervisor's voice ended from the far side: the session cannot carry its mode, so it ends, saying why. */
  voiceLost(detail: string): void {
    void this.close({ reason: 'failed', detail }, true);
  }

  private close(end: MonitorLegEnd, hangUp: boolean): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      try {
        // First the voice: a barge pairs the caller with the agent again before anything else goes.
        await this.voice.close();
      } catch (err) {
        this.log.warn({ err }, 'releasing the supervisor\'s voice failed');
      }
      try {
        await this.fork.end();
      } catch (err) {
        // rtpengine keeps nothing of it past the monitored call's delete: the copy stops then at the latest.
        this.log.warn({ err }, 'ending the monitoring media failed');
      } finally {
        if (hangUp) hangUpDialog(this.dialog, this.log);
        this.log.info({ reason: end.reason, mode: this.mode }, 'monitoring leg ended');
        this.done.resolve(end);
      }
    })();
    return this.closing;
  }
}
