import { tryNormalisePhone } from '../directory/phone-number';

/** What a staff device dialled, read from its INVITE's Request-URI user part. */
export type DialTarget =
  /** Another staff member, by SIP username: an internal call. */
  | { kind: 'staff'; username: string }
  /** `queue-<name>`: waits in that queue like a caller would. */
  | { kind: 'queue'; queue: string }
  /** `dept-<code>`: the department's queue, else its head. */
  | { kind: 'department'; department: string }
  /** Anything that reads as a phone number: out through a trunk (if the caller may dial out). */
  | { kind: 'external'; e164: string }
  | { kind: 'unknown'; dialled: string };

/** The internal names a dialled string is matched against. */
export interface DialPlanDirectory {
  staffUsernames: ReadonlySet<string>;
  queues: ReadonlySet<string>;
  departments: ReadonlySet<string>;
}

/**
 * Reads what a device dialled. Internal names win over numbers, so that a
 * staff member whose SIP username is digits (an extension) is rung rather
 * than dialled out; `queue-`/`dept-` prefixes are the ones REFER uses too.
 */
export function classifyDialled(dialled: string, directory: DialPlanDirectory, defaultCountry: string): DialTarget {
  let user: string;
  try {
    user = decodeURIComponent(dialled).trim();
  } catch {
    return { kind: 'unknown', dialled };
  }
  const prefixed = /^(queue|dept)-(.+)$/.exec(user);
  if (prefixed?.[1] === 'queue' && prefixed[2] && directory.queues.has(prefixed[2])) return { kind: 'queue', queue: prefixed[2] };
  if (prefixed?.[1] === 'dept' && prefixed[2] && directory.departments.has(prefixed[2])) return { kind: 'department', department: prefixed[2] };
  if (directory.staffUsernames.has(user)) return { kind: 'staff', username: user };
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
