import { AppError } from '../errors/app-error';
import type { CallRecorder } from '../calls/call-recorder';
import type { Logger } from '../logger';
import { audioDirection } from '../media/sdp-text';

/**
 * Whether the agent holds the caller (design §3 step 8), one explicit state
 * machine (design §8). The agent's phone asks by re-INVITE (RFC 3264 §8.4):
 * `sendonly` or `inactive` holds, `sendrecv` (or `recvonly`) resumes. While
 * held, the caller hears music on hold from rtpengine and the call's hold
 * time runs. A caller's own hold re-INVITE only passes through to the agent.
 */
export type HoldState = 'talking' | 'on_hold';

export const HOLD_TRANSITIONS: Readonly<Record<HoldState, readonly HoldState[]>> = {
  talking: ['on_hold'],
  on_hold: ['talking'],
};

/** What a re-INVITE's SDP asks for, read off its audio direction. */
export function holdIntentOf(sdp: string): HoldState {
  const direction = audioDirection(sdp);
  return direction === 'sendonly' || direction === 'inactive' ? 'on_hold' : 'talking';
}

/** The hold state of one call's agent leg. */
export class CallHold {
  private current: HoldState = 'talking';
  private since: number;

  constructor(private readonly logger: Logger, private readonly clock: () => number = Date.now) {
    this.since = clock();
  }

  get state(): HoldState {
    return this.current;
  }

  /**
   * The move a re-INVITE from the agent asks for: `hold`, `resume`, or null
   * when it changes nothing (a session refresh, a codec change).
   */
  moveFor(sdp: string): 'hold' | 'resume' | null {
    const wanted = holdIntentOf(sdp);
    if (wanted === this.current) return null;
    return wanted === 'on_hold' ? 'hold' : 'resume';
  }

  /** Applies a move; ILLEGAL_TRANSITION when the table does not allow it. Returns how long the previous state lasted. */
  transition(to: HoldState): number {
    if (!HOLD_TRANSITIONS[this.current].includes(to)) {
      throw new AppError('ILLEGAL_TRANSITION', `hold state ${this.current} → ${to} is not allowed`);
    }
    const now = this.clock();
    const lasted = now - this.since;
    this.logger.info({ from: this.current, to, lastedMs: lasted }, 'hold state');
    this.current = to;
    this.since = now;
    return lasted;
  }

  /**
   * Carries out what a re-INVITE from the holding side asks for, here and on
   * the call's record (whose hold time it is). Returns the move made, or null
   * when the re-INVITE changed nothing.
   */
  applyTo(sdp: string, record: Pick<CallRecorder, 'state' | 'hold' | 'resume'>): 'hold' | 'resume' | null {
    const move = this.moveFor(sdp);
    if (move === 'hold') {
      this.transition('on_hold');
      if (record.state === 'connected') record.hold();
    } else if (move === 'resume') {
      this.transition('talking');
      if (record.state === 'on_hold') record.resume();
    }
    return move;
  }

  /** The agent leg changed (a warm transfer completed, cancelled): whoever talks now is not on hold. */
  reset(): void {
    if (this.current === 'on_hold') this.transition('talking');
  }
}
