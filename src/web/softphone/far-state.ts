import type { FAR_PROGRESS_CONTENT_TYPE as SERVER_FAR_PROGRESS_CONTENT_TYPE, FarFailure, FarProgress } from '../../sip/far-progress';
import { everyMember } from '../shared/every-member';

/**
 * The far end of a call that has one beyond the server: the client a
 * click-to-call or callback rings after this phone answered, the colleague
 * this phone dialled. calling → ringing → answered, or one of the failures.
 */
export type FarState = 'calling' | 'ringing' | 'answered' | FarFailure;
export type { FarFailure };
const FAR_FAILURES: ReadonlySet<string> = new Set<FarFailure>(everyMember<FarFailure>()(['busy', 'declined', 'no_answer', 'unavailable', 'failed']));

export function isFarFailure(state: FarState | null | undefined): state is FarFailure {
  return state !== null && state !== undefined && FAR_FAILURES.has(state);
}

/** The content type of the server's far-progress INFO: a copy (the page bundles no server code), typed by the original so the two cannot differ. */
export const FAR_PROGRESS_CONTENT_TYPE: typeof SERVER_FAR_PROGRESS_CONTENT_TYPE = 'application/vnd.switchboard.far-progress+json';

/** The far end's state a far-progress INFO body tells; null for a body this page does not understand. */
export function farStateOf(body: string): FarState | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  // A FarProgress from a server of this version, or anything at all: checked before it is believed.
  const progress = parsed as Partial<Record<'far' | 'outcome', unknown>> | null;
  const far: FarProgress['far'] | null = progress?.far === 'ringing' || progress?.far === 'answered' || progress?.far === 'failed' ? progress.far : null;
  if (far === 'ringing' || far === 'answered') return far;
  if (far === 'failed') return typeof progress?.outcome === 'string' && FAR_FAILURES.has(progress.outcome) ? progress.outcome as FarFailure : 'failed';
  return null;
}

/** A refusal of a call this phone dialled, as a far-end failure; null when it is something else (403, 404, 488…: shown as is). */
export function farFailureOfStatus(status: number): FarFailure | null {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603) return 'declined';
  if (status === 408 || status === 480) return 'no_answer';
  return null;
}
