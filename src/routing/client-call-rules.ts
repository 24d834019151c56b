import type { CallPermission, CallRefusal } from './calling-window';
import type { OutboundPurpose } from './outbound-policy';

/**
 * What the do-not-call list and the client's calling window (calling-window.ts)
 * mean for each kind of outbound call (issue 17 point 8). A pure decision on
 * top of mayCallNow's answer; the dialer asks it for every call to an
 * outside number, whoever places it.
 *
 * - The do-not-call list is a legal instruction (the person asked not to be
 *   called, or a regulator's register says so): every call to a listed number
 *   is refused — campaigns and callbacks, and also a person's own call from
 *   the softphone or a desk phone — with the list's entry in the message, so
 *   the person sees why and who to ask. The one exception is an explicit
 *   override by someone with the right to make it (supervisors and admins,
 *   asking for it on the call): a client who asked to be called after all, or
 *   a call the business must make (a delivery gone wrong). It is logged and
 *   said back, never silent.
 * - The calling window protects clients from being woken by the company's
 *   own initiative. A campaign call is refused outside it with the window and
 *   when it opens (the campaign calls later); a callback waits for it (the
 *   dialer defers it). A person's own call (click-to-call, a number dialled on
 *   a desk phone) goes through: they have a reason to call now that no rule
 *   knows of (the client said "call me back in 10 minutes"), and refusing
 *   would only push them to a mobile phone with no record. They are told the
 *   client's local hours are outside the window instead.
 */

/** Calls a person places themselves; the rest are placed on the company's initiative. */
const PERSONAL_PURPOSES: ReadonlySet<OutboundPurpose> = new Set(['click-to-call', 'device']);

export interface ClientCallCaller {
  /** Supervisors and admins may override the do-not-call list for one call. */
  mayOverrideDoNotCall: boolean;
  /** The person asked to override the list on this call. */
  overrideDoNotCall: boolean;
}

export type ClientCallDecision =
  | {
    allowed: true;
    /** What the person placing the call is told (the list overridden, the client's hours outside the window); null: nothing to say. */
    notice: string | null;
    /** Placed outside the client's calling window: the window, the client's zone(s) and when it opens, for a screen to say in its language. */
    outsideWindow?: OutsideCallingWindow;
  }
  | {
    allowed: false;
    refused: CallRefusal | 'override_not_allowed';
    /** When the call would be allowed (ms); null: not by waiting. */
    nextAllowedAt: number | null;
    message: string;
  };

/** A person's own call placed outside the client's calling window: what their screen is to tell them. */
export interface OutsideCallingWindow {
  /** `HH:MM`, local to the client. */
  start: string;
  end: string;
  /** The client's zone, or every zone of the number's country when the card names none. */
  timeZones: readonly string[];
  /** When the window opens in every one of those zones (ms); null: no common hour. */
  nextAllowedAt: number | null;
}

/** The decision for one call of `purpose` to a client number, given what mayCallNow said. */
export function decideClientCall(permission: CallPermission, purpose: OutboundPurpose, caller: ClientCallCaller): ClientCallDecision {
  if (permission.allowed) return { allowed: true, notice: null };
  if (permission.refused === 'do_not_call') {
    if (!caller.overrideDoNotCall || !PERSONAL_PURPOSES.has(purpose)) return { allowed: false, refused: 'do_not_call', nextAllowedAt: null, message: permission.message };
    if (!caller.mayOverrideDoNotCall) {
      return { allowed: false, refused: 'override_not_allowed', nextAllowedAt: null, message: `${permission.message}; only a supervisor or an admin may override the list` };
    }
    return { allowed: true, notice: `${permission.message}: called because you overrode the list` };
  }
  if (PERSONAL_PURPOSES.has(purpose)) {
    const notice = `the client's local time is ${permission.message}`;
    if (!permission.window) return { allowed: true, notice };
    return { allowed: true, notice, outsideWindow: { ...permission.window, timeZones: permission.timeZones, nextAllowedAt: permission.nextAllowedAt } };
  }
  return { allowed: false, refused: permission.refused, nextAllowedAt: permission.nextAllowedAt, message: permission.message };
}
