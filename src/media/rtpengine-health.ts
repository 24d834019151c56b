/**
 * Whether one rtpengine of the pool answers (issue 14: several rtpengines,
 * calls spread over them):
 *
 * - `up`: it answers; new calls may go to it.
 * - `down`: a ping or a command went unanswered; it gets no new calls and is
 *   probed again. Its calls go on: a lost datagram or a busy moment is not a
 *   stopped engine, and its media may still flow.
 * - `gone`: it has not answered for `lostAfterMs`: it stopped, and the media
 *   of its calls with it. Its calls are ended (the pool tells their owners).
 *
 * Any answer brings it back `up`. A refusal is an answer too: only silence
 * counts against an engine.
 */
export type RtpengineHealthState = 'up' | 'down' | 'gone';

const TRANSITIONS: Readonly<Record<RtpengineHealthState, readonly RtpengineHealthState[]>> = {
  up: ['down'],
  down: ['up', 'gone'],
  gone: ['up'],
};

/** Whether the health of an engine may move from `from` to `to`. */
export function canTransition(from: RtpengineHealthState, to: RtpengineHealthState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** One move of an engine's health, as it is told to the listener. */
export interface RtpengineHealthChange {
  from: RtpengineHealthState;
  to: RtpengineHealthState;
  /** What made it: the failure's message, or 'answered'. */
  why: string;
}

/** Options of RtpengineHealth. */
export interface RtpengineHealthOptions {
  /** How long an engine may stay silent before its calls count as lost. */
  lostAfterMs: number;
  /** Where it starts: `down` until a first probe answers, unless told otherwise. */
  initial?: RtpengineHealthState;
  clock?: () => number;
  /** Told of every move (the pool logs it, and ends the calls of an engine that is gone). */
  onChange?: (change: RtpengineHealthChange) => void;
}

/** The health of one rtpengine: what its pings and commands showed. Pure; the clock is injected. */
export class RtpengineHealth {
  private current: RtpengineHealthState;
  /**
   * When it was first found silent (or watching began, starting down). Silence
   * is counted from here rather than from its last answer: after a stall of
   * this process (a long GC pause) one failed ping must not end its calls.
   */
  private silentSince: number;
  private readonly clock: () => number;

  constructor(private readonly options: RtpengineHealthOptions) {
    this.clock = options.clock ?? Date.now;
    this.current = options.initial ?? 'down';
    this.silentSince = this.clock();
  }

  get state(): RtpengineHealthState {
    return this.current;
  }

  /** Whether a new call may go to the engine. */
  get pickable(): boolean {
    return this.current === 'up';
  }

  /** The engine answered (a pong, a reply, a refusal). */
  answered(): void {
    this.transition('up', 'answered');
  }

  /** A ping or a command went unanswered (timeout, socket error). */
  failed(why: string): void {
    const now = this.clock();
    if (this.current === 'up') {
      this.silentSince = now;
      this.transition('down', why);
    } else if (this.current === 'down' && now - this.silentSince >= this.options.lostAfterMs) {
      this.transition('gone', `no answer for ${now - this.silentSince} ms (${why})`);
    }
  }

  private transition(to: RtpengineHealthState, why: string): void {
    if (to === this.current) return;
    if (!canTransition(this.current, to)) throw new Error(`rtpengine health ${this.current} → ${to} is not allowed`);
    const from = this.current;
    this.current = to;
    this.options.onChange?.({ from, to, why });
  }
}

/**
 * Round robin over the engines a new call may go to: the index of the first
 * pickable engine after `last` (wrapping around), or null when none is.
 * `last` is the index picked before (-1 at first).
 */
export function nextPickable(pickable: readonly boolean[], last: number): number | null {
  const count = pickable.length;
  for (let step = 1; step <= count; step++) {
    const index = (((last + step) % count) + count) % count;
    if (pickable[index]) return index;
  }
  return null;
}
