import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AcdEventWriter, type Acd, type AcdEventStore } from '../../../src/acd';
import { acdEventStore } from '../../../src/db/repositories/acd-events-repository';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-env';
import { AcdHarness } from './acd-harness';

/**
 * ACD events are never trimmed before they are written (issue 14). The
 * stream used to be capped at emit time (XADD MAXLEN), so a Postgres outage
 * long enough lost the oldest unwritten events. Now only what the writers
 * acknowledged is trimmed, and while Postgres is away a writer keeps the
 * stream short by writing events to a spill file on local disk first; when
 * Postgres is back the spilled events are stored, each once.
 */
describe('the ACD event stream through a long Postgres outage (real Redis, real Postgres)', () => {
  let h: AcdHarness;
  let acd: Acd;
  let database: TestDatabase;
  let pool: pg.Pool;
  const spillDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-acd-spill-'));

  beforeAll(async () => {
    h = await AcdHarness.start();
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    pool.on('error', () => undefined);
    acd = await h.acd();
    await acd.defineQueue({ id: 'sales', wrapUpMs: 0 });
  });
  afterAll(async () => {
    try {
      await pool?.end();
      await database?.drop();
    } finally {
      await h?.close();
      rmSync(spillDir, { recursive: true, force: true });
    }
  });

  const streamLength = (): Promise<number> => h.redis.xlen(acd.keys.get('eventStream'));
  const stored = async (): Promise<number> => (await pool.query<{ n: number }>('SELECT count(DISTINCT stream_id)::int AS n FROM acd_events')).rows[0]!.n;
  const totalRows = async (): Promise<number> => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM acd_events')).rows[0]!.n;

  it('keeps the stream short with a spill file while Postgres is down, then stores every event once; acknowledged history is trimmed', async () => {
    // Postgres as the writer sees it: the real store, unreachable while `down`.
    let down = true;
    const real = acdEventStore(pool);
    const store: AcdEventStore = {
      insertEvents: (records) => (down ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) : real.insertEvents(records)),
    };
    const writer = new AcdEventWriter({ redis: h.redis, store, batchSize: 25, spillDir, spillAbove: 40 });
    await writer.ensureGroup();

    // 300 events happen during the outage (a queue filling up and emptying).
    for (let i = 0; i < 150; i++) await acd.enqueue({ callId: `c-${i}`, queueId: 'sales' });
    for (let i = 0; i < 150; i++) await acd.abandon(`c-${i}`);
    const emitted = await streamLength();
    expect(emitted).toBeGreaterThanOrEqual(300);
    for (let i = 0; i < 30; i++) await writer.drainOnce();
    expect(await streamLength()).toBeLessThanOrEqual(40 + 25);
    expect(readdirSync(spillDir).length).toBeGreaterThan(0);
    expect(writer.lost).toBe(0);

    down = false;
    for (let i = 0; i < 30; i++) await writer.drainOnce();
    expect(await stored()).toBe(emitted);
    expect(await totalRows()).toBe(emitted);
    expect(readdirSync(spillDir).filter((f) => existsSync(path.join(spillDir, f)))).toEqual([]);
    // Everything is written and acknowledged: the stream keeps no history beyond the last entry.
    expect(await streamLength()).toBeLessThanOrEqual(1);
    expect(writer.lost).toBe(0);
  }, 60_000);
});
