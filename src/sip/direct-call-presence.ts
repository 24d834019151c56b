import type { Acd } from '../acd';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';

/** Puts a person back in the pool when their direct call ends; safe to call more than once. */
export type DirectCallRelease = () => Promise<void>;

const NOTHING_TO_RELEASE: DirectCallRelease = () => Promise.resolve();

/**
 * Keeps the ACD from offering a queue call to someone already on a call it
 * did not give them: a click-to-call, a number dialled on their phone, a
 * colleague calling them, a consult straight to them (Acd.beginDirectCall).
 * Without it the ACD rings a busy operator, the ring goes unanswered, and
 * they are made not ready for a "missed" call.
 *
 * A failure to reach the ACD is logged and the call goes on: the call matters
 * more than the pool's bookkeeping.
 */
export class DirectCallPresence {
  constructor(private readonly acd: Acd, private readonly log: Logger) {}

  /**
   * Takes `staffId` out of the pool for the call `callId`.
   *
   * @param ifQueueCallRinging `refuse`: throw when a queue call is ringing them or in progress (a click-to-call they
   *   asked for can wait); `proceed`: go on without occupying them (they dialled from their own phone anyway).
   * @throws AppError `CONFLICT` with `refuse` when a queue call is ringing them or in progress.
   */
  async occupy(staffId: number, callId: string, ifQueueCallRinging: 'refuse' | 'proceed'): Promise<DirectCallRelease> {
    const agentId = String(staffId);
    try {
      const { occupied } = await this.acd.beginDirectCall(agentId, callId);
      if (!occupied) return NOTHING_TO_RELEASE;
    } catch (err) {
      if (err instanceof AppError && err.code === 'ILLEGAL_TRANSITION') {
        if (ifQueueCallRinging === 'refuse') throw new AppError('CONFLICT', `you have a queue call (${err.message}); answer or finish it first`);
        return NOTHING_TO_RELEASE;
      }
      this.log.warn({ err, staffId, callId }, 'could not take the person out of the ACD pool for a direct call');
      return NOTHING_TO_RELEASE;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await this.acd.endDirectCall(agentId, callId);
      } catch (err) {
        this.log.warn({ err, staffId, callId }, 'could not put the person back in the ACD pool after a direct call');
      }
    };
  }
}

/** The people one call took out of the pool, put back together when it ends. */
export class DirectCallHolds {
  private readonly releases: DirectCallRelease[] = [];
  private readonly presence: DirectCallPresence;

  constructor(acd: Acd, log: Logger) {
    this.presence = new DirectCallPresence(acd, log);
  }

  /** See DirectCallPresence.occupy; the person is put back by releaseAll(). */
  async occupy(staffId: number, callId: string, ifQueueCallRinging: 'refuse' | 'proceed'): Promise<void> {
    this.releases.push(await this.presence.occupy(staffId, callId, ifQueueCallRinging));
  }

  async releaseAll(): Promise<void> {
    await Promise.all(this.releases.splice(0).map((putBack) => putBack()));
  }
}
