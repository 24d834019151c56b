import type { IvrCommand, RouteCommand } from '../ivr/ivr-command';
import type { IvrEvent } from '../ivr/ivr-event';
import type { IvrPathStep, IvrRun } from '../ivr/ivr-run';
import type { Logger } from '../logger';
import type { MediaSession } from '../media/media-session';

/** How an IVR run ended, for the call session. */
export type IvrEnd =
  | { kind: 'route'; command: RouteCommand }
  | { kind: 'hangup'; callbackRequested: boolean; language: string; variables: Readonly<Record<string, string>> }
  | { kind: 'caller_hangup' };

/** What the driver asks of the call's media: prompts and barge-in. */
export type IvrMedia = Pick<MediaSession, 'playPrompt' | 'stopPlayback'>;

/** If rtpengine cannot say how long a prompt is, assume this much. */
const UNKNOWN_PROMPT_MS = 3000;

/**
 * Carries out an IVR run's commands on a real call: prompts through
 * rtpengine (whose reply gives the duration — there is no "finished" event,
 * design §7), digit timers, barge-in. Events go back into the run one at a
 * time, in order. Every timer it starts is cleared in stop().
 */
export class IvrDriver {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private queue: Promise<void> = Promise.resolve();
  private finished = false;
  private resolveEnd!: (end: IvrEnd) => void;
  readonly ended: Promise<IvrEnd>;
  private callbackRequested = false;
  /** How many of the run's path steps have been reported to onStep. */
  private stepsReported = 0;

  constructor(
    private readonly run: IvrRun,
    private readonly media: IvrMedia,
    /** Absolute path of a prompt's audio file. */
    private readonly promptFile: (promptId: string, language: string) => string,
    private readonly logger: Logger,
    /** Each node the caller enters, as it is entered (the call's IVR timeline). */
    private readonly onStep: (step: IvrPathStep) => void = () => undefined,
  ) {
    this.ended = new Promise<IvrEnd>((resolve) => (this.resolveEnd = resolve));
  }

  start(): void {
    this.feed({ type: 'answered' });
  }

  digit(digit: string): void {
    this.feed({ type: 'digit', digit });
  }

  callerHungUp(): void {
    this.feed({ type: 'caller_hangup' });
  }

  /** Stops every timer; the run is abandoned where it is. */
  stop(): void {
    this.finished = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Events are handled strictly one after another, as the run expects. */
  private feed(event: IvrEvent): void {
    this.queue = this.queue
      .then(async () => {
        if (this.finished) return;
        const commands = this.run.handle(event);
        this.reportSteps();
        await this.apply(commands);
      })
      .catch((err: unknown) => {
        this.logger.error({ err }, 'IVR step failed; handing the call to an operator');
        this.finish({ kind: 'route', command: { type: 'route', choice: { intent: 'operator' }, cause: 'flow_error', language: this.run.language, variables: {}, announcementsPlayed: [], path: this.run.path.map((p) => p.nodeId) } });
      });
  }

  private reportSteps(): void {
    const path = this.run.path;
    for (; this.stepsReported < path.length; this.stepsReported++) this.onStep(path[this.stepsReported] as IvrPathStep);
  }

  private finish(end: IvrEnd): void {
    if (this.finished) return;
    this.stop();
    this.resolveEnd(end);
  }

  private setTimer(key: string, ms: number, event: IvrEvent): void {
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.feed(event);
    }, ms));
  }

  private clearTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private async apply(commands: IvrCommand[]): Promise<void> {
    for (const command of commands) {
      switch (command.type) {
        case 'play': {
          const playback = await this.media.playPrompt(this.promptFile(command.promptId, command.language));
          this.setTimer(`play:${command.playbackId}`, playback.durationMs ?? UNKNOWN_PROMPT_MS, { type: 'prompt_finished', playbackId: command.playbackId });
          break;
        }
        case 'stop_playback':
          this.clearTimer(`play:${command.playbackId}`);
          await this.media.stopPlayback();
          break;
        case 'start_timer':
          this.setTimer(`timer:${command.timerId}`, command.ms, { type: 'timeout', timerId: command.timerId });
          break;
        case 'cancel_timer':
          this.clearTimer(`timer:${command.timerId}`);
          break;
        case 'route':
          this.finish({ kind: 'route', command });
          return;
        case 'request_callback':
          this.callbackRequested = true;
          break;
        case 'hangup':
          this.finish({ kind: 'hangup', callbackRequested: this.callbackRequested, language: this.run.language, variables: {} });
          return;
      }
    }
    if (this.run.outcome?.kind === 'caller_hangup') this.finish({ kind: 'caller_hangup' });
  }
}
