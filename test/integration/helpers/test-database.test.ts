import pg from 'pg';
import { createTestDatabase } from '../../helpers/test-env';
import { quietPeriod } from '../../helpers/eventually';

/**
 * Every integration file ends with `pool.end()` then `database.drop()`. pg's
 * pool.end() resolves before its sockets have closed, so a drop that forced
 * connections off at once could reach a client still closing: it emitted
 * 57P01 ('terminating connection due to administrator command') on a pool
 * without a listener, and the file failed after its tests had passed (a CI
 * run showed it). The drop waits for the file's own connections to go.
 */
describe('a test file\'s own database', () => {
  it('is dropped only once a connection still closing has gone, which sees no error', async () => {
    const database = await createTestDatabase({ migrated: false });
    const closing = new pg.Client({ connectionString: database.url });
    const errors: string[] = [];
    closing.on('error', (err) => errors.push(err.message));
    await closing.connect();
    await closing.query('SELECT 1');

    const dropped = database.drop();
    await quietPeriod(300, 'the drop is under way while the last client of the file is still open, as after pool.end()');
    await closing.end();
    await dropped;

    expect(errors).toEqual([]);
    const admin = new pg.Client({ connectionString: database.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    try {
      const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database.name]);
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
