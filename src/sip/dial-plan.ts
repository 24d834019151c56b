import { tryNormalisePhone } from '../directory/phone-number';
import { DRAFT_TEST_PREFIX, parseDraftTestAddress } from './draft-test-address';

/** What a staff device dialled, read from its INVITE's Request-URI user part. */
export type DialTarget =
  /** Another staff member, by SIP username: an internal call. */
  | { kind: 'staff'; username: string }
  /** `queue-<name>`: waits in that queue like a caller would. */
  | { kind: 'queue'; queue: string }
  /** `dept-<code>`: the department's queue, else its head. */
  | { kind: 'department'; department: string }
  /**
   * Anything that reads as a phone number: out through a trunk (if the outbound policy lets it). `e164` is
   * E.164, or an emergency short code as dialled (routing/outbound-policy.ts puts those through).
   */
  | { kind: 'external'; e164: string }
  /**
   * `ivr-draft-<flow>[-v<version>][-as-<number>]` (draft-test-address.ts): the
   * hotline's call path run on a DRAFT of that flow, for the people who may
   * edit IVR flows (issue 7). `version` null = the flow's newest draft;
   * `callerNumber` null = the dialling staff member is the caller.
   */
  | { kind: 'ivr_draft'; flow: string; version: number | null; callerNumber: string | null }
  | { kind: 'unknown'; dialled: string };

/** The internal names a dialled string is matched against. */
export interface DialPlanDirectory {
  staffUsernames: ReadonlySet<string>;
  queues: ReadonlySet<string>;
  departments: ReadonlySet<string>;
  /** Emergency short codes (config outbound.emergencyNumbers): dialled as they are, not read as numbers. */
  emergencyNumbers?: ReadonlySet<string>;
}

/**
 * Reads what a device dialled. Internal names win over numbers, so that a
 * staff member whose SIP username is digits (an extension) is rung rather
 * than dialled out; `queue-`/`dept-` prefixes are the ones REFER uses too.
 * `ivr-draft-` is reserved: such a name is a draft test (or unknown when
 * malformed), never a colleague — whether the flow and its draft exist is
 * for the caller of this function to find out.
 */
export function classifyDialled(dialled: string, directory: DialPlanDirectory, defaultCountry: string): DialTarget {
  let user: string;
  try {
    user = decodeURIComponent(dialled).trim();
  } catch {
    return { kind: 'unknown', dialled };
  }
  if (user.startsWith(DRAFT_TEST_PREFIX)) {
    const draft = parseDraftTestAddress(user);
    return draft ? { kind: 'ivr_draft', ...draft } : { kind: 'unknown', dialled: user };
  }
  const prefixed = /^(queue|dept)-(.+)$/.exec(user);
  if (prefixed?.[1] === 'queue' && prefixed[2] && directory.queues.has(prefixed[2])) return { kind: 'queue', queue: prefixed[2] };
  if (prefixed?.[1] === 'dept' && prefixed[2] && directory.departments.has(prefixed[2])) return { kind: 'department', department: prefixed[2] };
  if (directory.staffUsernames.has(user)) return { kind: 'staff', username: user };
  if (directory.emergencyNumbers?.has(user)) return { kind: 'external', e164: user };
  const e164 = tryNormalisePhone(user, defaultCountry);
  if (e164 !== null) return { kind: 'external', e164 };
  return { kind: 'unknown', dialled: user };
}

/** The user part of a Request-URI (`sip:+74951000001@switchboard;user=phone` → `+74951000001`); null when none. */
export function requestUriUser(uri: string): string | null {
  const text = uri.trim();
  // A sip: URI without "user@" names a host only (RFC 3261 §19.1.1); tel: is all user (RFC 3966).
  const match = /^tel:([^;?>]+)/i.exec(text) ?? /^sips?:([^@;?>]+)@/i.exec(text);
  return match?.[1] ?? null;
}
