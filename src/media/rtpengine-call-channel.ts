import { isAppError } from '../errors/app-error';
import type { Logger } from '../logger';
import type { MediaCallTracker } from './rtpengine-call-sweeper';
import { isUnknownCall } from './rtpengine-call-sweeper';
import type { NgCommand, NgCommandSender, NgParams, NgReply } from './rtpengine-ng-client';

/** Options of RtpengineCallChannel. */
export interface RtpengineCallChannelOptions {
  ng: NgCommandSender;
  /** The rtpengine call-id every command names. */
  callId: string;
  logger?: Logger;
  clock: () => number;
  /** Told when the call starts and ends in rtpengine, and when its delete failed (the sweeper then deletes it). */
  tracker?: MediaCallTracker;
  /** `delete` attempts when rtpengine does not answer, and the wait before the first retry, doubled each time. */
  deleteRetry: { attempts: number; backoffMs: number };
}

/**
 * The ng commands of one rtpengine call: each names the call, is timed and
 * logged, and the first one tells the tracker the call exists in rtpengine.
 * Kept apart from MediaSession, which decides what to send and when.
 */
export class RtpengineCallChannel {
  /** Whether rtpengine may hold state for the call (any command was sent). */
  private sentAny = false;

  constructor(private readonly options: RtpengineCallChannelOptions) {}

  get touched(): boolean {
    return this.sentAny;
  }

  async send(name: NgCommand, params: NgParams): Promise<NgReply> {
    const { ng, callId, tracker, logger, clock } = this.options;
    if (!this.sentAny) tracker?.track(callId);
    this.sentAny = true;
    const started = clock();
    try {
      const reply = await ng.command(name, { 'call-id': callId, ...params });
      logger?.debug({ command: name, ms: clock() - started }, 'rtpengine command');
      return reply;
    } catch (err) {
      logger?.warn({ command: name, err }, 'rtpengine command failed');
      throw err;
    }
  }

  /**
   * `delete`, tried again with a growing pause when rtpengine does not
   * answer (overloaded, restarting). When every try fails the tracker's
   * sweeper takes the call over, and the error goes to the owner to log.
   */
  async deleteWithRetry(): Promise<void> {
    const { attempts, backoffMs } = this.options.deleteRetry;
    const { tracker, callId } = this.options;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= Math.max(1, attempts); attempt++) {
      try {
        await this.send('delete', { 'delete-delay': 0 });
        tracker?.release(callId);
        return;
      } catch (err) {
        if (isUnknownCall(err)) {
          tracker?.release(callId);
          return;
        }
        lastError = err;
        // Only silence is worth waiting out; a refusal will not change.
        if (!isAppError(err) || err.code !== 'DEPENDENCY_DOWN' || attempt >= attempts) break;
        await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
      }
    }
    tracker?.deleteFailed(callId);
    throw lastError;
  }
}
