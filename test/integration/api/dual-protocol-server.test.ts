import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import WebSocket from 'ws';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDualProtocolServer, httpsLocation } from '../../../src/api/dual-protocol-server';
import { prepareSiteTls } from '../../../src/tls/site-tls';
import { fetchTrusting, type TrustingFetch } from '../../helpers/test-tls';

/**
 * HTTPS and plain HTTP on one port, with real sockets: fastify over the
 * dual-protocol server, a browser-like client for each protocol, and a
 * secure WebSocket through it (the agent event channel and wallboard use one).
 */
describe('one port for HTTPS, with plain HTTP redirected', () => {
  let app: FastifyInstance;
  let port = 0;
  let fetch: TrustingFetch;
  let ca: Buffer;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-dual-'));
    const site = await prepareSiteTls({
      certFile: null, keyFile: null, chainFile: null, extraNames: [], dataDir: dir, publicAddress: '127.0.0.1',
      machine: { hostName: 'pbx1', addresses: [], primary: null },
    });
    ca = site.ca!.pem;
    fetch = fetchTrusting(ca);
    app = Fastify({ serverFactory: (handler) => createDualProtocolServer({ key: site.keyPem, cert: site.certPem, plainPaths: ['/healthz'] }, handler) });
    await app.register(websocket);
    app.get('/healthz', (request) => ({ protocol: request.protocol }));
    app.get('/softphone/', (request) => ({ protocol: request.protocol }));
    app.post('/api/thing', (request) => ({ got: request.body }));
    app.get('/events', { websocket: true }, (socket) => socket.send('hello over wss'));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves HTTPS', async () => {
    const response = await fetch(`https://127.0.0.1:${port}/softphone/`);
    expect(await response.json()).toEqual({ protocol: 'https' });
  });

  it('answers plain HTTP with a 308 to the same host, port, path and query over HTTPS (a POST stays a POST)', async () => {
    const page = await fetch(`http://localhost:${port}/softphone/?tab=calls`);
    expect(page.status).toBe(308);
    expect(page.headers.get('location')).toBe(`https://localhost:${port}/softphone/?tab=calls`);
    const post = await fetch(`http://127.0.0.1:${port}/api/thing`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(308);
    const followed = await fetch(post.headers.get('location')!, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(await followed.json()).toEqual({ got: { a: 1 } });
  });

  it('keeps the configured paths on plain HTTP (health for load balancers)', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ protocol: 'http' });
  });

  it('refuses a plain request without a Host header with 400 instead of redirecting nowhere', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
  });

  it('upgrades a secure WebSocket on the same port', async () => {
    const message = await new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(`wss://127.0.0.1:${port}/events`, { ca });
      socket.once('message', (data: Buffer) => {
        socket.close();
        resolve(data.toString());
      });
      socket.once('error', reject);
    });
    expect(message).toBe('hello over wss');
  });

  it('says where to go from the Host header only when it is a plain host[:port]', () => {
    expect(httpsLocation({ headers: { host: 'pbx1:3000' }, url: '/admin/' })).toBe('https://pbx1:3000/admin/');
    expect(httpsLocation({ headers: { host: '[2001:db8::1]:3000' }, url: '/' })).toBe('https://[2001:db8::1]:3000/');
    expect(httpsLocation({ headers: { host: 'evil.example/@x' }, url: '/' })).toBeNull();
    expect(httpsLocation({ headers: {}, url: '/' })).toBeNull();
  });
});
