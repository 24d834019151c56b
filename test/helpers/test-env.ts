import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { eventually } from './eventually';
import { startRedisServer } from '../../src/runtime/redis-server';
import { startRtpengine } from '../../src/media/rtpengine-process';
import { freeTcpPort, type RunningService } from '../../src/platform/managed-process';

export const TEMPLATE_DB = 'switchboard_template';
export const STATE_FILE_ENV = 'SWITCHBOARD_TEST_STATE';

function adminUrl(): string {
  const url = process.env.SWITCHBOARD_TEST_PG_ADMIN_URL;
  if (!url) throw new Error('integration tests need the global setup (run them through jest --selectProjects integration)');
  return url;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, cloned from the migrated template. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(options.migrated === false ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: adminUrl().replace(/\/postgres$/, `/${name}`),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        // pg's pool.end() resolves before its sockets have closed; a FORCE drop
        // meanwhile makes a closing client emit 57P01 ('terminating connection
        // due to administrator command') on a pool with no listener, and the
        // test file fails after its tests passed. So wait for the file's own
        // connections to go (FORCE stays for one a failed test left open).
        await eventually(
          async () => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0]?.n ?? 0,
          (open) => open === 0,
          5_000,
        );
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A fresh real redis-server on a random port, its data in a temp directory. */
export async function startTestRedis(): Promise<RunningService & { port: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-redis-'));
  const port = await freeTcpPort();
  const server = await startRedisServer({ port, dataDir: dir, appendOnly: false });
  return {
    ...server,
    port,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A fresh rtpengine in userspace on random ports, with its DTMF log sent to `dtmfLogPort` and pcaps under its own
 * directory; on `ngPort` when given (an rtpengine started again where a stopped one was).
 */
export async function startTestRtpengine(options: { dtmfLogPort?: number; ngPort?: number } = {}): Promise<RunningService & { ngPort: number; recordingDir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-rtpengine-'));
  const ngPort = options.ngPort ?? (await freeTcpPort());
  // Media ports: a random block of 200, so parallel test files do not collide.
  const portMin = 20000 + Math.floor(Math.random() * 200) * 200;
  const server = await startRtpengine({
    binary: 'rtpengine', ngPort, interface: '127.0.0.1', portMin, portMax: portMin + 199,
    recordingDir: path.join(dir, 'recordings'), dtmfLogPort: options.dtmfLogPort ?? (await freeTcpPort()),
  });
  return {
    ...server,
    ngPort,
    recordingDir: path.join(dir, 'recordings'),
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
