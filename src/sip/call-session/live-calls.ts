import type { Logger } from '../../logger';
import { NO_LONGER_HELD } from '../../media/rtpengine-call-sweeper';
import { settlesWithin } from '../../platform/settles-within';

/** What a call handler (inbound or outbound) asks of each call it runs, from outside. */
export interface EndableCall {
  /** The call's rtpengine call-id once its media is anchored, else null. */
  readonly mediaCallId: string | null;
  /** Ends the call now from our side, with `cause` on its record. */
  endNow(cause: string): void;
  /** Asks each of its legs in its dialog now; a leg that cannot be reached ends the call (see DialogKeepalive.probeAll). */
  probeDialogs(): void;
}

/**
 * drachtio-server came back after the connection dropped (issue 14): a
 * restarted server knows none of the dialogs of the calls in progress, while
 * one that only lost the connection still does. Probing every leg tells the
 * two apart call by call: dead calls end with the reason and free their
 * agents, the others go on.
 */
export function reconcileCallDialogs(calls: Iterable<EndableCall>, log: Logger, what: string): void {
  const list = [...calls];
  if (list.length > 0) log.warn({ calls: list.length }, `drachtio-server reconnected: probing the dialogs of the ${what} in progress`);
  for (const call of list) call.probeDialogs();
}

/**
 * A live call's media is gone (its rtpengine restarted, dropped it after its
 * media timeout, or stopped answering): the call cannot be heard, so it ends,
 * with `reason` on its record.
 */
export function endCallsWithLostMedia(calls: Iterable<EndableCall>, mediaCallId: string, reason = NO_LONGER_HELD): void {
  for (const call of calls) {
    if (call.mediaCallId === mediaCallId) call.endNow(`media lost: ${reason}`);
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
