import type { InboundRequest } from './srf-types';

/**
 * The transport a request came over, lower-case ("udp", "tcp", "ws", …).
 * drachtio-server reports a WebSocket connection's protocol as "tcp", so the
 * top Via's sent-protocol (RFC 3261 §20.42, RFC 7118 §5: `SIP/2.0/WS`)
 * decides; the connection's protocol only when there is no Via to read.
 */
export function sentTransport(req: Pick<InboundRequest, 'get' | 'protocol'>): string {
  const sent = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)/i.exec(req.get('Via') ?? '')?.[1] ?? req.protocol ?? '';
  return sent.toLowerCase();
}

/**
 * True when a request came over a WebSocket (a browser softphone, RFC 7118).
 * It decides the media flags of the leg too: a browser's leg is WebRTC
 * (DTLS-SRTP, ICE), not plain RTP.
 */
export function sentOverWebSocket(req: Pick<InboundRequest, 'get' | 'protocol'>): boolean {
  const transport = sentTransport(req);
  return transport === 'ws' || transport === 'wss';
}
