import type { QueueWaitCommand, QueueWaitEvent, QueueWaitRun } from '../../ivr/queue-wait-run';
import type { Logger } from '../../logger';
import type { MediaSession } from '../../media/media-session';

/** What the driver asks of the call's media. */
export type QueueWaitMedia = Pick<MediaSession, 'playPrompt' | 'stopPlayback' | 'startMusicOnHold'>;

/** The call as the driver sees it: the ACD, the record and whether the caller may be spoken to now. */
export interface QueueWaitCall {
  media: QueueWaitMedia;
  /** The queue's music (its own, or the system's). */
  musicFile: string;
  /** The audio of a prompt piece in the caller's language; null when missing (the piece is skipped). */
  promptFile(promptId: string): string | null;
  /**
   * Nobody is rung or talking with the caller and their media is anchored:
   * announcements and music are theirs alone. False while an agent's phone
   * rings or after the agent answered; then nothing is played.
   */
  mayPlay(): boolean;
  /** The caller's place and wait, or null when they are not waiting in line (being offered, gone). */
  position(): Promise<{ position: number | null; estimatedWaitMs: number | 'unknown' }>;
  /** Turns the entry into a callback request on `number`, keeping the place; false when the ACD refused. */
  requestCallback(number: string): Promise<boolean>;
  /** Each announcement as it starts, for the call's record. */
  announced(promptIds: readonly string[]): void;
  log: Logger;
}

/** How the wait ends by the caller's choice: called back (the call ends), or a message to leave. */
export type QueueWaitChoice = 'callback' | 'message';

/** If rtpengine cannot say how long a piece is, assume this much. */
const UNKNOWN_PIECE_MS = 1500;

/**
 * Carries out a QueueWaitRun's commands on a live call (the run decides):
 * prompt pieces played back to back through rtpengine, timed by their
 * lengths (no "finished" event, design §7), stopped at once by a key
 * (barge-in); the queue's music between; the ACD asked for the caller's place
 * and for the callback. Events reach the run one at a time, in order. Every
 * timer is cleared by stop().
 */
export class QueueWaitDriver {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The announcement whose pieces are playing; another id (or null) stops the sequence. */
  private playing: number | null = null;
  private pieceTimer: { timer: NodeJS.Timeout; done: () => void } | null = null;
  private resolveChoice!: (choice: QueueWaitChoice) => void;
  /** Resolves when the caller chose to be called back (and was told so) or to leave a message. */
  readonly chosen: Promise<QueueWaitChoice>;

  constructor(private readonly run: QueueWaitRun, private readonly call: QueueWaitCall) {
    this.chosen = new Promise<QueueWaitChoice>((resolve) => (this.resolveChoice = resolve));
  }

  /** Starts the music and the announcement timer; resolves once the music plays. */
  start(): Promise<void> {
    return this.feed({ type: 'started' });
  }

  /** A key the caller pressed; ignored while an agent is rung or talking. */
  digit(digit: string): void {
    if (!this.call.mayPlay()) return;
    void this.feed({ type: 'digit', digit });
  }

  /** The wait ends for a message though no key was pressed (the queue overflowed to voicemail). */
  leaveForMessage(): void {
    this.resolveChoice('message');
  }

  /** The caller is no longer waiting: every timer stops, nothing more is played by this wait. */
  stop(): void {
    if (this.stopped) return;
    this.run.handle({ type: 'left_queue' });
    this.stopped = true;
    this.playing = null;
    this.finishPiece();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private feed(event: QueueWaitEvent): Promise<void> {
    this.queue = this.queue
      .then(async () => {
        if (this.stopped) return;
        await this.apply(this.run.handle(event));
      })
      .catch((err: unknown) => this.call.log.warn({ err, event: event.type }, 'queue wait step failed; the caller keeps waiting'));
    return this.queue;
  }

  private async apply(commands: QueueWaitCommand[]): Promise<void> {
    for (const command of commands) {
      switch (command.type) {
        case 'music':
          if (this.call.mayPlay()) await this.call.media.startMusicOnHold(this.call.musicFile);
          break;
        case 'play':
          this.playing = command.playbackId;
          // Not awaited: the pieces play while keys and timers keep coming in.
          void this.playPieces(command.playbackId, command.promptIds);
          break;
        case 'stop_playback':
          if (this.playing === command.playbackId) {
            this.playing = null;
            this.finishPiece();
            if (this.call.mayPlay()) await this.call.media.stopPlayback();
          }
          break;
        case 'start_timer':
          this.timers.set(command.timerId, setTimeout(() => {
            this.timers.delete(command.timerId);
            void this.feed({ type: 'timeout', timerId: command.timerId });
          }, command.ms));
          break;
        case 'cancel_timer':
          clearTimeout(this.timers.get(command.timerId));
          this.timers.delete(command.timerId);
          break;
        case 'ask_position':
          void this.askPosition();
          break;
        case 'request_callback':
          void this.requestCallback(command.number);
          break;
        case 'leave_message':
          this.resolveChoice('message');
          break;
        case 'hang_up':
          this.resolveChoice('callback');
          break;
      }
    }
  }

  private async askPosition(): Promise<void> {
    let answer: { position: number | null; estimatedWaitMs: number | 'unknown' } = { position: null, estimatedWaitMs: 'unknown' };
    try {
      if (this.call.mayPlay()) answer = await this.call.position();
    } catch (err) {
      this.call.log.warn({ err }, 'could not read the caller’s place in line: no announcement this time');
    }
    await this.feed({ type: 'position', ...answer });
  }

  private async requestCallback(number: string): Promise<void> {
    let accepted = false;
    try {
      accepted = await this.call.requestCallback(number);
    } catch (err) {
      this.call.log.warn({ err }, 'the callback request was refused');
    }
    await this.feed({ type: 'callback_result', accepted });
  }

  /** The pieces one after another, each for its length; announcement_done after the last unless stopped. */
  private async playPieces(playbackId: number, promptIds: readonly string[]): Promise<void> {
    if (promptIds[0] === 'queue_position' || promptIds[0] === 'queue_position_many') this.call.announced(promptIds);
    try {
      for (const id of promptIds) {
        if (this.playing !== playbackId || this.stopped || !this.call.mayPlay()) break;
        const file = this.call.promptFile(id);
        if (!file) {
          this.call.log.warn({ promptId: id }, 'queue prompt piece has no audio: skipped');
          continue;
        }
        const playback = await this.call.media.playPrompt(file);
        if (this.playing !== playbackId || this.stopped) break;
        await this.waitPiece(playback.durationMs ?? UNKNOWN_PIECE_MS);
      }
    } catch (err) {
      this.call.log.warn({ err }, 'queue announcement could not be played');
    }
    // Stopped by a key: the run already moved on and ignores a late done for this id anyway.
    if (this.playing === playbackId) {
      this.playing = null;
      await this.feed({ type: 'announcement_done', playbackId });
    }
  }

  private waitPiece(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.pieceTimer = null;
        resolve();
      };
      this.pieceTimer = { timer: setTimeout(done, ms), done };
    });
  }

  /** Ends the piece playing now (a key stopped the announcement, or the wait ended). */
  private finishPiece(): void {
    const piece = this.pieceTimer;
    if (!piece) return;
    clearTimeout(piece.timer);
    piece.done();
  }
}
