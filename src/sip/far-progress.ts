import type { RingFailure } from './parallel-ring';

/**
 * What the staff member's softphone is told about the far end of a call
 * Switchboard places after their phone answered (click-to-call, callback):
 * their own leg is already up, so without this the screen would say "in
 * call" while the client's phone still rings.
 *
 * Sent as SIP INFO on the staff's leg (RFC 6086 §4.2, the legacy usage
 * without Info-Package: the body's content type says what it is). In-dialog
 * rather than on the agent event socket: it reaches the very phone on the
 * call whichever Switchboard process holds that person's event socket, and it
 * arrives before the BYE that ends a failed call, in order.
 *
 * The browser side (src/web/softphone/phone.ts) reads the same content type.
 */
export const FAR_PROGRESS_CONTENT_TYPE = 'application/vnd.switchboard.far-progress+json';

/** Why the far end was not reached, in the words the softphone shows. */
export type FarFailure = 'busy' | 'declined' | 'no_answer' | 'unavailable' | 'failed';

export type FarProgress =
  /** The far end rings (its first 180/183). */
  | { far: 'ringing' }
  /** The far end answered and is bridged: the conversation starts now. */
  | { far: 'answered' }
  /** Nobody will answer; the staff's leg ends right after. `status` is the far end's final response, if any. */
  | { far: 'failed'; outcome: FarFailure; status: number | null };

/**
 * The softphone's word for a failed ring (RFC 3261 §21): 486 Busy Here and
 * 600 Busy Everywhere are busy, 603 Decline declined, a ring timeout or
 * 408/480/487 no answer, 404/410/484/604 a number that cannot be reached.
 */
export function farFailureOf(failure: RingFailure): { outcome: FarFailure; status: number | null } {
  if (failure.kind === 'no-answer') return { outcome: 'no_answer', status: null };
  if (failure.kind === 'stopped') return { outcome: 'failed', status: null };
  const status = failure.status;
  if (status === 486 || status === 600) return { outcome: 'busy', status };
  if (status === 603) return { outcome: 'declined', status };
  if (status === 408 || status === 480 || status === 487) return { outcome: 'no_answer', status };
  if (status === 404 || status === 410 || status === 484 || status === 604) return { outcome: 'unavailable', status };
  return { outcome: 'failed', status };
}

/** The INFO body for `progress`. */
export function farProgressBody(progress: FarProgress): string {
  return JSON.stringify(progress);
}
