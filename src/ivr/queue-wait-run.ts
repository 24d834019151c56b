import { digitPromptIds, LARGEST_SPOKEN_NUMBER, numberPromptIds, pluralFormOf } from './spoken-number';

/** A queue's settings for what its waiting callers hear and may do (the directory's queue row). */
export interface QueueWaitSettings {
  /** Position and estimated wait said this often; 0: never (the options, if any, are said once). */
  readonly announceEveryMs: number;
  /** The key that asks for a callback at the caller's place; null: not offered. */
  readonly callbackKey: string | null;
  /** The key that leaves a message; null: not offered (or no message recorder on this system). */
  readonly messageKey: string | null;
}

export interface QueueWaitRunOptions {
  readonly settings: QueueWaitSettings;
  /** The language the IVR chose; the pieces played are resolved in it by the adapter. */
  readonly language: string;
  /** The caller's own number (E.164), offered for the callback; null: unknown, the caller enters one. */
  readonly callerNumber: string | null;
  /** How long the caller may take between keys while giving a number (default 10 s). */
  readonly inputTimeoutMs?: number;
}

/** What the call tells the run. Playback and timer events carry the id of the command that started them. */
export type QueueWaitEvent =
  | { readonly type: 'started' }
  | { readonly type: 'position'; readonly position: number | null; readonly estimatedWaitMs: number | 'unknown' }
  | { readonly type: 'announcement_done'; readonly playbackId: number }
  | { readonly type: 'digit'; readonly digit: string }
  | { readonly type: 'timeout'; readonly timerId: number }
  | { readonly type: 'callback_result'; readonly accepted: boolean }
  /** The caller is no longer waiting (an agent took the call, an overflow, the caller left). */
  | { readonly type: 'left_queue' };

/** What the run asks of the call. */
export type QueueWaitCommand =
  /** The queue's music, from its start (a prompt played over it stopped it). */
  | { readonly type: 'music' }
  /** Play these prompt pieces back to back; answer with announcement_done(playbackId) after the last. */
  | { readonly type: 'play'; readonly playbackId: number; readonly promptIds: readonly string[] }
  | { readonly type: 'stop_playback'; readonly playbackId: number }
  | { readonly type: 'start_timer'; readonly timerId: number; readonly ms: number }
  | { readonly type: 'cancel_timer'; readonly timerId: number }
  /** Read the caller's place and estimated wait from the ACD; answer with position. */
  | { readonly type: 'ask_position' }
  /** Turn the caller's entry into a callback request at the same place; answer with callback_result. */
  | { readonly type: 'request_callback'; readonly number: string }
  /** Hand the caller to the message recorder (the run is over). */
  | { readonly type: 'leave_message' }
  /** The callback is taken and the caller told: end the call. */
  | { readonly type: 'hang_up' };

/**
 * Where the wait stands: music between announcements; asking the ACD and
 * announcing; giving a callback number (confirming the own one, or entering
 * one); the callback request under way and its confirmation; over.
 */
export type QueueWaitState =
  | 'idle' | 'music' | 'asking' | 'announcing'
  | 'confirming_number' | 'entering_number' | 'requesting_callback' | 'closing' | 'done';

const TRANSITIONS: Readonly<Record<QueueWaitState, readonly QueueWaitState[]>> = {
  idle: ['music', 'asking', 'announcing', 'done'],
  music: ['asking', 'announcing', 'confirming_number', 'entering_number', 'done'],
  asking: ['music', 'announcing', 'confirming_number', 'entering_number', 'done'],
  announcing: ['music', 'confirming_number', 'entering_number', 'done'],
  confirming_number: ['music', 'entering_number', 'requesting_callback', 'done'],
  entering_number: ['music', 'entering_number', 'requesting_callback', 'done'],
  requesting_callback: ['closing', 'announcing', 'done'],
  closing: ['done'],
  done: [],
};

