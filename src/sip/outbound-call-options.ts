import type { CallOutcome, HangupSide } from '../calls/call-outcome';
import type { CallEventData } from '../calls/call-event';
import type { CallServices } from './call-services';
import type { Logger } from '../logger';
import type { RouteDecision } from '../routing/route-decision';
import type { ContactBinding } from './registration-store';
import type { FarFailure } from './far-progress';

/**
 * What an outbound call is asked to do (outbound-call.ts): who places it, who
 * is rung at the far end, how long each side rings, and the hooks the ACD's
 * callback path plugs in.
 */

/** How long a staff member's own phone rings for a call they asked for, when the caller sets nothing else. */
export const STAFF_RING_MS = 30_000;
/** How long the far end (a client, a colleague) rings before the call is given up. */
export const FAR_RING_MS = 45_000;

/** The staff member placing the call: the call row's caller. */
export interface StaffParty {
  staffId: number;
  /** SIP username: the caller number on the call row, and the From user toward colleagues. */
  username: string;
}

/** Who is rung at the far end. */
/** One trunk a call to a number can leave by: its Request-URI, its name (`host:port`) and its caller identity headers. */
export interface TrunkRoute {
  uri: string;
  trunk: string;
  identity?: Readonly<Record<string, string>>;
}

export type FarEnd =
  /**
   * A number out through a trunk (`uri` = `sip:<e164>@<trunk host:port>`);
   * `identity`: the INVITE's From / P-Asserted-Identity / Privacy as the
   * trunk's configured caller identity gives them (trunk-caller-identity.ts).
   */
  | ({ kind: 'trunk'; e164: string } & TrunkRoute & {
    /** The other configured trunks, in order: tried one after another while a trunk cannot carry the call (trunk-failover.ts). */
    next?: readonly TrunkRoute[];
  })
  /** A colleague's registered devices. */
  | { kind: 'staff'; staffId: number; username: string; contacts: readonly ContactBinding[] };

/**
 * What the ACD's callback path plugs into a call (callback-dialer.ts); a
 * click-to-call needs none. Each hook is awaited at its moment; one that
 * throws is logged and the call goes on.
 */
export interface OutboundCallHooks {
  /** Just before the staff's phone rings (ACD: markOffered). A throw stops the call before anything rings. */
  staffRinging?(): Promise<void>;
  /** The staff did not take the call (no answer, busy, no device). */
  staffMissed?(reason: string): Promise<void>;
  /** The staff answered (ACD: the agent is on the call). */
  staffAnswered?(): Promise<void>;
  /**
   * The far end did not answer (`far`: how, when it said: busy, a number that
   * does not exist…); what is returned is noted on the call's timeline (e.g.
   * "callback put back").
   */
  farFailed?(reason: string, far: { outcome: FarFailure; status: number | null } | null): Promise<CallEventData | null>;
  /** The call is over; `staffAnswered` tells whether staffAnswered ran. */
  ended?(result: { staffAnswered: boolean; connected: boolean }): Promise<void>;
}

export interface OutboundCallOptions {
  services: CallServices;
  /** outbound: to a number; callback: an ACD callback request; internal: colleague to colleague. */
  direction: 'outbound' | 'callback' | 'internal';
  staff: StaffParty;
  far: FarEnd;
  /** The client being called, when known: its card travels in X- headers and the call row names it. */
  client?: { id: number; type: string } | null;
  staffRingMs?: number;
  farRingMs?: number;
  hooks?: OutboundCallHooks;
}

export interface CallEnd {
  side: HangupSide;
  cause: string;
  outcome?: CallOutcome;
}

/** A colleague dialled by name: the call's routing decision, as the call row shows a routed hotline call's. */
export function colleagueDialled(dialler: string, far: Extract<FarEnd, { kind: 'staff' }>, ringMs: number): RouteDecision {
  return {
    target: { kind: 'person', staffId: far.staffId, name: far.username, role: 'named', departmentCode: null, departmentName: null, ringTimeoutSeconds: Math.round(ringMs / 1000), fallback: [] },
    announcement: null, reason: `${dialler} dialled ${far.username}`, ruleId: 'dial_plan',
  };
}

/**
 * The call row's hang-up side of our staff member. As on an inbound call, the
 * client is the "caller" and our staff the "agent"; between colleagues, the
 * one who dialled is the caller.
 */
export function staffHangupSide(far: FarEnd): HangupSide {
  return far.kind === 'trunk' ? 'agent' : 'caller';
}

/** The headers that ring the staff's own devices for a call they placed: what the phone shows, and the ids it needs. */
export function staffInviteHeaders(callId: string, options: Pick<OutboundCallOptions, 'far' | 'direction' | 'client'>): Record<string, string> {
  const { far, direction, client } = options;
  const shown = far.kind === 'trunk' ? far.e164 : far.username;
  return {
    From: `"${direction === 'callback' ? 'Callback' : 'Outbound call'}" <sip:${encodeURIComponent(shown)}@switchboard.invalid>`,
    'X-Switchboard-Call-Id': callId, 'X-Switchboard-Direction': direction,
    'X-Switchboard-Client-Id': client ? String(client.id) : 'new', 'X-Switchboard-Dialed-Number': encodeURIComponent(shown),
  };
}

/** Runs one of the call's hooks; a failing hook is logged, never ends the call. */
export async function runCallHook<T>(log: Logger, name: string, hook: () => Promise<T> | undefined): Promise<T | undefined> {
  try {
    return await hook();
  } catch (err) {
    log.warn({ err, hook: name }, 'call hook failed');
    return undefined;
  }
}
