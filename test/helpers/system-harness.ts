import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/load-config';
import { createRootLogger } from '../../src/logger';
import { freeTcpPort } from '../../src/platform/managed-process';
import { startSystem, type RunningSystem } from '../../src/runtime/start-system';
import { createTestDatabase, type TestDatabase } from './test-env';
import { eventually } from './eventually';
import { fetchTrusting, installTestCa, testCa, type TrustingFetch } from './test-tls';

/** A name an office's DNS would give the server; tests map it to 127.0.0.1 inside Chromium only. */
export const OFFICE_HOST = 'office.switchboard.test';

export interface SystemHarness {
  system: RunningSystem;
  baseUrl: string;
  sipTarget: string;
  /** Ports of SIP over TLS (desk phones) and secure WebSocket (softphones) on 127.0.0.1. */
  sipTlsPort: number;
  sipWssPort: number;
  dataDir: string;
  /** fetch trusting the system's CA (HTTPS), following no redirect. */
  fetch: TrustingFetch;
  db: pg.Pool;
  login(username: string, password: string): Promise<string>;
  /**
   * After a scenario: every call it made has ended in this process and
   * rtpengine holds no session for it (waits for the teardown, then asserts).
   */
  expectNothingLeft(): Promise<void>;
  api<T = any>(method: string, p: string, token: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/**
 * The whole system in this process, as `npm start` runs it — every real
 * component started by it on random ports, a fresh database with the demo
 * data, HTTPS and WSS with a certificate from the run's CA — so that tests
 * can call it over SIP and HTTPS and read its database.
 */
export async function startSystemHarness(options: { /** Extra environment for the system's config (e.g. SIP_TRUNKS). */ env?: Record<string, string> } = {}): Promise<SystemHarness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-system-'));
  chmodSync(dataDir, 0o755);
  const database: TestDatabase = await createTestDatabase();
  const rtpBase = 42000 + Math.floor(Math.random() * 100) * 100;
  const sipPort = await freeTcpPort();
  const sipTlsPort = await freeTcpPort();
  const sipWssPort = await freeTcpPort();
  await installTestCa(dataDir);
  const config = loadConfig({
    env: {
      // Like the demo's opening hours, the calling window is open around the clock unless a test narrows it (options.env).
      CALLING_WINDOW_START: '00:00', CALLING_WINDOW_END: '24:00',
      NODE_ENV: 'development', DEMO_ALWAYS_OPEN: 'true', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', SWITCHBOARD_DATA_DIR: dataDir, HOST: '127.0.0.1',
      PORT: String(await freeTcpPort()), DATABASE_URL: database.url, REDIS_PORT: String(await freeTcpPort()),
      RTPENGINE_NG_PORT: String(await freeTcpPort()), RTPENGINE_DTMF_LOG_PORT: String(await freeTcpPort()),
      RTPENGINE_PORT_MIN: String(rtpBase), RTPENGINE_PORT_MAX: String(rtpBase + 99),
      DRACHTIO_PORT: String(await freeTcpPort()), DRACHTIO_SIP_PORT: String(sipPort), DRACHTIO_WS_PORT: String(await freeTcpPort()),
      DRACHTIO_TLS_PORT: String(sipTlsPort), DRACHTIO_WSS_PORT: String(sipWssPort),
      // Tests talk to 127.0.0.1 only: it is the address in SIP contacts and SDP; the office name maps to it inside Chromium.
      PUBLIC_ADDRESS: '127.0.0.1', TLS_NAMES: OFFICE_HOST,
      ...(process.env.DRACHTIO_HOST ? { DRACHTIO_HOST: process.env.DRACHTIO_HOST } : {}),
      ...options.env,
    },
  });
  let system: RunningSystem;
  try {
    system = await startSystem(config, createRootLogger(config.log.level));
  } catch (err) {
    // A system that refuses to start (a test of bad input) leaves nothing behind either.
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const db = new pg.Pool({ connectionString: database.url, max: 3 });
  const baseUrl = system.url;
  const fetch = fetchTrusting((await testCa()).pem);
  const api: SystemHarness['api'] = async (method, p, token, body) => {
    const response = await fetch(`${baseUrl}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
  };
  return {
    system, baseUrl, sipTarget: `127.0.0.1:${sipPort}`, sipTlsPort, sipWssPort, dataDir, db, api, fetch,
    async expectNothingLeft() {
      const leftovers = async () => ({ calls: system.liveCalls(), mediaSessions: await system.mediaSessions() });
      const seen = await eventually(leftovers, (l) => l.calls.inbound + l.calls.outbound === 0 && l.mediaSessions.length === 0, 20_000, 100);
      expect(seen).toEqual({ calls: { inbound: 0, outbound: 0 }, mediaSessions: [] });
    },
    async login(username, password) {
      const response = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      return ((await response.json()) as { token: string }).token;
    },
    async close() {
      try {
        // Each step runs even if the one before failed: a red scenario must not leave drachtio or rtpengine running.
        await db.end().catch(() => undefined);
        await system.stop();
      } finally {
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
