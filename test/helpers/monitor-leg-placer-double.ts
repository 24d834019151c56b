import { AppError } from '../../src/errors/app-error';
import type { MonitorLeg, MonitorLegEnd, MonitorLegPlacer, MonitorLegRequest } from '../../src/call-monitoring/monitor-leg';
import type { MonitorMode } from '../../src/call-monitoring/monitor-mode';

/** One leg the double "placed": what it was asked, and the switches a test pulls to end it as the telephony would. */
export interface PlacedLegDouble {
  request: MonitorLegRequest;
  modes: MonitorMode[];
  stopped: boolean;
  /** Ends the leg as the telephony would (the supervisor hung up, the monitored call ended). */
  endFromTelephony(end: MonitorLegEnd): void;
}

/**
 * TEST DOUBLE of the MonitorLegPlacer port, for API tests of call monitoring's rights and audit only:
 * it rings nothing and carries no audio. The real placer (src/sip + src/media) is tested end to end
 * by its own tests.
 */
export class MonitorLegPlacerDouble implements MonitorLegPlacer {
  readonly placed: PlacedLegDouble[] = [];
  /** The next place() rejects with this, once. */
  failNext: AppError | null = null;

  constructor(private readonly modes: readonly MonitorMode[] = ['listen', 'whisper', 'barge']) {}

  supportedModes(): Promise<readonly MonitorMode[]> {
    return Promise.resolve(this.modes);
  }

  place(request: MonitorLegRequest): Promise<MonitorLeg> {
    const failure = this.failNext;
    this.failNext = null;
    if (failure) return Promise.reject(failure);
    let settle: (end: MonitorLegEnd) => void = () => undefined;
    const ended = new Promise<MonitorLegEnd>((resolve) => { settle = resolve; });
    const record: PlacedLegDouble = {
      request, modes: [request.mode], stopped: false,
      endFromTelephony: (end) => settle(end),
    };
    this.placed.push(record);
    return Promise.resolve({
      ended,
      changeMode: (mode: MonitorMode) => {
        if (!this.modes.includes(mode)) return Promise.reject(new AppError('MONITOR_MODE_UNSUPPORTED', `${mode} is not supported`));
        record.modes.push(mode);
        return Promise.resolve();
      },
      stop: () => {
        record.stopped = true;
        settle({ reason: 'stopped' });
        return Promise.resolve();
      },
    });
  }
}
