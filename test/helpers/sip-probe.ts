import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import tls from 'node:tls';

/** One OPTIONS request (RFC 3261 §11) as a probe sends it from `local` over `transport`. */
function optionsRequest(host: string, port: number, transport: 'UDP' | 'TLS', local: number): string {
  const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
  const scheme = transport === 'TLS' ? 'sips' : 'sip';
  return [
    `OPTIONS ${scheme}:${host}:${port} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${local};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <${scheme}:probe@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
    `To: <${scheme}:${host}:${port}>`,
    `Call-ID: ${randomBytes(8).toString('hex')}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    `Contact: <${scheme}:probe@127.0.0.1:${local}${transport === 'TLS' ? ';transport=tls' : ''}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Sends one SIP OPTIONS over UDP and resolves with the response's status line, or null on timeout. */
export function sipOptions(host: string, port: number, timeoutMs = 3000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const finish = (line: string | null): void => {
      clearTimeout(timer);
      socket.close();
      resolve(line);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('message', (msg) => finish(msg.toString().split('\r\n')[0] ?? null));
    socket.bind(0, '127.0.0.1', () => socket.send(optionsRequest(host, port, 'UDP', socket.address().port), port, host));
  });
}

/**
 * The same over SIP over TLS (RFC 3261 §26.2), verifying the server's
 * certificate against `ca` for `host`: resolves with the status line, or
 * rejects with the TLS error (an untrusted or wrong-name certificate).
 */
export function sipOptionsOverTls(host: string, port: number, ca: Buffer, timeoutMs = 3000): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ca, servername: /^[0-9.]+$/.test(host) ? undefined : host });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, timeoutMs);
    socket.once('secureConnect', () => socket.write(optionsRequest(host, port, 'TLS', socket.localPort ?? 0)));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (!received.includes('\r\n')) return;
      clearTimeout(timer);
      socket.end();
      resolve(received.split('\r\n')[0] ?? null);
    });
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
