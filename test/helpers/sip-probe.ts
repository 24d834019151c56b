import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';

/** Sends one SIP OPTIONS over UDP (RFC 3261 §11) and resolves with the response's status line, or null on timeout. */
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
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
      const message = [
        `OPTIONS sip:${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
        `To: <sip:${host}:${port}>`,
        `Call-ID: ${randomBytes(8).toString('hex')}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        `Contact: <sip:probe@127.0.0.1:${local}>`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(message, port, host);
    });
  });
}
