import { isAppError } from '../errors/app-error';
import type { Logger } from '../logger';
import type { NgCommandSender } from './rtpengine-ng-client';

/** What a media session tells the sweeper about the rtpengine call it drives. */
export interface MediaCallTracker {
  /** The session sent its first command for `callId`: rtpengine may now hold the call. */
  track(callId: string): void;
  /** rtpengine no longer holds the call (deleted, or it did not know it). */
  release(callId: string): void;
  /** Every delete attempt failed: the call may still hold ports in rtpengine until the sweeper deletes it. */
  deleteFailed(callId: string): void;
}

/** Why a live call's media is gone, when rtpengine restarted or dropped it (its list no longer names the call). */
export const NO_LONGER_HELD = 'rtpengine no longer holds the call';

/** Told the rtpengine call-id of a live call whose media is gone, and why (the call's record says it). */
export type MediaLostListener = (callId: string, reason: string) => void;

/** One sweep's outcome. */
export interface SweepResult {
  /** Live calls rtpengine no longer holds (restarted, or dropped them after its media timeout): their owners are told. */
  lost: number;
  /** Deleted by this sweep. */
  deleted: number;
  /** rtpengine no longer listed them (it dropped them itself, e.g. after its idle timeout). */
  gone: number;
  /** Still there after this sweep's delete failed: tried again next time. */
  failed: number;
}

/** Options of RtpengineCallSweeper. */
export interface RtpengineCallSweeperOptions {
  ng: NgCommandSender;
  logger?: Logger;
  /** How often the periodic sweep runs (default 5 s: a call whose media is gone is noticed within it). */
  intervalMs?: number;
  /** A call tracked this recently is not yet expected in rtpengine's list (its offer may be on the way; default 5 s). */
  settleMs?: number;
  clock?: () => number;
  /** The `limit` of the `list` command: at most this many call-ids are listed per sweep (default 10 000). */
  listLimit?: number;
}

/**
 * Remembers the rtpengine calls this process created, and deletes those whose
 * session could not (every `delete` timed out: rtpengine overloaded or
 * restarting). rtpengine would drop such a call only after its own idle
 * timeout, holding its ports — and its recording — meanwhile. The periodic
 * sweep asks rtpengine which calls it holds (`list`), deletes the pending
 * ones it still lists and forgets those it no longer does.
 */
export class RtpengineCallSweeper implements MediaCallTracker {
  /** Live calls and when each was first tracked. */
  private readonly live = new Map<string, number>();
  private readonly lostListeners = new Set<MediaLostListener>();
  private readonly settleMs: number;
  private readonly clock: () => number;
  private readonly pendingDelete = new Set<string>();
  private readonly ng: NgCommandSender;
  private readonly logger: Logger | undefined;
  private readonly intervalMs: number;
  private readonly listLimit: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepResult> | null = null;

  constructor(options: RtpengineCallSweeperOptions) {
    this.ng = options.ng;
    this.logger = options.logger;
    this.intervalMs = options.intervalMs ?? 5_000;
    this.listLimit = options.listLimit ?? 10_000;
    this.settleMs = options.settleMs ?? 5_000;
    this.clock = options.clock ?? Date.now;
  }

  track(callId: string): void {
    if (!this.pendingDelete.has(callId) && !this.live.has(callId)) this.live.set(callId, this.clock());
  }

  /**
   * Tells `listener` the call-id of each live call rtpengine no longer holds
   * — restarted, dropped after its media timeout, or stopped answering
   * (loseAll): the call's audio is gone and its owner ends it with the
   * reason (issue 14). Returns the remover.
   */
  onMediaLost(listener: MediaLostListener): () => void {
    this.lostListeners.add(listener);
    return () => {
      this.lostListeners.delete(listener);
    };
  }

  release(callId: string): void {
    this.live.delete(callId);
    this.pendingDelete.delete(callId);
  }

  deleteFailed(callId: string): void {
    this.live.delete(callId);
    this.pendingDelete.add(callId);
  }

  /**
   * rtpengine stopped answering for good (the pool found it gone): every live
   * call's media went with it, settled or not, so each owner is told now with
   * `reason`. Pending deletes stay: they are tried again once it answers.
   * Returns how many calls were reported.
   */
  loseAll(reason: string): number {
    const calls = [...this.live.keys()];
    this.live.clear();
    for (const callId of calls) this.reportLost(callId, reason);
    return calls.length;
  }

  /** Calls whose session is still running. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Calls waiting for the sweeper's delete. */
  get pending(): readonly string[] {
    return [...this.pendingDelete];
  }

  /** One sweep now; concurrent callers share the sweep under way. */
  async sweep(): Promise<SweepResult> {
    if (this.running) return this.running;
    this.running = this.sweepOnce();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  /** Starts the periodic sweep (the timer does not keep the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger?.warn({ err }, 'rtpengine sweep failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the periodic sweep and waits for one under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async sweepOnce(): Promise<SweepResult> {
    const result: SweepResult = { lost: 0, deleted: 0, gone: 0, failed: 0 };
    if (this.pendingDelete.size === 0 && this.live.size === 0) return result;
    let listed: Set<string> | null = null;
    try {
      const reply = await this.ng.command('list', { limit: this.listLimit });
      listed = new Set(Array.isArray(reply.calls) ? reply.calls.filter((c): c is string => typeof c === 'string') : []);
    } catch (err) {
      // rtpengine may still be overloaded: try the deletes anyway, each one tells.
      this.logger?.debug({ err }, 'rtpengine list failed; deleting pending calls without it');
    }
    // A full list: every live call old enough to be in it and missing has lost its media.
    if (listed && listed.size < this.listLimit) result.lost = this.noticeLost(listed);
    for (const callId of [...this.pendingDelete]) {
      // A full list that does not name the call: rtpengine dropped it already.
      if (listed && listed.size < this.listLimit && !listed.has(callId)) {
        this.pendingDelete.delete(callId);
        result.gone++;
        continue;
      }
      try {
        await this.ng.command('delete', { 'call-id': callId, 'delete-delay': 0 });
        this.pendingDelete.delete(callId);
        result.deleted++;
      } catch (err) {
        if (isUnknownCall(err)) {
          this.pendingDelete.delete(callId);
          result.gone++;
        } else {
          result.failed++;
        }
      }
    }
    if (result.lost + result.deleted + result.gone + result.failed > 0) this.logger?.info({ ...result }, 'rtpengine calls swept');
    return result;
  }

  private noticeLost(listed: ReadonlySet<string>): number {
    const now = this.clock();
    let lost = 0;
    for (const [callId, since] of [...this.live]) {
      if (listed.has(callId) || now - since < this.settleMs) continue;
      this.live.delete(callId);
      lost++;
      this.reportLost(callId, NO_LONGER_HELD);
    }
    return lost;
  }

  private reportLost(callId: string, reason: string): void {
    this.logger?.warn({ sipCallId: callId, reason }, 'a live call\'s media is gone');
    for (const listener of [...this.lostListeners]) {
      try {
        listener(callId, reason);
      } catch (err) {
        this.logger?.error({ err, sipCallId: callId }, 'a media-lost listener failed');
      }
    }
  }
}

/**
 * rtpengine's refusal for a call-id it does not hold: the call is gone. (10.5
 * answers `delete` of an unknown call with ok and a warning; other commands
 * with "Unknown call-id".)
 */
export function isUnknownCall(err: unknown): boolean {
  return isAppError(err) && err.code !== 'DEPENDENCY_DOWN' && /unknown call|call-id not found/i.test(err.message);
}
