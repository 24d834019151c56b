import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/build-app';
import type { ComponentStatus } from '../../src/api/api-context';
import { loadConfig } from '../../src/config/load-config';
import { createPool, type Db } from '../../src/db/pool';
import { ensureAdminUser } from '../../src/db/bootstrap-admin';
import { ensureReferenceData } from '../../src/db/reference-data';
import { seedDemoData } from '../../src/db/demo-seed';
import { acdDirectorySource } from '../../src/db/repositories/acd-directory-source';
import { createRootLogger } from '../../src/logger';
import { createTestDatabase, startTestRedis, type TestDatabase } from './test-env';
import type { RunningService } from '../../src/platform/managed-process';
import { Acd } from '../../src/acd';
import type { MonitorLegPlacer } from '../../src/call-monitoring/monitor-leg';
import { syncDirectoryToAcd } from '../../src/directory/acd-directory-sync';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiHarness {
  baseUrl: string;
  db: Db;
  redis: Redis;
  app: FastifyInstance;
  tokens: { admin: string; supervisor: string; operator: string; quality: string };
  /** The ACD wired into the app, with the directory synchronised into it (only with `acd: true`). */
  acd?: Acd;
  call<T = any>(method: string, path: string, options?: { token?: string | null; body?: unknown; raw?: Buffer | string; contentType?: string }): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Use these instead of a fresh database / Redis (the readiness test brings its own, to stop them). */
  databaseUrl?: string;
  redisUrl?: string;
  components?: () => ComponentStatus[];
  /** Load the demo data set (directory, default IVR flow and routing config) as `npm start` does. */
  demo?: boolean;
  /** Wire a real ACD (on the harness's Redis) into the app, started, with the directory synchronised into it after seeding. */
  acd?: boolean;
  /** Extra environment for the app's config (e.g. TLS=false). */
  env?: Record<string, string>;
  /** Where the app's log lines go (as JSON lines) instead of stdout: tests that read what was logged. */
  logStream?: NodeJS.WritableStream;
  /** The telephony side of call monitoring (issue 18) the app gets, e.g. a test double of the placer; absent: monitoring answers 503. */
  monitorLegs?: MonitorLegPlacer;
  /** Adds routes (or hooks) to the built app before it listens: tests that need a route the app does not have. */
  beforeListen?: (app: FastifyInstance) => void | Promise<void>;
}

/** The real app over real HTTP, on a fresh database (cloned from the migrated template) and a fresh Redis. */
export async function startApiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const cleanups: Array<() => Promise<void>> = [];
  let database: TestDatabase | null = null;
  let redisServer: RunningService | null = null;
  if (!options.databaseUrl) {
    database = await createTestDatabase();
    cleanups.push(() => (database as TestDatabase).drop());
  }
  if (!options.redisUrl) {
    redisServer = await startTestRedis();
    cleanups.push(() => (redisServer as RunningService).stop());
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-data-'));
  cleanups.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
  const config = loadConfig({ env: { NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', SWITCHBOARD_DATA_DIR: dataDir, ...options.env } });
  const logger = createRootLogger(config.log.level, 'switchboard', options.logStream);
  const db = createPool(options.databaseUrl ?? (database as TestDatabase).url, logger);
  const redis = new Redis(options.redisUrl ?? (redisServer as RunningService).url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 200 });
  redis.on('error', () => undefined);
  let acd: Acd | undefined;
  if (options.acd) {
    const acdRedis = new Redis(options.redisUrl ?? (redisServer as RunningService).url, { maxRetriesPerRequest: 2 });
    acdRedis.on('error', () => undefined);
    const running = new Acd({ redis: acdRedis, logger });
    await running.start();
    cleanups.push(async () => {
      try {
        await running.stop();
      } finally {
        acdRedis.disconnect();
      }
    });
    acd = running;
  }
  const app = await buildApp({ config, db, redis, logger, metrics: new Registry(), components: options.components ?? (() => []), ...(acd ? { acd } : {}), ...(options.monitorLegs ? { monitorLegs: options.monitorLegs } : {}) });
  await options.beforeListen?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const call: ApiHarness['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | ArrayBuffer | undefined;
    if (opts.raw !== undefined) {
      body = typeof opts.raw === 'string' ? opts.raw : (opts.raw.buffer.slice(opts.raw.byteOffset, opts.raw.byteOffset + opts.raw.byteLength) as ArrayBuffer);
      headers['content-type'] = opts.contentType ?? 'text/csv';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON (metrics, HTML): keep the text
    }
    return { status: response.status, body: parsed as never, headers: response.headers };
  };

  await ensureReferenceData(db);
  if (options.demo) await seedDemoData(db, { defaultCountry: config.phone.defaultCountry, sipRealm: config.sip.realm, logger });
  await ensureAdminUser(db, 'admin', 'admin-password');
  if (acd) await syncDirectoryToAcd(acdDirectorySource(db, config.sip.realm), acd, logger);
  const login = async (username: string, password: string): Promise<string> => {
    const result = await call<{ token: string }>('POST', '/api/auth/login', { body: { username, password } });
    if (result.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(result.body)}`);
    return result.body.token;
  };
  const admin = await login('admin', 'admin-password');
  for (const role of ['supervisor', 'operator', 'quality'] as const) {
    const created = await call('POST', '/api/users', { token: admin, body: { username: `h_${role}`, password: `${role}-password`, role } });
    if (created.status !== 201) throw new Error(`cannot create ${role}: ${JSON.stringify(created.body)}`);
  }
  const tokens = {
    admin,
    supervisor: await login('h_supervisor', 'supervisor-password'),
    operator: await login('h_operator', 'operator-password'),
    quality: await login('h_quality', 'quality-password'),
  };

  return {
    baseUrl, db, redis, app, tokens, call, ...(acd ? { acd } : {}),
    async close() {
      try {
        await app.close();
        redis.disconnect();
        await db.end();
      } finally {
        for (const cleanup of cleanups.reverse()) await cleanup();
      }
    },
  };
}
