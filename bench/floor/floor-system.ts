/**
 * The system under test for `bench:floor` (issue 16): a private Postgres
 * started by the bench, and Switchboard as its own process — `npm start`'s
 * program, `node --import tsx src/main.ts` — which starts its own Redis,
 * rtpengine and drachtio-server on the ports given here. Switchboard's CPU
 * is then measured apart from the bench's. Its log (JSON lines at `warn`)
 * goes to a file the bench reads at the end. Everything is stopped through
 * bench/lib/cleanup.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startPostgresServer } from '../../src/db/postgres-server';
import { freeTcpPort } from '../../src/platform/managed-process';
import { onCleanUp, tempDir, trackChild, untrackChild } from '../lib/cleanup';
import { LOOPBACK } from '../lib/sipp';

export const ADMIN_USER = 'admin';
const ADMIN_PASSWORD = 'floor-bench-admin';

export interface FloorSystem {
  baseUrl: string;
  /** host:port of drachtio-server's SIP over UDP. */
  sipTarget: string;
  ngPort: number;
  pid: number;
  db: pg.Pool;
  logFile: string;
  root: string;
  /** The admin's bearer token. */
  token: string;
  api<T>(method: string, p: string, body?: unknown): Promise<T>;
  /** Stops Switchboard gracefully (SIGTERM, its drain is 1 s) and waits for it. */
  stop(): Promise<void>;
}

export async function startFloorSystem(options: { logLevel: string; rtpPorts: { min: number; max: number } }): Promise<FloorSystem> {
  const root = tempDir('floor-bench-');
  const postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: await freeTcpPort(), fast: true });
  onCleanUp('postgres', () => postgres.stop());
  const db = new pg.Pool({ connectionString: postgres.url, max: 3 });
  db.on('error', () => undefined);
  onCleanUp('bench pool', () => db.end());

  const port = await freeTcpPort();
  const sipPort = await freeTcpPort();
  const ngPort = await freeTcpPort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development', LOG_LEVEL: options.logLevel, SWITCHBOARD_DATA_DIR: path.join(root, 'data'), HOST: LOOPBACK, PUBLIC_ADDRESS: LOOPBACK,
    PORT: String(port), DATABASE_URL: postgres.url, REDIS_PORT: String(await freeTcpPort()), REDIS_URL: '',
    RTPENGINE_NG_PORT: String(ngPort), RTPENGINE_DTMF_LOG_PORT: String(await freeTcpPort()), RTPENGINE_URL: '',
    RTPENGINE_PORT_MIN: String(options.rtpPorts.min), RTPENGINE_PORT_MAX: String(options.rtpPorts.max),
    DRACHTIO_PORT: String(await freeTcpPort()), DRACHTIO_SIP_PORT: String(sipPort), DRACHTIO_WS_PORT: String(await freeTcpPort()),
    DRACHTIO_TLS_PORT: String(await freeTcpPort()), DRACHTIO_WSS_PORT: String(await freeTcpPort()), DRACHTIO_HOST: '',
    // Plain HTTP on loopback: the bench is the only client. Open around the clock: a run must not depend on the hour.
    TLS: 'false', TLS_CERT_FILE: '', TLS_KEY_FILE: '', DEMO_ALWAYS_OPEN: 'true', ADMIN_USER, ADMIN_PASSWORD,
    SHUTDOWN_DRAIN_SECONDS: '1',
  };
  const logFile = path.join(root, 'switchboard.log');
  const log = createWriteStream(logFile);
  // node with tsx's loader rather than the tsx command, whose wrapper would be a process of its own (start-command test).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: path.resolve(__dirname, '..', '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let banner = '';
  child.stdout.on('data', (c: Buffer) => {
    log.write(c);
    if (banner.length < 20_000) banner += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    log.write(c);
    if (banner.length < 20_000) banner += c.toString();
  });
  const up = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 120_000);
    const check = (): void => {
      if (banner.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    }
    untrackChild(child);
    await new Promise<void>((resolve) => log.end(() => resolve()));
  };
  onCleanUp('switchboard', stop);
  if (!up) throw new Error(`Switchboard did not start:\n${banner.slice(-3000)}`);

  const baseUrl = `http://${LOOPBACK}:${port}`;
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }) });
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { token: string }).token;
  const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${p}: ${response.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return { baseUrl, sipTarget: `${LOOPBACK}:${sipPort}`, ngPort, pid: child.pid!, db, logFile, root, token, api, stop };
}
