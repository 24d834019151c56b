import net from 'node:net';

/**
 * One SIP_TRUNKS entry read two ways. Every entry names where trunk traffic
 * comes from (the inbound ACL, design §3 step 1); an entry naming one
 * address — not a range — is also somewhere calls can be sent out to:
 *
 * - `10.0.0.0/8`: a range; inbound only.
 * - `192.0.2.7`: one address; inbound, and dialable on port 5060.
 * - `192.0.2.7:5080`, `[2001:db8::7]:5080`: one address and the port its SIP listens on.
 */
export interface TrunkEntry {
  /** The address or range as TrunkAcl reads it (no port). */
  acl: string;
  /** Where an outbound INVITE goes; null for a range. */
  dial: TrunkTarget | null;
}

/** A trunk calls can be sent out through. */
export interface TrunkTarget {
  host: string;
  port: number;
}

/** RFC 3261 §19.1.1 default port for sip: URIs over UDP/TCP. */
export const DEFAULT_SIP_PORT = 5060;

function portOf(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * Reads one SIP_TRUNKS entry. Throws naming the entry when it is neither an
 * address, an address with a port, nor a range (the config fails fast).
 */
export function parseTrunkEntry(text: string): TrunkEntry {
  const entry = text.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed?.[1] && net.isIPv6(bracketed[1])) {
    const port = bracketed[2] === undefined ? DEFAULT_SIP_PORT : portOf(bracketed[2]);
    if (port === null) throw new Error(`trunk "${text}" has a bad port`);
    return { acl: bracketed[1], dial: { host: `[${bracketed[1]}]`, port } };
  }
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(entry);
  if (v4WithPort?.[1] && v4WithPort[2] !== undefined) {
    const port = portOf(v4WithPort[2]);
    if (!net.isIPv4(v4WithPort[1]) || port === null) throw new Error(`trunk "${text}" is not an address:port`);
    return { acl: v4WithPort[1], dial: { host: v4WithPort[1], port } };
  }
  if (entry.includes('/')) return { acl: entry, dial: null };
  if (net.isIPv4(entry)) return { acl: entry, dial: { host: entry, port: DEFAULT_SIP_PORT } };
  if (net.isIPv6(entry)) return { acl: entry, dial: { host: `[${entry}]`, port: DEFAULT_SIP_PORT } };
  // Left to TrunkAcl, which names what is wrong with it.
  return { acl: entry, dial: null };
}

/** The trunks outbound calls may use, in configured order (the first, then the next while one cannot carry a call: trunk-failover.ts). */
export function dialableTrunks(entries: readonly string[]): TrunkTarget[] {
  return entries.map(parseTrunkEntry).flatMap((e) => (e.dial ? [e.dial] : []));
}

/** The Request-URI of an outbound call to `e164` through `trunk`: `sip:<e164>@<host:port>`. */
export function trunkRequestUri(e164: string, trunk: TrunkTarget): string {
  return `sip:${e164}@${trunk.host}:${trunk.port}`;
}
