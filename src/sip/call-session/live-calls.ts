import type { Logger } from '../../logger';
import { settlesWithin } from '../../platform/settles-within';

/** What a call handler (inbound or outbound) asks of each call it runs, from outside. */
export interface EndableCall {
  /** The call's rtpengine call-id once its media is anchored, else null. */
  readonly mediaCallId: string | null;
  /** Ends the call now from our side, with `cause` on its record. */
  endNow(cause: string): void;
}

/** rtpengine no longer holds a live call's media (restarted, media timeout): the call cannot be heard, so it ends. */
export function endCallsWithLostMedia(calls: Iterable<EndableCall>, mediaCallId: string): void {
  for (const call of calls) {
    if (call.mediaCallId === mediaCallId) call.endNow('media lost: rtpengine no longer holds the call');
  }
}

export interface DrainOptions {
  /** How long the calls may go on by themselves (0: ended at once). */
  drainMs?: number;
  /** Longest wait for the clean-up of the calls ended at the deadline (default 15 s). */
  cleanupMs?: number;
  /** Settles when the drain is to end early (a second Ctrl-C). */
  cutShort?: Promise<void>;
}

/**
 * Shuts a handler's calls down within a deadline (issue 14): they get
 * `drainMs` to end by themselves; whatever is still up then is ended from our
 * side with the reason on its record; `atDeadline` runs (the handler stops
 * listening for what feeds its calls); and the clean-up of those calls is
 * awaited for at most `cleanupMs` more, so a stuck backing service cannot
 * hold the process for ever. `what` names the calls in the log.
 */
export async function drainCalls(
  live: { calls: ReadonlyMap<string, EndableCall>; running: ReadonlySet<Promise<void>> },
  options: DrainOptions,
  log: Logger,
  what: string,
  atDeadline: () => void = () => undefined,
): Promise<void> {
  const drained = await settlesWithin([...live.running], options.drainMs ?? 0, options.cutShort);
  if (!drained && live.calls.size > 0) {
    log.warn({ calls: live.calls.size }, `${what} still up at the shutdown deadline: ending them`);
    for (const call of live.calls.values()) call.endNow('shutdown: the process stopped');
  }
  atDeadline();
  if (!(await settlesWithin([...live.running], options.cleanupMs ?? 15_000))) {
    log.error({ calls: live.calls.size }, `${what} did not finish their clean-up in time; their records wait in the outbox or are closed at the next start`);
  }
}
