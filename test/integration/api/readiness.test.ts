import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgresServer } from '../../../src/db/postgres-server';
import { runMigrations } from '../../../src/db/migrate';
import { startRedisServer } from '../../../src/runtime/redis-server';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { eventually } from '../../helpers/eventually';


describe('/readyz follows real Postgres and Redis going away and coming back', () => {
  let root: string;
  let pgPort: number;
  let redisPort: number;
  let postgres: RunningService | null = null;
  let redis: RunningService | null = null;
  let h: ApiHarness;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-ready-'));
    chmodSync(root, 0o755);
    pgPort = await freeTcpPort();
    redisPort = await freeTcpPort();
    postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: pgPort, fast: true });
    await runMigrations(postgres.url, 'up');
    redis = await startRedisServer({ port: redisPort, dataDir: path.join(root, 'redis'), appendOnly: false });
    h = await startApiHarness({ databaseUrl: postgres.url, redisUrl: redis.url });
  });

  afterAll(async () => {
    try {
      await h?.close();
    } finally {
      await redis?.stop();
      await postgres?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  const readyz = () => h.call('GET', '/readyz');
  const stateOf = (body: { components: Array<{ name: string; state: string }> }, name: string) => body.components.find((c) => c.name === name)?.state;

  it('is ready with both up', async () => {
    const result = await readyz();
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ ready: true, components: [{ name: 'postgres', state: 'up', required: true }, { name: 'redis', state: 'up', required: true }] });
  });

  it('turns unready when Redis stops, names it, and recovers when Redis returns', async () => {
    await redis!.stop();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.ready).toBe(false);
    expect(stateOf(down.body, 'redis')).toBe('down');
    expect(stateOf(down.body, 'postgres')).toBe('up');
    expect((await h.call('GET', '/healthz')).status).toBe(200);

    redis = await startRedisServer({ port: redisPort, dataDir: path.join(root, 'redis'), appendOnly: false });
    const back = await eventually(readyz, (r) => r.status === 200);
    expect(back.body.ready).toBe(true);
  });

  it('turns unready when Postgres stops, API calls answer 503 rather than crash, and recovers when it returns', async () => {
    await postgres!.stop();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(stateOf(down.body, 'postgres')).toBe('down');
    expect(stateOf(down.body, 'redis')).toBe('up');
    const call = await h.call('GET', '/api/clients', { token: h.tokens.admin });
    expect(call.status).toBe(503);
    expect(call.body.error.code).toBe('DEPENDENCY_DOWN');

    postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: pgPort, fast: true });
    const back = await eventually(readyz, (r) => r.status === 200);
    expect(back.body.ready).toBe(true);
    expect((await h.call('GET', '/api/clients', { token: h.tokens.admin })).status).toBe(200);
  });
});
