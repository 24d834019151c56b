import type { FlowDocument } from '../../../src/ivr/flow-document';
import type { IvrCommand } from '../../../src/ivr/ivr-command';
import type { IvrEvent } from '../../../src/ivr/ivr-event';
import { IvrRun } from '../../../src/ivr/ivr-run';
import type { IvrRunContext } from '../../../src/ivr/ivr-run-context';
import type { PromptCatalogue } from '../../../src/ivr/prompt-catalogue';
import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';

/** Wednesday noon in Moscow: the default schedule is open. */
export const OPEN_AT = Date.parse('2026-03-11T09:00:00Z');
/** Wednesday 22:30 in Moscow: closed. */
export const CLOSED_AT = Date.parse('2026-03-11T19:30:00Z');

/**
 * A fake session around an IvrRun: a settable clock, and the media/timer
 * state the commands create, so tests can "finish the prompt" or "let the
 * timer fire" the way src/sip and src/media will.
 */
export class FakeSession {
  now: number;
  readonly run: IvrRun;
  readonly commands: IvrCommand[] = [];
  playing: number | null = null;
  timer: number | null = null;

  constructor(flow: FlowDocument, context: Partial<IvrRunContext> = {}, options: { at?: number; catalogue?: PromptCatalogue } = {}) {
    this.now = options.at ?? OPEN_AT;
    this.run = new IvrRun({
      flow,
      catalogue: options.catalogue ?? DEFAULT_PROMPTS,
      context: { client: null, businessHours: DEFAULT_ROUTING_CONFIG.businessHours, ...context },
      clock: { now: () => this.now },
    });
  }

  send(event: IvrEvent): IvrCommand[] {
    const out = this.run.handle(event);
    for (const c of out) {
      if (c.type === 'play') this.playing = c.playbackId;
      if (c.type === 'stop_playback' && c.playbackId === this.playing) this.playing = null;
      if (c.type === 'start_timer') this.timer = c.timerId;
      if (c.type === 'cancel_timer' && c.timerId === this.timer) this.timer = null;
    }
    this.commands.push(...out);
    return out;
  }

  answer(): IvrCommand[] {
    return this.send({ type: 'answered' });
  }

  /** The current prompt ends by itself. */
  finishPrompt(): IvrCommand[] {
    if (this.playing === null) throw new Error('nothing is playing');
    const playbackId = this.playing;
    this.playing = null;
    this.now += 1500;
    return this.send({ type: 'prompt_finished', playbackId });
  }

  /** Lets every queued prompt of the current node play out. */
  finishPrompts(): void {
    while (this.playing !== null) this.finishPrompt();
  }

  fireTimer(): IvrCommand[] {
    if (this.timer === null) throw new Error('no timer is running');
    const timerId = this.timer;
    this.timer = null;
    this.now += 6000;
    return this.send({ type: 'timeout', timerId });
  }

  press(keys: string): IvrCommand[] {
    const out: IvrCommand[] = [];
    for (const digit of keys) {
      this.now += 200;
      out.push(...this.send({ type: 'digit', digit }));
    }
    return out;
  }

  /** Prompt ids played so far, in order. */
  get prompts(): string[] {
    return this.commands.flatMap((c) => (c.type === 'play' ? [c.promptId] : []));
  }

  get last(): IvrCommand | undefined {
    return this.commands[this.commands.length - 1];
  }
}
