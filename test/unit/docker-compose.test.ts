import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config';

/**
 * No Docker engine runs here, so the compose file is kept correct by reading:
 * every service, port and variable the app needs must be present and agree
 * with what the app's config accepts.
 */
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  network_mode?: string;
  depends_on?: Record<string, { condition: string }>;
}

const root = path.resolve(__dirname, '..', '..');
// merge: true resolves the `<<: *tls-env` merge keys as compose does.
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const app = services.app as Service;
const env = app.environment ?? {};

describe('docker-compose.yml', () => {
  it('has drachtio-server, rtpengine, Redis, Postgres and the app built from the Dockerfile', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'drachtio', 'postgres', 'redis', 'rtpengine', 'tls-init']);
    expect(services.drachtio?.image).toMatch(/^drachtio\/drachtio-server/);
    expect(services.rtpengine?.image).toMatch(/rtpengine/);
    expect(services.redis?.image).toMatch(/^redis:/);
    expect(services.postgres?.image).toMatch(/^postgres:/);
    expect(app.build).toBe('.');
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/CMD \["node", "dist\/src\/main.js"\]/);
    // The browser apps are bundled into the image (the softphone is what operators open), and openssl makes the local CA.
    expect(dockerfile).toMatch(/npx tsx scripts\/build-web\.ts/);
    expect(dockerfile).toMatch(/apt-get install .*openssl/);
    expect(dockerfile).toMatch(/npm ci/);
  });

  it('gives the app every variable it needs to use the containers instead of starting its own', () => {
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'RTPENGINE_URL', 'DRACHTIO_HOST', 'DRACHTIO_SECRET', 'ADMIN_PASSWORD', 'NODE_ENV', 'PORT']) {
      expect(env[name]).toBeDefined();
    }
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATABASE_URL).toContain('@127.0.0.1:5432/switchboard');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('agrees on ports: Postgres, Redis, the rtpengine ng port, the DTMF log port and drachtio control port', () => {
    expect(services.postgres?.ports).toContain('127.0.0.1:5432:5432');
    expect(services.redis?.ports).toContain('127.0.0.1:6379:6379');
    const rtpengine = (services.rtpengine?.command ?? []).join(' ');
    expect(rtpengine).toContain('--listen-ng=127.0.0.1:22222');
    expect(env.RTPENGINE_URL).toBe('udp://127.0.0.1:22222');
    expect(rtpengine).toContain(`--dtmf-log-dest=127.0.0.1:${env.RTPENGINE_DTMF_LOG_PORT}`);
    expect(rtpengine).toContain('--table=-1');
    const drachtio = (services.drachtio?.command ?? []).join(' ');
    expect(drachtio).toContain(`--port ${env.DRACHTIO_PORT}`);
    expect(drachtio).toMatch(/--contact sip:\$\{PUBLIC_IP:\?[^}]*\}:5060;transport=udp,tcp/);
    expect(drachtio).toContain(`--contact sips:\${PUBLIC_IP:?set PUBLIC_IP}:${env.DRACHTIO_WSS_PORT};transport=wss`);
    expect(drachtio).toContain(`--contact sips:\${PUBLIC_IP:?set PUBLIC_IP}:${env.DRACHTIO_TLS_PORT};transport=tls`);
    expect(drachtio).not.toMatch(/transport=ws(\s|$)/);
    expect((services.rtpengine?.command ?? []).join(' ')).toContain('--interface=${PUBLIC_IP:?set PUBLIC_IP}');
    for (const name of ['drachtio', 'rtpengine', 'app']) expect(services[name]?.network_mode).toBe('host');
  });

  it('serves HTTPS, WSS and SIP over TLS with one certificate, made by tls-init before the app and drachtio-server start', () => {
    const tlsInit = services['tls-init'] as Service;
    expect(tlsInit.command).toEqual(['node', 'dist/src/prepare-tls.js']);
    expect(tlsInit.image).toBe(app.image);
    for (const name of ['app', 'drachtio']) expect(services[name]?.depends_on?.['tls-init']?.condition).toBe('service_completed_successfully');
    // The same files: the app's data directory, the volume mounted at the same path in all three.
    expect(tlsInit.volumes).toContain('tls:/app/data/tls');
    expect(app.volumes).toContain('tls:/app/data/tls');
    expect(services.drachtio?.volumes).toContain('tls:/app/data/tls:ro');
    const drachtio = (services.drachtio?.command ?? []).join(' ');
    expect(drachtio).toContain('--cert-file ${TLS_CERT_FILE:-/app/data/tls/server.crt}');
    expect(drachtio).toContain('--key-file ${TLS_KEY_FILE:-/app/data/tls/server.key}');
    expect(drachtio).toContain('--chain-file ${TLS_CHAIN_FILE:-/app/data/tls/ca.crt}');
    for (const service of [app, tlsInit]) {
      expect(service.environment).toMatchObject({ SWITCHBOARD_DATA_DIR: '/app/data', TLS_CERT_FILE: '${TLS_CERT_FILE:-}', PUBLIC_ADDRESS: '${PUBLIC_IP:?set PUBLIC_IP to the address phones and PCs reach}' });
    }
    expect(env.TLS).toBeUndefined();
  });

  it('keeps data, prompts and recordings on volumes, with recordings shared by rtpengine and the app', () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(['pgdata', 'prompts', 'recordings', 'redisdata', 'tls']);
    expect(services.postgres?.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(services.redis?.volumes).toContain('redisdata:/data');
    expect(app.volumes).toEqual(expect.arrayContaining(['recordings:/app/data/recordings', 'prompts:/app/data/prompts']));
    expect(services.rtpengine?.volumes).toContain('recordings:/app/data/recordings');
    expect((services.rtpengine?.command ?? []).join(' ')).toContain('--recording-dir=/app/data/recordings/raw');
    expect(services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  it('waits for healthy Postgres and Redis before starting the app', () => {
    expect(app.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(app.depends_on?.redis?.condition).toBe('service_healthy');
  });

  it('is a configuration the app accepts', () => {
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{(\w+)(:[-?][^}]*)?\}/g, (_m, name: string, dflt?: string) => (dflt?.startsWith(':-') ? dflt.slice(2) : name === 'PUBLIC_IP' ? '192.0.2.80' : `${name.toLowerCase()}-value`))]));
    const config = loadConfig({ env: resolved });
    expect(config.mode).toBe('production');
    expect(config.database.url).toMatch(/^postgres:\/\//);
    expect(config.drachtio.host).toBe('127.0.0.1');
    expect(config.rtpengine.dtmfLogPort).toBe(22223);
    expect(config.tls).toMatchObject({ enabled: true, certFile: null, keyFile: null });
    expect(config.network.publicAddress).toBe('192.0.2.80');
  });
});
