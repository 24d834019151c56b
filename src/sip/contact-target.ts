import net from 'node:net';
import type { SipTransport } from './registration-store';

/**
 * Where a registered device is rung (issue 15, toll fraud through a
 * registration). The registrar never sends an INVITE where a Contact merely
 * says: a device is rung where its REGISTER came from, as a NAT-aware
 * registrar does (RFC 3261 §18.2.1 "received"/rport, RFC 5626 §5 flows):
 *
 * - UDP: the Contact's user part and parameters, at the REGISTER's source
 *   address and port.
 * - TCP/TLS: the Contact's host must be the source address; its port is kept
 *   (the phone's listening port, where a new connection is opened if the old
 *   one is gone).
 * - WebSocket (browsers, RFC 7118): the Contact is kept as sent and must be a
 *   `transport=ws`/`wss` URI on a `.invalid` host (what sip.js sends) or the
 *   source address: drachtio-server sends requests for it down the WebSocket
 *   the REGISTER came on.
 *
 * Refused (403): a Contact whose host is not the source address (WebSocket
 * `.invalid` hosts aside), a Contact or a source at an address SIP_TRUNKS
 * names as a trunk calls are sent to, and `maddr` or URI headers (both could
 * send the INVITE elsewhere). A Contact's host is compared literally: a DNS
 * name is not the source address.
 */
export type ContactTarget =
  | { kind: 'ok'; target: string }
  | { kind: 'refused'; why: string };

export interface RegisterSource {
  address: string;
  port: number;
  transport: SipTransport;
}

interface ParsedUri {
  scheme: string;
  user: string | null;
  host: string;
  port: number | null;
  params: string;
  headers: string;
}

/** `sips?:[user@]host[:port][;params][?headers]`; null when it is not that shape. */
function parseUri(uri: string): ParsedUri | null {
  const match = /^(sips?):(?:([^@]*)@)?(\[[0-9a-fA-F:.]+\]|[^:;?[\]]+)(?::(\d{1,5}))?((?:;[^?]*)?)((?:\?.*)?)$/i.exec(uri);
  if (!match) return null;
  const [, scheme = '', user, host = '', port, params = '', headers = ''] = match;
  return { scheme, user: user ?? null, host, port: port === undefined ? null : Number(port), params, headers };
}

/** A host or address as comparable text: no brackets, lower case, IPv4-mapped IPv6 as IPv4. */
export function normalizeHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare.startsWith('::ffff:') && net.isIPv4(bare.slice(7)) ? bare.slice(7) : bare;
}

function uriParam(params: string, name: string): string | null | undefined {
  for (const piece of params.split(';')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if ((eq < 0 ? piece : piece.slice(0, eq)).toLowerCase() === name) return eq < 0 ? null : piece.slice(eq + 1);
  }
  return undefined;
}

function hostText(address: string): string {
  return net.isIPv6(address) ? `[${address}]` : address;
}

/**
 * The URI an INVITE to this Contact is sent to, or why the Contact is
 * refused. `isTrunkHost` says whether an address is one SIP_TRUNKS sends
 * calls to (trunk-address.ts).
 */
export function contactTarget(contactUri: string, source: RegisterSource, isTrunkHost: (address: string) => boolean): ContactTarget {
  const uri = parseUri(contactUri);
  if (!uri) return { kind: 'refused', why: 'Contact URI cannot be read' };
  const host = normalizeHost(uri.host);
  const from = normalizeHost(source.address);
  if (isTrunkHost(from)) return { kind: 'refused', why: 'REGISTER from a SIP trunk address' };
  if (isTrunkHost(host)) return { kind: 'refused', why: 'Contact names a SIP trunk' };
  if (uriParam(uri.params, 'maddr') !== undefined) return { kind: 'refused', why: 'Contact with maddr' };
  if (uri.headers !== '') return { kind: 'refused', why: 'Contact with URI headers' };
  if (source.transport === 'ws' || source.transport === 'wss') {
    const transport = uriParam(uri.params, 'transport')?.toLowerCase();
    if (transport !== 'ws' && transport !== 'wss') return { kind: 'refused', why: 'a WebSocket device\'s Contact must have transport=ws' };
    if (!host.endsWith('.invalid') && host !== from) return { kind: 'refused', why: 'Contact host is not where the REGISTER came from' };
    return { kind: 'ok', target: contactUri };
  }
  if (host !== from) return { kind: 'refused', why: 'Contact host is not where the REGISTER came from' };
  if (source.transport !== 'udp') return { kind: 'ok', target: contactUri };
  const user = uri.user === null ? '' : `${uri.user}@`;
  return { kind: 'ok', target: `${uri.scheme}:${user}${hostText(from)}:${source.port}${uri.params}` };
}
