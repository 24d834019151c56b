import type Srf from 'drachtio-srf';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import { hangUpDialog } from '../call-session/dialog-ends';
import { offerBranches } from '../call-session/offer-branches';
import { RingFailed, ringFirst } from '../parallel-ring';
import type { SrfApp } from '../srf-types';

/** How long a monitoring device rings; softphones answer by themselves (Call-Info answer-after=0), so this is about a phone that does not. */
export const MONITOR_RING_TIMEOUT_MS = 20_000;

/** The role of a call Switchboard places for monitoring, as `X-Switchboard-Monitor` names it to the softphone (src/web/softphone/monitoring-call.ts). */
export type MonitorCallKind = 'listen' | 'whisper' | 'barge' | 'talk' | 'coach';

/**
 * The headers of a monitoring call: the softphone keys on X-Switchboard-Monitor to answer it by
 * itself; desk phones that honour Call-Info answer-after=0 answer at once (the de-facto auto-answer
 * header, e.g. Polycom, Yealink, Snom). No X-Switchboard-Call-Id: the softphone would take the call
 * for a customer call of its own (its card, a wrap-up form).
 */
export function monitorCallHeaders(kind: MonitorCallKind, sessionId: string, label: string, coachMode?: 'whisper' | 'barge'): Record<string, string> {
  return {
    From: '<sip:monitor@switchboard.invalid>',
    // A coach call says what it carries: whisper (the caller does not hear the supervisor) or barge (the caller does).
    'X-Switchboard-Monitor': `${kind}; session=${sessionId}${coachMode ? `; mode=${coachMode}` : ''}`,
    'X-Switchboard-Monitor-Label': encodeURIComponent(label),
    'Call-Info': '<sip:monitor@switchboard.invalid>;answer-after=0',
  };
}

/**
 * Rings every device in `uris` with `sdp` and returns the first that answers (the others get
 * CANCEL or BYE). Rejects with AppError CALL_NOT_LIVE when `stop` settles first (the monitored call
 * ended), NO_DEVICE when none answers, naming `who`.
 */
export async function callMonitorDevice(options: {
  srf: SrfApp;
  uris: readonly string[];
  sdp: string;
  headers: Record<string, string>;
  stop: Promise<void>;
  who: string;
  log: Logger;
  timeoutMs?: number;
}): Promise<Srf.Dialog> {
  const { log } = options;
  if (options.uris.length === 0) throw new AppError('NO_DEVICE', `${options.who} has no registered phone that can take this call`);
  const branches = offerBranches(options.srf, options.uris, { localSdp: options.sdp, headers: options.headers }, {
    onRinging: () => undefined, hangUp: (d) => hangUpDialog(d, log),
  });
  try {
    return (await ringFirst(branches, { timeoutMs: options.timeoutMs ?? MONITOR_RING_TIMEOUT_MS, stop: options.stop })).answer;
  } catch (err) {
    if (!(err instanceof RingFailed)) throw err;
    if (err.failure.kind === 'stopped') throw new AppError('CALL_NOT_LIVE', `the call ended before ${options.who}'s phone answered`);
    throw new AppError('NO_DEVICE', `${options.who}'s phone did not take the monitoring call (${err.reason})`);
  }
}
