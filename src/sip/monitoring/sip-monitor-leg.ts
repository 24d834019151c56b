import type Srf from 'drachtio-srf';
import { modeBeforeCallChange, type CallMediaChange, type ForcedMode } from '../../call-monitoring/call-media-change';
import type { MonitorLeg, MonitorLegEnd } from '../../call-monitoring/monitor-leg';
import type { MonitorMode } from '../../call-monitoring/monitor-mode';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import type { MonitorFork } from '../../media/monitor-fork';
import { hangUpDialog } from '../call-session/dialog-ends';
import { Signal } from '../call-session/signal';
import type { MonitoredCall } from './monitored-call';
import type { SupervisorVoice } from './supervisor-voice';

/** What the leg follows of the monitored call besides its audio. */
export interface MonitoredCallWatch {
  call: Pick<MonitoredCall, 'ended' | 'beforeMediaChange'>;
  /** Told (and awaited) when the call drops the mode by itself: the service records it. */
  onModeForced?: (forced: ForcedMode) => Promise<void>;
}

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
  /** Mode changes, asked or forced, one at a time: each decides on the mode the one before left. */
  private changing: Promise<void> = Promise.resolve();
  private readonly unhook: () => void;

  constructor(
    private readonly dialog: Srf.Dialog,
    private readonly fork: MonitorFork,
    private readonly voice: SupervisorVoice,
    private mode: MonitorMode,
    private readonly watch: MonitoredCallWatch,
    private readonly log: Logger,
  ) {
    this.ended = this.done.promise;
    dialog.on('destroy', () => void this.close({ reason: 'supervisor_hung_up' }, false));
    void watch.call.ended.then(() => this.close({ reason: 'call_ended' }, true));
    this.unhook = watch.call.beforeMediaChange((change) => this.callChanging(change));
  }

  get currentMode(): MonitorMode {
    return this.mode;
  }

  changeMode(mode: MonitorMode): Promise<void> {
    return this.inTurn(async () => {
      if (this.closing) throw new AppError('CALL_NOT_LIVE', 'the monitoring call has ended');
      if (mode === this.mode) return;
      await this.voice.apply(mode, this.mode);
      this.mode = mode;
    });
  }

  /**
   * The monitored call is about to change its media (a hold, a resume, a transfer): whisper and barge step aside
   * to listen first (modeBeforeCallChange), the service told before the voice goes. The call waits for this.
   */
  callChanging(change: CallMediaChange): Promise<void> {
    return this.inTurn(async () => {
      const forced = this.closing ? null : modeBeforeCallChange(this.mode, change);
      if (!forced) return;
      this.log.info({ change, from: this.mode, to: forced.mode }, forced.why);
      await this.watch.onModeForced?.(forced).catch((err: unknown) => this.log.warn({ err }, 'the forced mode was not recorded'));
      try {
        // On failure apply() walks "back" to listen too, and failing that releases every piece of the voice.
        await this.voice.apply(forced.mode, forced.mode);
      } catch (err) {
        this.log.warn({ err }, 'the supervisor\'s voice did not step aside cleanly');
      }
      this.mode = forced.mode;
    });
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const run = this.changing.then(work);
    this.changing = run.catch(() => undefined);
    return run;
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
      this.unhook();
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
