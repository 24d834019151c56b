import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/** What the HTTPS side serves with, and what plain HTTP may still ask for. */
export interface HttpsFront {
  key: Buffer;
  cert: Buffer;
  /** Paths answered over plain HTTP instead of redirected (health for load balancers, the CA to download before trusting it). */
  plainPaths: readonly string[];
}

/** The first byte of every TLS connection: a handshake record (RFC 8446 §5.1, content type 22). */
const TLS_HANDSHAKE = 0x16;
const SILENT_CONNECTION_MS = 10_000;

/** Where a plain-HTTP request is sent instead: the same host and port over HTTPS, or null when the request names no host. */
export function httpsLocation(request: Pick<IncomingMessage, 'headers' | 'url'>): string | null {
  const host = request.headers.host;
  if (!host || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return null;
  return `https://${host}${request.url ?? '/'}`;
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

/**
 * One port, both protocols: a connection that opens with a TLS handshake is
 * served over HTTPS; one that speaks plain HTTP gets a 308 to the same URL
 * over HTTPS, so an operator who types `server:3000` lands on the secure page
 * (browsers give the microphone only to secure contexts). The returned server
 * is the HTTPS one: WebSocket upgrades and fastify's lifecycle use it as usual.
 *
 * `handler` is fastify's request handler; `plainPaths` reach it over plain HTTP too.
 */
export function createDualProtocolServer(front: HttpsFront, handler: (request: IncomingMessage, response: ServerResponse) => void): https.Server {
  const secure = https.createServer({ key: front.key, cert: front.cert, minVersion: 'TLSv1.2' }, handler);
  const plain = http.createServer((request, response) => {
    // One request per plain connection: nothing lingers to hold up a shutdown.
    response.shouldKeepAlive = false;
    if (front.plainPaths.includes(pathOf(request.url))) {
      handler(request, response);
      return;
    }
    const location = httpsLocation(request);
    if (!location) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('This server speaks HTTPS; the request named no Host to send you to.\n');
      return;
    }
    // 308 keeps the method and body, so an API client's POST is not turned into a GET.
    response.writeHead(308, { location, 'content-type': 'text/plain; charset=utf-8' }).end(`This server speaks HTTPS: ${location}\n`);
  });
  const tlsListeners = secure.listeners('connection') as Array<(socket: Socket) => void>;
  secure.removeAllListeners('connection');
  secure.on('connection', (socket: Socket) => {
    // Until it speaks, neither side's timeouts cover a connection: a silent one must not linger (or hold up a shutdown).
    socket.setTimeout(SILENT_CONNECTION_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) for (const listener of tlsListeners) listener.call(secure, socket);
      else plain.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
  return secure;
}
