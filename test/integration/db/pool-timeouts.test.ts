import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool, type Db } from '../../../src/db/pool';
import { startPostgresServer } from '../../../src/db/postgres-server';
import { createRootLogger } from '../../../src/logger';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';

/**
 * A Postgres that hangs rather than refuses (issue 14): every process of the
 * cluster frozen with SIGSTOP, as a stuck disk or a VM pause does. A pool
 * with the call path's limits gives up on each query in time instead of
 * waiting for ever, more queries than it has connections all get their
 * answer (no exhaustion), and once Postgres thaws the same pool works again.
 */
describe('a pool with query timeouts, against a frozen Postgres', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-pg-freeze-'));
  let postgres: (RunningService & { dataDir: string }) | null = null;
  let pool: Db;
  let frozen: number[] = [];

  /** The postmaster and every backend, auxiliary process and worker it started. */
  const clusterPids = (): number[] => {
    const postmaster = Number(readFileSync(path.join(postgres!.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    return [postmaster, ...children];
  };
  const thaw = (): void => {
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    frozen = [];
  };

  beforeAll(async () => {
    chmodSync(root, 0o755);
    postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: await freeTcpPort(), fast: true });
    pool = createPool(postgres.url, createRootLogger('silent'), { max: 2, statementTimeoutMs: 500, queryTimeoutMs: 800 });
  }, 60_000);
  afterAll(async () => {
    thaw();
    try {
      await pool?.end();
    } finally {
      await postgres?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a statement running too long is cancelled by Postgres itself (statement_timeout)', async () => {
    await expect(pool.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    await expect(pool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it('frozen: five queries on two connections each fail within the query timeout; thawed, the pool answers again', async () => {
    await pool.query('SELECT 1');
    frozen = clusterPids();
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => pool.query('SELECT $1::int AS n', [n])));
    const took = Date.now() - started;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    // Each waits at most a connection timeout (3 s) plus the query timeout; nothing waits for the thaw.
    expect(took).toBeLessThan(10_000);
    thaw();
    const back = await pool.query('SELECT 42 AS answer');
    expect(back.rows).toEqual([{ answer: 42 }]);
  }, 30_000);
});
