import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { createPool, type Db } from '../../../src/db/pool';
import { callRecordStore, findCall } from '../../../src/db/repositories/call-records-repository';
import { runMigrations } from '../../../src/db/migrate';
import { startPostgresServer } from '../../../src/db/postgres-server';
import { startRedisServer } from '../../../src/runtime/redis-server';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';
import { CallRecordWriter, type CallWriteOutcome } from '../../../src/calls/call-record-writer';
import type { CallRecord } from '../../../src/calls/call-record';
import { PATHS, buildCall, newCallId, testLogger, type Refs } from './call-paths';
import { quietPeriod, untilPasses } from '../../helpers/eventually';
import { releaseInOrder } from '../../helpers/release';

const REFS: Refs = { clientId: null, queueId: null, agentA: 1, agentB: 2 };

describe('call record outbox through real Postgres and Redis outages', () => {
  let root: string;
  let pgPort: number;
  let redisPort: number;
  let postgres: RunningService | null = null;
  let redisServer: RunningService | null = null;
  let db: Db;
  let redis: Redis;
  const lines: Array<Record<string, unknown>> = [];
  let writer: CallRecordWriter;

  const startPg = async (): Promise<void> => {
    postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: pgPort, fast: true });
  };
  // AOF on, as in production (design §4): the outbox must survive Redis restarting.
  const startRedis = async (): Promise<void> => {
    redisServer = await startRedisServer({ port: redisPort, dataDir: path.join(root, 'redis'), appendOnly: true });
  };
  const newWriter = (): CallRecordWriter =>
    new CallRecordWriter({ store: callRecordStore(db), redis, logger: testLogger(lines), drainIntervalMs: 100, retryDirectAfterMs: 500, writeTimeoutMs: 3000, redisTimeoutMs: 1000 });

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-outbox-'));
    // As root, Postgres runs as another account that must reach its data directory.
    chmodSync(root, 0o755);
    pgPort = await freeTcpPort();
    redisPort = await freeTcpPort();
    await startPg();
    await runMigrations(postgres!.url, 'up');
    await startRedis();
    db = createPool(postgres!.url, testLogger());
    // The agent the wrap-ups name (no other reference rows here: those are stored as NULL, which is fine).
    await db.query("INSERT INTO staff (id, full_name, role) VALUES (1, 'Petrova', 'operator')");
    // As the app connects (start-system): commands fail at once while Redis is away, and it reconnects.
    redis = new Redis(redisServer!.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 200 });
    redis.on('error', () => undefined);
    // Without an offline queue, commands sent before the connection is up fail.
    await new Promise((resolve) => redis.once('ready', resolve));
    writer = newWriter();
    writer.start();
  });

  afterAll(() => releaseInOrder([
    () => writer?.stop(), () => redis?.disconnect(), () => db?.end(),
    () => redisServer?.stop(), () => postgres?.stop(), () => rmSync(root, { recursive: true, force: true }),
  ]));

  async function expectStoredOnce(records: readonly CallRecord[]): Promise<void> {
    const ids = records.map((r) => r.id);
    const { rows } = await db.query<{ id: string; events: string }>(
      'SELECT c.id, (SELECT count(*) FROM call_events e WHERE e.call_id = c.id) AS events FROM calls c WHERE c.id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const record of records) expect(Number(rows.find((r) => r.id === record.id)?.events)).toBe(record.events.length);
  }

  /** The order Postgres committed them in (created_at is the writing transaction's start). */
  async function commitOrder(records: readonly CallRecord[]): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM calls WHERE id = ANY($1::uuid[]) ORDER BY created_at', [records.map((r) => r.id)]);
    return rows.map((r) => r.id);
  }

  const drained = async (): Promise<void> => {
    expect(await writer.pending()).toEqual({ outbox: 0, processing: 0, deadLetters: 0, memory: 0 });
  };

  it('Postgres stops mid-stream: records wait in the outbox, nothing is lost, and after the restart each is written once, in order', async () => {
    const before = PATHS.map((p) => buildCall(p, REFS));
    for (const record of before) await expect(writer.writeCall(record)).resolves.toBe('written');

    // A stream of calls ending every 20 ms; Postgres is shut down while it flows.
    const stream: CallRecord[] = [];
    const outcomes: CallWriteOutcome[] = [];
    let stopping: Promise<void> | null = null;
    for (let i = 0; i < 24; i += 1) {
      if (i === 4) stopping = postgres!.stop();
      const record = buildCall(PATHS[i % PATHS.length]!, REFS, { recordingId: newCallId() });
      stream.push(record);
      outcomes.push(await writer.writeCall(record));
      await quietPeriod(20, 'the writes are spread over the outage, as calls end one after another');
    }
    await stopping;
    expect(outcomes.every((o) => o === 'written' || o === 'outboxed')).toBe(true);
    expect(outcomes.slice(0, 4)).toEqual(['written', 'written', 'written', 'written']);
    expect(outcomes[outcomes.length - 1]).toBe('outboxed');
    const outboxed = stream.filter((_, i) => outcomes[i] === 'outboxed');

    // Details arriving for a call whose row waits in the outbox wait with it.
    const withRecording = outboxed.find((r) => r.recordingId !== null)!;
    await expect(writer.writeRecording({ id: withRecording.recordingId!, callId: withRecording.id, filePath: '/r/x.wav', durationMs: 9, sizeBytes: 9 })).resolves.toBe('outboxed');
    await expect(writer.writeWrapUp({ callId: withRecording.id, staffId: 1, dispositionCode: 'order_taken' })).resolves.toBe('outboxed');

    // The drainer keeps trying while Postgres is away; everything is still in Redis.
    await quietPeriod(600, 'the drainer keeps trying while Postgres is away');
    const waiting = await writer.pending();
    expect((waiting.outbox ?? 0) + (waiting.processing ?? 0)).toBe(outboxed.length + 2);
    expect(waiting.memory).toBe(0);
    expect(writer.stats.postgresSuspect).toBe(true);

    await startPg();
    await untilPasses(drained);
    await expectStoredOnce([...before, ...stream]);
    expect(await commitOrder(outboxed)).toEqual(outboxed.map((r) => r.id));
    const stored = await findCall(db, withRecording.id);
    expect(stored!.recordingId).toBe(withRecording.recordingId);
    expect(stored!.dispositionCode).toBe('order_taken');
    expect(stored!.wrapUps).toHaveLength(1);
    // Every outboxed item was written from the outbox exactly once (a write whose acknowledgement
    // was lost as Postgres went down would show as a duplicate, never as a second row).
    const { writtenFromOutbox, duplicates, outboxed: outboxedCount } = writer.stats;
    expect(outboxedCount).toBe(outboxed.length + 2);
    expect(writtenFromOutbox + duplicates).toBe(outboxed.length + 2);
  });

  it('Postgres and Redis both down: records are held in memory with an error logged, and written once when both return', async () => {
    await postgres!.stop();
    await redisServer!.stop();
    const records = [buildCall('answered', REFS), buildCall('abandoned_queue', REFS)];
    for (const record of records) await expect(writer.writeCall(record)).resolves.toBe('held_in_memory');
    expect(writer.stats.heldInMemory).toBe(2);
    expect(await writer.pending()).toEqual({ outbox: null, processing: null, deadLetters: null, memory: 2 });
    const loud = lines.filter((l) => typeof l.msg === 'string' && l.msg.includes('held in process memory'));
    expect(loud.map((l) => [l.level, l.callId])).toEqual(records.map((r) => [50, r.id]));

    await startRedis();
    // Redis back, Postgres still down: out of memory into the durable outbox.
    await untilPasses(async () => {
      const p = await writer.pending();
      expect(p.memory).toBe(0);
      expect((p.outbox ?? 0) + (p.processing ?? 0)).toBe(2);
    });
    await startPg();
    await untilPasses(drained);
    await expectStoredOnce(records);
    expect(await commitOrder(records)).toEqual(records.map((r) => r.id));
  });

  it('what waits in the outbox survives Redis restarting (AOF) and a new writer drains it', async () => {
    await postgres!.stop();
    const records = [buildCall('overflowed', REFS), buildCall('after_hours', REFS), buildCall('transferred', REFS)];
    for (const record of records) await expect(writer.writeCall(record)).resolves.toBe('outboxed');
    await writer.stop();

    await redisServer!.stop();
    await startRedis();
    await untilPasses(async () => expect((await writer.outbox.counts()).pending).toBe(3));

    await startPg();
    writer = newWriter();
    writer.start();
    await untilPasses(drained);
    await expectStoredOnce(records);
    expect(await commitOrder(records)).toEqual(records.map((r) => r.id));
  });
});
