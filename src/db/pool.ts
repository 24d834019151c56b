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

export function createPool(url: string, logger: Logger, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000 });
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