const DIGIT = /^[0-9*#]$/;
const DEFAULT_INPUT_TIMEOUT_MS = 10_000;
/** The ACD takes 3–20 digits; more keys than that are ignored. */
const MAX_NUMBER_DIGITS = 20;
const MIN_NUMBER_DIGITS = 3;

/**
 * What one caller waiting in a queue hears and can do (issue 17): the
 * queue's music, and every `announceEveryMs` (first after one interval) their place and estimated wait
 * ("unknown" when the ACD has no estimate) followed by the keys they may
 * press; a key stops an announcement and acts at once (barge-in). The
 * callback key offers the caller's own number to confirm with 1, or takes
 * another ended by #; the request keeps the caller's place in the ACD.
 * Pure: events in, commands out; the call's adapter (src/sip/call-session/
 * queue-wait.ts) carries them out and reports back.
 */
export class QueueWaitRun {
  private current: QueueWaitState = 'idle';
  private nextId = 1;
  private playback: number | null = null;
  private announceTimer: number | null = null;
  private inputTimer: number | null = null;
  private entered = '';
  private out: QueueWaitCommand[] = [];
  /** Announcements played so far (for the record and tests). */
  announcements = 0;
  /** The number a callback was asked for, once asked. */
  callbackNumber: string | null = null;
  private readonly inputTimeoutMs: number;

  constructor(private readonly options: QueueWaitRunOptions) {
    for (const key of [options.settings.callbackKey, options.settings.messageKey]) {
      if (key !== null && !/^[0-9]$/.test(key)) throw new RangeError(`an in-queue option key is one digit 0–9, got "${key}"`);
    }
    if (options.settings.callbackKey !== null && options.settings.callbackKey === options.settings.messageKey) {
      throw new RangeError('the callback and message keys must differ');
    }
    this.inputTimeoutMs = options.inputTimeoutMs ?? DEFAULT_INPUT_TIMEOUT_MS;
  }

  get state(): QueueWaitState {
    return this.current;
  }

  handle(event: QueueWaitEvent): QueueWaitCommand[] {
    this.out = [];
    if (this.current === 'done') return [];
    switch (event.type) {
      case 'started':
        if (this.current === 'idle') this.start();
        break;
      case 'position':
        if (this.current === 'asking') this.announce(event.position, event.estimatedWaitMs);
        break;
      case 'announcement_done':
        if (event.playbackId === this.playback) this.playbackEnded();
        break;
      case 'timeout':
        this.timeout(event.timerId);
        break;
      case 'digit':
        if (DIGIT.test(event.digit)) this.digit(event.digit);
        break;
      case 'callback_result':
        if (this.current === 'requesting_callback') this.callbackResult(event.accepted);
        break;
      case 'left_queue':
        this.cancelTimers();
        this.to('done');
        break;
    }
    return this.out;
  }

  private get settings(): QueueWaitSettings {
    return this.options.settings;
  }

  private to(next: QueueWaitState): void {
    if (!TRANSITIONS[this.current].includes(next)) throw new Error(`queue wait: ${this.current} -> ${next} is not allowed`);
    this.current = next;
  }

  private start(): void {
    this.out.push({ type: 'music' });
    // The first announcement after one interval, as Asterisk's announce-frequency does: a caller put through
    // within it hears only music, and the caller entering the queue is not talked over at once.
    if (this.settings.announceEveryMs > 0) {
      this.to('music');
      this.armAnnouncement();
      return;
    }
    const options = this.optionPieces();
    if (options.length > 0) this.play('announcing', options);
    else this.to('music');
  }

  /** The place and wait the ACD gave, then the options; nothing when the caller is no longer in line (an agent is rung). */
  private announce(position: number | null, estimatedWaitMs: number | 'unknown'): void {
    if (position === null) {
      this.backToMusic(false);
      return;
    }
    this.announcements += 1;
    this.play('announcing', [...positionPieces(position), ...this.waitPieces(estimatedWaitMs), ...this.optionPieces()]);
  }

  private waitPieces(estimatedWaitMs: number | 'unknown'): string[] {
    if (estimatedWaitMs === 'unknown') return ['queue_wait_unknown'];
    if (estimatedWaitMs < 60_000) return ['queue_wait_under_minute'];
    const minutes = Math.ceil(estimatedWaitMs / 60_000);
    if (minutes > 60 || minutes > LARGEST_SPOKEN_NUMBER) return ['queue_wait_over_hour'];
    return ['queue_wait_about', ...numberPromptIds(minutes, 'feminine'), `queue_minutes_${pluralFormOf(minutes, this.options.language)}`];
  }

  private optionPieces(): string[] {
    const pieces: string[] = [];
    if (this.settings.callbackKey !== null) pieces.push('queue_press_for_callback', `num_${this.settings.callbackKey}`);
    if (this.settings.messageKey !== null) pieces.push('queue_press_for_message', `num_${this.settings.messageKey}`);
    return pieces;
  }

  private play(state: QueueWaitState, promptIds: string[]): void {
    this.to(state);
    this.playback = this.nextId++;
    this.out.push({ type: 'play', playbackId: this.playback, promptIds });
  }

  private stopPlayback(): void {
    if (this.playback === null) return;
    this.out.push({ type: 'stop_playback', playbackId: this.playback });
    this.playback = null;
  }

  private playbackEnded(): void {
    this.playback = null;
    switch (this.current) {
      case 'announcing':
        this.backToMusic(true);
        break;
      case 'confirming_number':
      case 'entering_number':
        this.out.push({ type: 'music' });
        this.startInputTimer();
        break;
      case 'closing':
        this.to('done');
        this.out.push({ type: 'hang_up' });
        break;
      default:
        break;
    }
  }

  /** Music again until the next announcement; `restart` when a prompt had replaced it. */
  private backToMusic(restart: boolean): void {
    this.to('music');
    if (restart) this.out.push({ type: 'music' });
    this.armAnnouncement();
  }

  private armAnnouncement(): void {
    if (this.settings.announceEveryMs <= 0) return;
    if (this.announceTimer !== null) this.out.push({ type: 'cancel_timer', timerId: this.announceTimer });
    this.announceTimer = this.nextId++;
    this.out.push({ type: 'start_timer', timerId: this.announceTimer, ms: this.settings.announceEveryMs });
  }

  private startInputTimer(): void {
    this.cancelInputTimer();
    this.inputTimer = this.nextId++;
    this.out.push({ type: 'start_timer', timerId: this.inputTimer, ms: this.inputTimeoutMs });
  }

  private cancelInputTimer(): void {
    if (this.inputTimer === null) return;
    this.out.push({ type: 'cancel_timer', timerId: this.inputTimer });
    this.inputTimer = null;
  }

  private cancelTimers(): void {
    this.cancelInputTimer();
    if (this.announceTimer !== null) this.out.push({ type: 'cancel_timer', timerId: this.announceTimer });
    this.announceTimer = null;
  }

  private timeout(timerId: number): void {
    if (timerId === this.announceTimer) {
      this.announceTimer = null;
      // Giving a number or being told the callback is taken: the next announcement waits for the music.
      if (this.current !== 'music') return;
      this.to('asking');
      this.out.push({ type: 'ask_position' });
      return;
    }
    if (timerId === this.inputTimer) {
      this.inputTimer = null;
      // No key for a while: the caller stays in line, as if they had pressed star.
      if (this.current === 'confirming_number' || this.current === 'entering_number') this.cancelNumber();
    }
  }

  private digit(digit: string): void {
    switch (this.current) {
      case 'music':
      case 'asking':
      case 'announcing':
        this.optionKey(digit);
        break;
      case 'confirming_number':
        this.confirmingKey(digit);
        break;
      case 'entering_number':
        this.enteringKey(digit);
        break;
      default:
        // Requesting or confirming the callback: keys no longer change anything.
        break;
    }
  }

  /** An option key stops what plays and acts; any other key is ignored (the announcement goes on). */
  private optionKey(digit: string): void {
    if (digit === this.settings.callbackKey) {
      this.stopPlayback();
      this.offerNumber();
    } else if (digit === this.settings.messageKey) {
      this.stopPlayback();
      this.cancelTimers();
      this.to('done');
      this.out.push({ type: 'leave_message' });
    }
  }

  private offerNumber(): void {
    this.entered = '';
    const own = this.options.callerNumber;
    if (own && digitPromptIds(own).length >= MIN_NUMBER_DIGITS) this.play('confirming_number', ['callback_number_is', ...digitPromptIds(own), 'callback_confirm_or_enter']);
    else this.play('entering_number', ['callback_enter_number']);
  }

  /**
   * The own number offered: 1 (or # alone) confirms it, star goes back, any
   * other digit starts another number. So a different number that begins
   * with 1 cannot be typed over the offer (its first key confirms); the
   * prompt says "press 1 to confirm" and numbers dialled here start with 8,
   * 0 or the country code 7, which is the trade-off taken.
   */
  private confirmingKey(digit: string): void {
    const own = this.options.callerNumber;
    if ((digit === '1' || digit === '#') && own) {
      this.stopPlayback();
      this.requestCallback(own);
    } else if (digit === '*') {
      this.cancelNumber();
    } else if (digit !== '#') {
      this.stopPlayback();
      this.entered = digit;
      this.to('entering_number');
      this.out.push({ type: 'music' });
      this.startInputTimer();
    }
  }

  private enteringKey(digit: string): void {
    if (digit === '*') {
      this.cancelNumber();
      return;
    }
    if (this.playback !== null) {
      // Typing over the prompt: it stops, the music comes back under the keys.
      this.stopPlayback();
      this.out.push({ type: 'music' });
    }
    if (digit === '#') {
      if (this.entered.length >= MIN_NUMBER_DIGITS) {
        this.requestCallback(this.entered);
        return;
      }
      this.entered = '';
      this.play('entering_number', ['invalid_choice', 'callback_enter_number']);
      return;
    }
    if (this.entered.length < MAX_NUMBER_DIGITS) this.entered += digit;
    this.startInputTimer();
  }

  private cancelNumber(): void {
    this.stopPlayback();
    this.cancelInputTimer();
    this.entered = '';
    this.backToMusic(true);
  }

  private requestCallback(number: string): void {
    this.cancelTimers();
    this.to('requesting_callback');
    this.callbackNumber = number;
    this.out.push({ type: 'request_callback', number });
  }

  private callbackResult(accepted: boolean): void {
    if (accepted) {
      this.play('closing', ['callback_kept_place', 'goodbye']);
      return;
    }
    // The ACD refused (the caller is being put through right now, or it is away): they keep waiting.
    this.callbackNumber = null;
    this.play('announcing', ['callback_failed']);
  }
}

/** "You are number N", or "many ahead" past what is said in words. */
function positionPieces(position: number): string[] {
  if (position > LARGEST_SPOKEN_NUMBER) return ['queue_position_many'];
  return ['queue_position', ...numberPromptIds(Math.max(1, position))];
}
