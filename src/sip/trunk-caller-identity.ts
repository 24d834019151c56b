/**
 * Who an outbound call says it is from, per trunk (issue 17 point 5). The
 * carrier shows the called party the From and, inside its trust domain,
 * trusts the P-Asserted-Identity (RFC 3325 §9.1) for the real number: billing,
 * emergency call-back, fraud checks. A pure module: the identity as stored
 * in the directory in, the INVITE's identity headers out.
 *
 * - No identity configured for the trunk: the historical
 *   `sip:switchboard@switchboard.invalid` From and no PAI (a carrier that
 *   needs a number will refuse the call, which says what is missing).
 * - `privacy: 'none'`: From and PAI carry the number (and display name),
 *   with `Privacy: none` (RFC 3323 §4.2) so the carrier does not apply a
 *   default privacy of its own.
 * - `privacy: 'id'`: the From is anonymous, `"Anonymous"
 *   <sip:anonymous@anonymous.invalid>` (RFC 3323 §4.1.1.3), the PAI keeps the
 *   real number, and `Privacy: id` (RFC 3325 §9.3) asks the carrier to strip
 *   the PAI before the call leaves its trust domain.
 * - An emergency call never withholds the number: regulators require the
 *   caller's line identity toward emergency services (EU Directive
 *   2018/1972 art. 109); privacy is ignored for it.
 */

/** `none`: the number is shown; `id`: withheld from the called party, asserted to the carrier only. */
export const TRUNK_PRIVACIES = ['none', 'id'] as const;
export type TrunkPrivacy = (typeof TRUNK_PRIVACIES)[number];

/** A trunk's caller identity, as configured in the directory (trunk_caller_ids). */
export interface TrunkCallerIdentity {
  /** The company number the called party sees (E.164, `+` and digits). */
  fromNumber: string;
  /** The display name in From and PAI; null: the number alone. */
  displayName: string | null;
  /** The number asserted in P-Asserted-Identity; null: the From number. */
  assertedNumber: string | null;
  privacy: TrunkPrivacy;
}

/** What kind of outbound call: the only kind that changes the headers is an emergency call (never anonymous). */
export type OutboundCallKind = 'click-to-call' | 'device' | 'callback' | 'campaign' | 'emergency';

/** The host the From/PAI URIs name: the trunk's address (carriers check the number, not the host). */
export interface TrunkHost {
  host: string;
  port: number;
}

/** The historical From of an outbound call through a trunk without a configured identity. */
export const UNIDENTIFIED_FROM = '<sip:switchboard@switchboard.invalid>';
/** RFC 3323 §4.1.1.3: the From of a call whose caller withholds their identity. */
export const ANONYMOUS_FROM = '"Anonymous" <sip:anonymous@anonymous.invalid>';

const E164 = /^\+[1-9][0-9]{6,14}$/;
/** Printable, no quotes or backslashes (nothing to escape in a quoted-string, RFC 3261 §25.1), 1–64 characters. */
const DISPLAY_NAME = /^[^"\\\p{Cc}]{1,64}$/u;

/** Why a configured identity cannot be used, per field; empty when it is valid. */
export function trunkIdentityProblems(identity: TrunkCallerIdentity): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!E164.test(identity.fromNumber)) problems.push({ path: 'fromNumber', message: 'must be an E.164 number: + and 7–15 digits' });
  if (identity.assertedNumber !== null && !E164.test(identity.assertedNumber)) problems.push({ path: 'assertedNumber', message: 'must be an E.164 number: + and 7–15 digits' });
  if (identity.displayName !== null && (!DISPLAY_NAME.test(identity.displayName) || identity.displayName.trim() === '')) {
    problems.push({ path: 'displayName', message: '1–64 printable characters, no quotes or backslashes' });
  }
  if (!(TRUNK_PRIVACIES as readonly string[]).includes(identity.privacy)) problems.push({ path: 'privacy', message: `one of ${TRUNK_PRIVACIES.join(', ')}` });
  return problems;
}

function hostPort(trunk: TrunkHost): string {
  // SIP_TRUNKS keeps an IPv6 host bracketed already (trunk-address.ts).
  const host = trunk.host.includes(':') && !trunk.host.startsWith('[') ? `[${trunk.host}]` : trunk.host;
  return `${host}:${trunk.port}`;
}

/** `"Name" <sip:+number@host:port;user=phone>`: a telephone number as a SIP URI (RFC 3261 §19.1.6). */
function nameAddr(number: string, displayName: string | null, trunk: TrunkHost): string {
  const uri = `<sip:${number}@${hostPort(trunk)};user=phone>`;
  return displayName ? `"${displayName}" ${uri}` : uri;
}

/**
 * The identity headers of an INVITE sent out through `trunk` (From,
 * P-Asserted-Identity, Privacy), from the trunk's configured identity (null:
 * none) and the kind of call. An identity that fails trunkIdentityProblems is
 * treated as none (the admin API refuses such identities; this keeps a bad
 * row from producing a malformed INVITE).
 */
export function trunkIdentityHeaders(identity: TrunkCallerIdentity | null, kind: OutboundCallKind, trunk: TrunkHost): Record<string, string> {
  if (!identity || trunkIdentityProblems(identity).length > 0) return { From: UNIDENTIFIED_FROM };
  const asserted = nameAddr(identity.assertedNumber ?? identity.fromNumber, identity.displayName, trunk);
  const withheld = identity.privacy === 'id' && kind !== 'emergency';
  return {
    From: withheld ? ANONYMOUS_FROM : nameAddr(identity.fromNumber, identity.displayName, trunk),
    'P-Asserted-Identity': asserted,
    Privacy: withheld ? 'id' : 'none',
  };
}
