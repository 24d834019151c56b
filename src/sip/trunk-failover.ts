/**
 * When an outbound call tries the next configured trunk (issue 17 point 5:
 * caller identity per trunk — with several trunks, a call leaves by the first
 * that can carry it, with that trunk's identity). A pure rule on the final
 * response of one trunk's INVITE.
 *
 * The next trunk is tried only when the trunk itself could not carry the
 * call — no answer at all (drachtio-server reports 408 for a transaction
 * timeout, RFC 3261 §17.1.1.2; a transport error has no status), or a
 * server failure 500, 502, 503, 504 (RFC 3261 §21.5: another server may
 * succeed; 503 is the carrier overloaded or out of service). Any other final
 * answer is the called party's or the number's (404, 480, 486, 603, 6xx …):
 * another carrier would give the same answer, and dialling again would ring a
 * busy person twice. A callee who does not pick up in time is not a trunk
 * failure either.
 */
const TRUNK_FAILURES: ReadonlySet<number> = new Set([408, 500, 502, 503, 504]);

/** Whether a trunk's final response `status` (null: none, a transport error) means the next trunk should be tried. */
export function trunkCouldNotCarry(status: number | null): boolean {
  return status === null || TRUNK_FAILURES.has(status);
}
