import type { InboundRequest } from './srf-types';

/**
 * True when a request came over a WebSocket (a browser softphone, RFC 7118).
 * drachtio-server reports a WebSocket connection's protocol as "tcp", so the
 * top Via's sent-protocol (RFC 3261 §20.42, RFC 7118 §5: `SIP/2.0/WS`)
 * decides, as the registrar's does for REGISTER. It decides the media flags
 * of the leg too: a browser's leg is WebRTC (DTLS-SRTP, ICE), not plain RTP.
 */
export function sentOverWebSocket(req: Pick<InboundRequest, 'get' | 'protocol'>): boolean {
  const sent = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)/i.exec(req.get('Via') ?? '')?.[1] ?? req.protocol ?? '';
  const transport = sent.toLowerCase();
  return transport === 'ws' || transport === 'wss';
}
