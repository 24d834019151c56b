import Redis from 'ioredis';
import { createPool, type Db } from '../../../src/db/pool';
import { callRecordStore, findCall } from '../../../src/db/repositories/call-records-repository';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';
import { CallRecordWriter, type CallRecordWriterOptions } from '../../../src/calls/call-record-writer';
import type { CallRecord } from '../../../src/calls/call-record';
import { AppError } from '../../../src/errors/app-error';
import { createTestDatabase, startTestRedis, type TestDatabase } from '../../helpers/test-env';
import { PATHS, buildCall, newCallId, testLogger, type Refs } from './call-paths';
import { quietPeriod, untilPasses } from '../../helpers/eventually';

const REFS: Refs = { clientId: null, queueId: null, agentA: 1, agentB: 2 };

describe('call outbox across writer restarts and concurrent drainers', () => {
  let database: TestDatabase;
  let db: Db;
  /** A pool to a port nothing listens on: every write is refused, as with Postgres down. */
  let deadDb: Db;
  let redisServer: RunningService;
  let redis: Redis;
  let key: string;
  const writers: CallRecordWriter[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPool(database.url, testLogger());
    deadDb = createPool(`postgres://nobody@127.0.0.1:${await freeTcpPort()}/nothing`, testLogger());
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    // Without an offline queue, commands sent before the connection is up fail.
    await new Promise((resolve) => redis.once('ready', resolve));
  });

  beforeEach(() => {
    // Each test its own outbox, so counts are its own.
    key = `sb:outbox:test-${newCallId().slice(0, 8)}`;
  });

  afterEach(async () => {
    for (const w of writers.splice(0)) await w.stop();
  });

  afterAll(async () => {
    try {
      redis?.disconnect();
      await db?.end();
      await deadDb?.end();
    } finally {
      await redisServer?.stop();
      await database?.drop();
    }
  });

  const writer = ({ db: pool, ...options }: Partial<CallRecordWriterOptions> & { db: Db }): CallRecordWriter => {
    const w = new CallRecordWriter({ store: callRecordStore(pool), redis, logger: testLogger(), outboxKey: key, drainIntervalMs: 50, retryDirectAfterMs: 60_000, ...options });
    writers.push(w);
    return w;
  };

  async function outboxed(w: CallRecordWriter, count: number): Promise<CallRecord[]> {
    const records: CallRecord[] = [];
    for (let i = 0; i < count; i += 1) {
      const record = buildCall(PATHS[i % PATHS.length]!, REFS);
      records.push(record);
      await expect(w.writeCall(record)).resolves.toBe('outboxed');
    }
    return records;
  }

  async function storedOnce(records: readonly CallRecord[]): Promise<void> {
    const { rows } = await db.query<{ id: string; n: string }>(
      'SELECT c.id, (SELECT count(*) FROM call_events e WHERE e.call_id = c.id) AS n FROM calls c WHERE c.id = ANY($1::uuid[])',
      [records.map((r) => r.id)],
    );
    expect(rows).toHaveLength(records.length);
    for (const r of records) expect(Number(rows.find((row) => row.id === r.id)?.n)).toBe(r.events.length);
  }

  async function commitOrder(records: readonly CallRecord[]): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM calls WHERE id = ANY($1::uuid[]) ORDER BY created_at', [records.map((r) => r.id)]);
    return rows.map((r) => r.id);
  }

  const empty = (w: CallRecordWriter) => async (): Promise<void> => {
    expect(await w.pending()).toEqual({ outbox: 0, processing: 0, deadLetters: 0, memory: 0 });
  };

  it('a new writer takes over the items a crashed one left in its processing list', async () => {
    const crashed = new CallRecordWriter({ store: callRecordStore(deadDb), redis, logger: testLogger(), outboxKey: key, drainerId: 'crashed' });
    const records = await outboxed(crashed, 4);
    // One pass: the head item moves to its processing list, the write is refused, it stays there…
    const pass = await crashed.drainOnce();
    expect(pass.postgresFailed).toBe(true);
    expect(await crashed.outbox.peek('processing')).toHaveLength(1);
    expect(await crashed.outbox.counts()).toEqual({ pending: 3, processing: 1, deadLetters: 0 });
    // …and the process dies there (never stopped, nothing handed back).

    const successor = writer({ db, drainerId: 'successor', staleDrainerMs: 400 });
    successor.start();
    await untilPasses(empty(successor));
    await storedOnce(records);
    expect(successor.stats).toMatchObject({ writtenFromOutbox: 4, duplicates: 0 });
    expect(await redis.zscore(`${key}:drainers`, 'crashed')).toBeNull();
    expect(await redis.exists(`${key}:processing:crashed`)).toBe(0);
  });

  it('a restarted process with the same drainer id resumes its own processing list first, keeping the order', async () => {
    const before = new CallRecordWriter({ store: callRecordStore(deadDb), redis, logger: testLogger(), outboxKey: key, drainerId: 'node-1' });
    const records = await outboxed(before, 5);
    await before.drainOnce();
    expect(await before.outbox.counts()).toEqual({ pending: 4, processing: 1, deadLetters: 0 });

    const after = writer({ db, drainerId: 'node-1' });
    const pass = await after.drainOnce();
    expect(pass).toMatchObject({ written: 5, duplicates: 0, postgresFailed: false });
    expect(await commitOrder(records)).toEqual(records.map((r) => r.id));
    await empty(after)();
  });

  it('two writers draining one outbox at once write every record exactly once', async () => {
    const producer = new CallRecordWriter({ store: callRecordStore(deadDb), redis, logger: testLogger(), outboxKey: key, retryDirectAfterMs: 60_000 });
    const records = await outboxed(producer, 40);
    const a = writer({ db, drainerId: 'a', batchSize: 3, drainIntervalMs: 5 });
    const b = writer({ db, drainerId: 'b', batchSize: 3, drainIntervalMs: 5 });
    a.start();
    b.start();
    await untilPasses(empty(a));
    await storedOnce(records);
    expect(a.stats.writtenFromOutbox + b.stats.writtenFromOutbox).toBe(40);
    expect(a.stats.duplicates + b.stats.duplicates).toBe(0);
  });

  it('the same item queued twice (a retry after a lost acknowledgement) is written once', async () => {
    const producer = new CallRecordWriter({ store: callRecordStore(deadDb), redis, logger: testLogger(), outboxKey: key });
    const record = buildCall('answered', REFS);
    await producer.writeCall(record);
    await producer.writeCall(record);
    const w = writer({ db });
    expect(await w.drainOnce()).toMatchObject({ written: 1, duplicates: 1 });
    await storedOnce([record]);
  });

  it('an item Postgres refuses for good becomes a dead letter, loudly, and can be replayed after the fix', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const w = writer({ db, logger: testLogger(lines) });
    const record = buildCall('answered', REFS);
    await expect(w.writeCall(record)).resolves.toBe('written');
    await db.query("INSERT INTO staff (id, full_name, role) VALUES (1, 'Petrova', 'operator') ON CONFLICT DO NOTHING");
    // A disposition code nobody created yet: Postgres refuses the wrap-up (foreign key).
    await expect(w.writeWrapUp({ callId: record.id, staffId: 1, dispositionCode: 'vip_order' })).resolves.toBe('dead_lettered');
    await redis.rpush(key, '{"not": "an item"}');
    expect(await w.drainOnce()).toMatchObject({ deadLettered: 1 });
    expect(await w.pending()).toEqual({ outbox: 0, processing: 0, deadLetters: 2, memory: 0 });
    expect(lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
      'Postgres refused a call record for good; kept as a dead letter in Redis',
      'unreadable item in the call outbox set aside as a dead letter',
    ]);

    await db.query("INSERT INTO disposition_codes (code, label) VALUES ('vip_order', 'VIP order')");
    expect(await w.replayDeadLetters()).toBe(2);
    expect(await w.drainOnce()).toMatchObject({ written: 1, deadLettered: 1 });
    expect((await findCall(db, record.id))!.dispositionCode).toBe('vip_order');
    expect((await w.pending()).deadLetters).toBe(1);
  });

  it('a malformed item is refused at the call site, not queued', async () => {
    const w = writer({ db });
    const bad = { id: null as unknown as string, callId: newCallId(), filePath: '/r/x.wav', durationMs: 1, sizeBytes: 1 };
    await expect(w.writeRecording(bad)).rejects.toThrow(AppError);
    await expect(w.writeRecording(bad)).rejects.toThrow(/bad field id/);
    expect(await w.pending()).toEqual({ outbox: 0, processing: 0, deadLetters: 0, memory: 0 });
  });

  it('stop() hands unfinished items back in order and drains no more', async () => {
    const w = new CallRecordWriter({ store: callRecordStore(deadDb), redis, logger: testLogger(), outboxKey: key, drainerId: 'stopping', drainIntervalMs: 20 });
    const records = await outboxed(w, 3);
    w.start();
    await untilPasses(async () => expect(await w.outbox.peek('processing')).toHaveLength(1));
    await w.stop();
    expect(await w.outbox.peek('processing')).toEqual([]);
    const pending = (await w.outbox.peek('pending')).map((raw) => (JSON.parse(raw) as { record: CallRecord }).record.id);
    expect(pending).toEqual(records.map((r) => r.id));
    expect(await redis.zscore(`${key}:drainers`, 'stopping')).toBeNull();
    // Its drain timer is gone: over many of its intervals nothing is taken from the outbox again. (Counting the
    // process's timers instead read other libraries' timers too, and a pg pool's idle timer made it fail.)
    await quietPeriod(200, 'ten drain intervals pass after stop()');
    expect(await w.outbox.peek('processing')).toEqual([]);
    expect(await redis.zscore(`${key}:drainers`, 'stopping')).toBeNull();
  });
});
