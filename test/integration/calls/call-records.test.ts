import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { createPool, type Db } from '../../../src/db/pool';
import {
  callRecordStore, findCall, recordingPurgeStore, writeCallRecord, writeRecording, writeWrapUp,
} from '../../../src/db/repositories/call-records-repository';
import { CallRecordWriter } from '../../../src/calls/call-record-writer';
import { purgeExpiredRecordings } from '../../../src/calls/recording-retention';
import type { RunningService } from '../../../src/platform/managed-process';
import { createTestDatabase, startTestRedis, type TestDatabase } from '../../helpers/test-env';
import { PATHS, buildCall, newCallId, testLogger, type Refs } from './call-paths';
import { untilPasses } from '../../helpers/eventually';
import { releaseInOrder } from '../../helpers/release';

const DAY = 24 * 3600_000;

describe('call records in Postgres (real Postgres and Redis)', () => {
  let database: TestDatabase;
  let db: Db;
  let redisServer: RunningService;
  let redis: Redis;
  let writer: CallRecordWriter;
  let refs: Refs;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPool(database.url, testLogger());
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    await new Promise((resolve) => redis.once('ready', resolve));
    const client = (await db.query<{ id: number }>("INSERT INTO clients (name, type) VALUES ('Market A', 'market') RETURNING id")).rows[0]!.id;
    const queue = (await db.query<{ id: number }>("INSERT INTO queues (name, label) VALUES ('operators', 'Operators') RETURNING id")).rows[0]!.id;
    const staff = await db.query<{ id: number }>("INSERT INTO staff (full_name, role) VALUES ('Petrova', 'operator'), ('Sidorov', 'finance') RETURNING id");
    refs = { clientId: client, queueId: queue, agentA: staff.rows[0]!.id, agentB: staff.rows[1]!.id };
    writer = new CallRecordWriter({ store: callRecordStore(db), redis, logger: testLogger(), drainIntervalMs: 100 });
  });

  afterAll(() => releaseInOrder([
    () => writer?.stop(), () => redis?.disconnect(), () => db?.end(),
    () => redisServer?.stop(), () => database?.drop(),
  ]));

  const rowCount = async (sql: string, params: unknown[]): Promise<number> => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

  it.each(PATHS)('%s: exactly one row with its outcome and every event in order', async (p) => {
    const record = buildCall(p, refs);
    expect(record.outcome).toBe(p);
    await expect(writer.writeCall(record)).resolves.toBe('written');

    expect(await rowCount('SELECT count(*) AS n FROM calls WHERE id = $1', [record.id])).toBe(1);
    const stored = await findCall(db, record.id);
    expect(stored).not.toBeNull();
    expect(stored!.outcome).toBe(p);
    expect(stored!.events.map((e) => [e.seq, e.type, e.at])).toEqual(record.events.map((e) => [e.seq, e.type, new Date(e.at).toISOString()]));
    expect(stored!.events.map((e) => e.data)).toEqual(record.events.map((e) => e.data));
    expect(stored).toMatchObject({
      startedAt: new Date(record.startedAt).toISOString(),
      endedAt: new Date(record.endedAt).toISOString(),
      agentAnsweredAt: record.agentAnsweredAt === null ? null : new Date(record.agentAnsweredAt).toISOString(),
      talkMs: record.talkMs, holdMs: record.holdMs, queueWaitMs: record.queueWaitMs, hangupSide: record.hangupSide,
      clientId: refs.clientId, ivrPath: JSON.parse(JSON.stringify(record.ivrPath)), routingReason: record.routingReason,
      agentIds: [...record.agentIds], transfers: JSON.parse(JSON.stringify(record.transfers)),
    });
  });

  it('answered and transferred calls keep their agents, queue, talk and hold', async () => {
    const record = buildCall('transferred', refs);
    await writer.writeCall(record);
    const stored = await findCall(db, record.id);
    expect(stored).toMatchObject({ agentId: refs.agentA, agentIds: [refs.agentA, refs.agentB], queueName: 'finance', holdMs: 6_000, talkMs: 60_000 });
    expect(stored!.transfers[0]).toMatchObject({ kind: 'blind', result: 'completed' });
  });

  it('the same record written twice stays one row and one timeline (a retry after a lost acknowledgement)', async () => {
    const record = buildCall('answered', refs);
    await expect(writer.writeCall(record)).resolves.toBe('written');
    await expect(writer.writeCall(record)).resolves.toBe('duplicate');
    await expect(writeCallRecord(db, record)).resolves.toBe('duplicate');
    // Two writes racing each other (two drainers): still one.
    await Promise.all([writeCallRecord(db, record), writeCallRecord(db, record)]);
    expect(await rowCount('SELECT count(*) AS n FROM calls WHERE id = $1', [record.id])).toBe(1);
    expect(await rowCount('SELECT count(*) AS n FROM call_events WHERE call_id = $1', [record.id])).toBe(record.events.length);
  });

  it('a call\'s first write is one statement, row and timeline together (bench:sip: Postgres CPU per call); a record without events is stored too', async () => {
    const record = buildCall('answered', refs);
    const query = jest.spyOn(db, 'query');
    const connect = jest.spyOn(db, 'connect');
    try {
      await expect(writeCallRecord(db, record)).resolves.toBe('written');
      // One statement through the pool (which borrows a connection for it); a transaction would borrow one itself
      // and send BEGIN, the row, the timeline and COMMIT on it, none through the pool's query.
      expect([query.mock.calls.length, connect.mock.calls.length]).toEqual([1, 1]);
    } finally {
      query.mockRestore();
      connect.mockRestore();
    }
    expect((await findCall(db, record.id))!.events.map((e) => e.seq)).toEqual(record.events.map((e) => e.seq));
    const bare = { ...buildCall('abandoned_ivr', refs), events: [] };
    await expect(writeCallRecord(db, bare)).resolves.toBe('written');
    expect(await findCall(db, bare.id)).toMatchObject({ id: bare.id, events: [] });
  });

  it('references that no longer resolve are stored as NULL instead of losing the call', async () => {
    const record = { ...buildCall('answered', { clientId: 999_999, queueId: 999_999, agentA: 999_998, agentB: 999_997 }), dispositionCode: 'no_such_code' };
    await expect(writer.writeCall(record)).resolves.toBe('written');
    const stored = await findCall(db, record.id);
    // The queue is found by its name when the id is stale.
    expect(stored).toMatchObject({ clientId: null, queueId: refs.queueId, agentId: null, agentIds: [999_998], dispositionCode: null });
    expect(stored!.events.find((e) => e.type === 'agent_answered')?.data).toMatchObject({ agentId: 999_998 });
  });

  it('recording and wrap-up link to their call; written again they change nothing', async () => {
    const recordingId = newCallId();
    const record = buildCall('answered', refs, { recordingId });
    await writer.writeCall(record);
    const recording = { id: recordingId, callId: record.id, filePath: '/var/rec/a.wav', durationMs: 45_000, sizeBytes: 1_440_044 };
    await expect(writer.writeRecording(recording)).resolves.toBe('written');
    await expect(writer.writeRecording(recording)).resolves.toBe('duplicate');
    const wrapUp = { callId: record.id, staffId: refs.agentA, dispositionCode: 'order_taken', notes: 'two pallets', orderReference: 'ORD-7', orderAmount: 1250.5 };
    await expect(writer.writeWrapUp(wrapUp)).resolves.toBe('written');
    await expect(writer.writeWrapUp({ ...wrapUp, dispositionCode: 'complaint' })).resolves.toBe('duplicate');
    const stored = await findCall(db, record.id);
    expect(stored!.recordingId).toBe(recordingId);
    expect(stored!.recording).toMatchObject({ id: recordingId, durationMs: 45_000, sizeBytes: 1_440_044, channels: 2, format: 'wav', purgedAt: null });
    expect(stored!.dispositionCode).toBe('order_taken');
    expect(stored!.wrapUps).toEqual([expect.objectContaining({ staffId: refs.agentA, dispositionCode: 'order_taken', orderAmount: 1250.5 })]);
  });

  it('a recording that arrives before its call waits in the outbox and is linked once the call is written', async () => {
    const recordingId = newCallId();
    const record = buildCall('answered', refs, { recordingId });
    await expect(writeRecording(db, { id: recordingId, callId: record.id, filePath: '/r/b.wav', durationMs: 1, sizeBytes: 1 })).resolves.toBe('call_missing');
    await expect(writeWrapUp(db, { callId: record.id, staffId: refs.agentA, dispositionCode: 'order_taken' })).resolves.toBe('call_missing');
    await expect(writer.writeRecording({ id: recordingId, callId: record.id, filePath: '/r/b.wav', durationMs: 1, sizeBytes: 1 })).resolves.toBe('outboxed');
    writer.start();
    // Goes round the outbox while its call is missing…
    await untilPasses(async () => expect(await rowCount('SELECT count(*) AS n FROM recordings WHERE id = $1', [recordingId])).toBe(0), 500);
    await expect(writer.writeCall(record)).resolves.toBe('written');
    await untilPasses(async () => {
      const stored = await findCall(db, record.id);
      expect(stored?.recordingId).toBe(recordingId);
      expect(await writer.pending()).toEqual({ outbox: 0, processing: 0, deadLetters: 0, memory: 0 });
    });
    await writer.stop();
  });

  describe('recording retention', () => {
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-recordings-'));
      // Recordings of the tests above are not this test's business: keep them out of its counts.
      await db.query("UPDATE recordings SET purge_after = now() + interval '10 years'");
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    async function recorded(name: string, purgeAfter?: number | null): Promise<{ id: string; callId: string; file: string }> {
      const id = newCallId();
      const record = buildCall('answered', refs, { recordingId: id });
      await writeCallRecord(db, record);
      const file = path.join(dir, `${name}.wav`);
      writeFileSync(file, Buffer.alloc(64));
      await writeRecording(db, { id, callId: record.id, filePath: file, durationMs: 2, sizeBytes: 64, purgeAfter: purgeAfter ?? null });
      return { id, callId: record.id, file };
    }

    it('purges what is older than the retention (file deleted, row marked), keeps the rest, and is safe to run again', async () => {
      const logger = testLogger();
      const now = Date.now();
      const old = await recorded('old');
      const keptLonger = await recorded('kept-longer', now + 365 * DAY);
      const dueEarly = await recorded('due-early', now - 1_000);
      const gone = await recorded('gone');
      rmSync(gone.file);
      const outside = await recorded('outside');
      await db.query('UPDATE recordings SET file_path = $1 WHERE id = $2', ['/etc/hostname', outside.id]);

      // Today, with 30 days' retention: only the one whose own date has passed.
      expect(await purgeExpiredRecordings({ store: recordingPurgeStore(db), recordingsDir: dir, retentionMs: 30 * DAY, logger, now })).toEqual({ purged: 1, alreadyMissing: 0, failed: 0 });
      expect(existsSync(dueEarly.file)).toBe(false);
      expect(existsSync(old.file)).toBe(true);

      // 31 days later: everything past retention, except the one kept longer and the one outside the directory.
      const later = now + 31 * DAY;
      const report = await purgeExpiredRecordings({ store: recordingPurgeStore(db), recordingsDir: dir, retentionMs: 30 * DAY, logger, now: later });
      expect(report.failed).toBe(1);
      expect(report.alreadyMissing).toBe(1);
      expect(existsSync(old.file)).toBe(false);
      expect(existsSync(keptLonger.file)).toBe(true);
      expect(existsSync('/etc/hostname')).toBe(true);
      const oldStored = await findCall(db, old.callId);
      expect(oldStored!.recordingId).toBe(old.id);
      expect(oldStored!.recording!.purgedAt).toBe(new Date(later).toISOString());
      expect((await findCall(db, keptLonger.callId))!.recording!.purgedAt).toBeNull();
      expect((await findCall(db, gone.callId))!.recording!.purgedAt).not.toBeNull();

      const again = await purgeExpiredRecordings({ store: recordingPurgeStore(db), recordingsDir: dir, retentionMs: 30 * DAY, logger, now: later });
      expect(again).toEqual({ purged: 0, alreadyMissing: 0, failed: 1 });
      // No retention configured: only recordings with their own date go.
      expect(await purgeExpiredRecordings({ store: recordingPurgeStore(db), recordingsDir: dir, retentionMs: null, logger, now: later })).toEqual({ purged: 0, alreadyMissing: 0, failed: 0 });
    });
  });
});
