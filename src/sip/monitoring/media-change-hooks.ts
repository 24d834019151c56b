import type { CallMediaChange } from '../../call-monitoring/call-media-change';
import type { Logger } from '../../logger';
import { settlesWithin } from '../../platform/settles-within';

export type MediaChangeHook = (change: CallMediaChange) => Promise<void>;

/** Longest a re-INVITE or a transfer waits for monitoring to step aside: rtpengine commands and BYEs, a second or two. */
export const MEDIA_CHANGE_WAIT_MS = 8000;

/**
 * What a live call runs before it changes its own media (issue 18): the
 * supervisors monitoring it register here (MonitoredCall.beforeMediaChange)
 * and drop their voice back to listening, so that the call's offer/answer
 * finds the caller paired with the agent as it left them. The change waits
 * for them, at most MEDIA_CHANGE_WAIT_MS: a hook that hangs must not hold a
 * hold or a transfer for ever (its session ends by itself then, its voice lost).
 */
export class MediaChangeHooks {
  private readonly hooks = new Set<MediaChangeHook>();
  private running = 0;

  constructor(private readonly log: Logger) {}

  /** Adds `hook`; the function returned removes it (a monitoring leg's end). */
  register(hook: MediaChangeHook): () => void {
    this.hooks.add(hook);
    return () => void this.hooks.delete(hook);
  }

  /** Whether a change is being carried out now (from its hooks to its end): a barge must not start meanwhile. */
  get changing(): boolean {
    return this.running > 0;
  }

  /** Runs `work` — the change itself — after the hooks; `changing` holds from the hooks to the end of `work`. */
  async around<T>(change: CallMediaChange, work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      await this.before(change);
      return await work();
    } finally {
      this.running -= 1;
    }
  }

  /** Runs every hook for `change` and waits for them; never throws: the call's change goes ahead whatever they did. */
  async before(change: CallMediaChange): Promise<void> {
    if (this.hooks.size === 0) return;
    const runs = [...this.hooks].map((hook) => hook(change).catch((err: unknown) => this.log.warn({ err, change }, 'monitoring did not step aside cleanly')));
    if (!(await settlesWithin(runs, MEDIA_CHANGE_WAIT_MS))) this.log.warn({ change }, 'monitoring did not step aside in time; the call goes on');
  }
}
