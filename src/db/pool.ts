import pg from 'pg';
import type { Logger } from '../logger';

// numeric columns (money) come back as strings by default; amounts here fit a double.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// int8 (bigserial ids, sizes) fit safely in a double for this system's volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// A date is a calendar day, not an instant: keep 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

/** How long a pool waits on Postgres before it gives up (issue 14: a Postgres that hangs must not pin every connection). */
export interface PoolLimits {
  /** Most connections. */
  max: number;
  /** Postgres cancels a statement running longer (statement_timeout, SQLSTATE 57014). */
  statementTimeoutMs: number;
  /** The client gives up on a query whose answer has not come (a frozen server that cannot even cancel). */
  queryTimeoutMs: number;
}

/** Reports, the admin API and jobs: long statements allowed. */
export const GENERAL_POOL: PoolLimits = { max: 10, statementTimeoutMs: 60_000, queryTimeoutMs: 65_000 };
/**
 * Calls: caller lookup, published flows and routing, the directory snapshot,
 * call records. Small and quick to give up, and apart from the general pool,
 * so that a report or a stuck admin query can never take the connections a
 * ringing call needs; what it cannot read in time it reads from its caches,
 * what it cannot write waits in the Redis outbox.
 * Not too small either: pg sends one statement at a time per connection, so
 * the pool carries at most max ÷ (round trip, with this process's own event
 * loop lag in it) statements a second. With 4, bench:sip at 300–400 IVR calls/s
 * saw call records wait past the 3 s connection timeout (queued in the outbox
 * instead) whenever the loop lagged tens of ms, and the calls waiting on them
 * piled up as live calls.
 */
export const CALL_PATH_POOL: PoolLimits = { max: 12, statementTimeoutMs: 5_000, queryTimeoutMs: 6_000 };

export function createPool(url: string, logger: Logger, limits: PoolLimits = GENERAL_POOL): Db {
  const pool = new pg.Pool({
    connectionString: url, max: limits.max, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000,
    statement_timeout: limits.statementTimeoutMs, query_timeout: limits.queryTimeoutMs,
    // TCP keepalive: a server that vanished without closing (a dead host, a dropped link) is noticed, not waited on.
    keepAlive: true, keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its server (Postgres restart) must not crash the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'postgres client error'));
  return pool;
}

/**
 * Runs `work` in one transaction; rolls back on any throw and always releases
 * the client. pg emits 'error' on a checked-out client when its server goes
 * away, and pg-pool only listens while a client is idle: without the listener
 * here, Postgres stopping mid-transaction would crash the process (an
 * unhandled 'error' event) instead of failing this one call.
 */
export async function inTransaction<T>(db: Db, work: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.removeListener('error', onError);
    // With the error, the pool discards the dead connection instead of lending it out again.
    client.release(broken);
  }
}
