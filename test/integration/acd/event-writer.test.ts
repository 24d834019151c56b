import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AcdEventWriter, toAcdEventRecord, type Acd } from '../../../src/acd';
import { runMigrations } from '../../../src/db/migrate';
import { startPostgresServer } from '../../../src/db/postgres-server';
import { acdEventStore, insertAcdEvents, listAcdEvents } from '../../../src/db/repositories/acd-events-repository';
import { parseAcdEvent } from '../../../src/acd';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-env';
import { AcdHarness, operator } from './acd-harness';
import { eventually, quietPeriod } from '../../helpers/eventually';


function newPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 1000 });
  // idle clients lose their server during the outage test: that must not crash the test process
  pool.on('error', () => undefined);
  return pool;
}

async function storedIds(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ stream_id: string }>('SELECT stream_id FROM acd_events');
  return rows.map((r) => r.stream_id).sort();
}

/** Some traffic: agents logging in, calls queued, answered, abandoned. */
async function traffic(acd: Acd, tag: string, calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) await acd.enqueue({ callId: `${tag}-${i}`, queueId: 'sales' });
  for (let i = 0; i < calls; i += 2) await acd.abandon(`${tag}-${i}`);
}

describe('ACD event writer: Redis stream → Postgres acd_events (real Redis, real Postgres)', () => {
  let h: AcdHarness;
  let acd: Acd;
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    h = await AcdHarness.start();
    db = await createTestDatabase();
    pool = newPool(db.url);
  });
  afterAll(async () => {
    try {
      await pool.end();
      await db.drop();
    } finally {
      await h.close();
    }
  });
  beforeEach(async () => {
    await h.reset();
    await pool.query('TRUNCATE acd_events');
    acd = await h.acd();
    await acd.defineQueue({ id: 'sales', wrapUpMs: 0 });
  });

  /** How many events the ACD ever added to the stream (the writers trim what they stored, so XRANGE no longer shows all). */
  async function entriesAdded(): Promise<number> {
    const info = (await h.redis.call('XINFO', 'STREAM', acd.keys.get('eventStream'))) as unknown[];
    return Number(info[info.indexOf('entries-added') + 1]);
  }

  async function pendingCount(group = 'pg-writer'): Promise<number> {
    const summary = (await h.redis.xpending(acd.keys.get('eventStream'), group)) as [number, ...unknown[]];
    return Number(summary[0]);
  }

  it('two writers share the stream: every event stored exactly once, with its report columns, nothing left pending', async () => {
    await acd.upsertAgent(operator('42'));
    await acd.upsertAgent(operator('a-1'));
    await acd.transition('42', 'ready');
    await traffic(acd, 'c', 120);
    const writers = [h.connect(), h.connect()].map((redis, i) => new AcdEventWriter({ redis, store: acdEventStore(pool), consumer: `w${i}`, batchSize: 25 }));
    const written = [0, 0];
    await writers[0]!.ensureGroup();
    // alternate the two writers until neither gets anything more
    for (let quiet = 0; quiet < 2; ) {
      let moved = 0;
      for (const [i, writer] of writers.entries()) {
        const step = await writer.drainOnce();
        written[i] = (written[i] ?? 0) + step.written;
        moved += step.acknowledged;
      }
      quiet = moved === 0 ? quiet + 1 : 0;
    }
    expect(written[0]).toBeGreaterThan(0);
    expect(written[1]).toBeGreaterThan(0);
    const added = await entriesAdded();
    const stored = await storedIds(pool);
    expect(stored).toHaveLength(added);
    expect(new Set(stored).size).toBe(added);
    expect(written[0]! + written[1]!).toBe(added);
    expect(await pendingCount()).toBe(0);
    // Stored and acknowledged by every group: the stream keeps no history beyond its last entry.
    expect(await h.redis.xlen(acd.keys.get('eventStream'))).toBe(1);

    // report columns: staff ids become agent_id, other agent ids stay in data only
    const answered = await listAcdEvents(pool, { agentId: 42, limit: 100 });
    expect(answered.map((e) => e.type)).toEqual(expect.arrayContaining(['agent_state', 'call_reserved']));
    // c-1 waited behind c-0, whose abandon freed agent 42 for it
    const c1 = await listAcdEvents(pool, { callId: 'c-1', limit: 100 });
    expect(c1.map((e) => e.type)).toEqual(['call_enqueued', 'agent_state', 'call_reserved']);
    expect(c1[2]).toMatchObject({ queue: 'sales', agentId: 42, data: expect.objectContaining({ holder: acd.nodeId }) });
    const other = await listAcdEvents(pool, { callId: 'c-2', limit: 10 });
    expect(other.map((e) => e.type)).toEqual(['call_enqueued', 'call_abandoned']);
    const [updated] = (await listAcdEvents(pool, { limit: 1000 })).filter((e) => e.type === 'agent_updated' && (e.data as { agentId: string }).agentId === 'a-1');
    expect(updated).toMatchObject({ agentId: null });
  });

  it('a writer that dies after committing but before acknowledging: another takes its entries over, and they are stored once', async () => {
    await traffic(acd, 'c', 40);
    const survivorWriter = new AcdEventWriter({ redis: h.connect(), store: acdEventStore(pool), consumer: 'survivor', claimIdleMs: 100, batchSize: 1000 });
    await survivorWriter.ensureGroup();
    // the dying writer reads a batch, commits half of it, and is gone before XACK
    const reply = (await h.redis.call('XREADGROUP', 'GROUP', 'pg-writer', 'dying', 'COUNT', 30, 'STREAMS', acd.keys.get('eventStream'), '>')) as [
      string, [string, string[]][],
    ][];
    const taken = reply[0]![1];
    const committed = taken.slice(0, 15).map(([id, fields]) => toAcdEventRecord(id, parseAcdEvent(fields[1]!)!));
    expect(await insertAcdEvents(pool, committed)).toBe(15);
    expect(await pendingCount()).toBe(30);

    await quietPeriod(150, 'the dying writer\'s entries must be idle long enough to be claimed');
    let total = 0;
    for (let step = await survivorWriter.drainOnce(); step.acknowledged > 0; step = await survivorWriter.drainOnce()) total += step.written;
    const added = await entriesAdded();
    expect(await storedIds(pool)).toHaveLength(added);
    expect(total).toBe(added - 15); // the 15 committed ones were skipped, not doubled
    expect(await pendingCount()).toBe(0);
  });

  it('Postgres down: events stay pending (nothing acknowledged, nothing lost) and are all written exactly once when it is back', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-acd-writer-'));
    // as root, Postgres runs as another account that must reach its data directory
    chmodSync(root, 0o755);
    const port = await freeTcpPort();
    const dataDir = path.join(root, 'pg');
    let postgres: RunningService | null = await startPostgresServer({ dataDir, port, fast: true });
    const own = newPool(postgres.url);
    const writer = new AcdEventWriter({ redis: h.connect(), store: acdEventStore(own), blockMs: 100, retryMs: 50, maxRetryMs: 200 });
    try {
      await runMigrations(postgres.url, 'up');
      await writer.start();
      await traffic(acd, 'before', 20);
      const first = await entriesAdded();
      expect(await eventually(() => storedIds(own), (ids) => ids.length === first)).toHaveLength(first);

      await postgres.stop();
      postgres = null;
      await traffic(acd, 'during', 30);
      // the writer has read them and keeps them pending (unacknowledged) while it retries
      expect(await eventually(() => pendingCount(), (n) => n > 0)).toBeGreaterThan(0);
      await quietPeriod(500, 'several failed retries while Postgres is down: nothing may be acknowledged');
      expect(await pendingCount()).toBeGreaterThan(0);

      postgres = await startPostgresServer({ dataDir, port, fast: true });
      await traffic(acd, 'after', 10);
      const all = await entriesAdded();
      const stored = await eventually(() => storedIds(own), (ids) => ids.length >= all);
      expect(new Set(stored).size).toBe(all);
      expect(await eventually(() => pendingCount(), (n) => n === 0)).toBe(0);
      const { rows } = await own.query<{ n: number }>('SELECT count(*)::int AS n FROM acd_events');
      expect(rows[0]?.n).toBe(all);
      expect(writer.lost).toBe(0);
    } finally {
      await writer.stop();
      await own.end();
      await postgres?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});
