import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { parseCallCheckpoint } from '../../../src/calls/call-checkpoint';
import { CallCheckpointer, CallCheckpointStore } from '../../../src/calls/call-checkpoint-store';
import { CallRecorder, newCallId } from '../../../src/calls/call-recorder';
import { CallRecordWriter } from '../../../src/calls/call-record-writer';
import { createPool, type Db } from '../../../src/db/pool';
import { callRecordStore, findCall } from '../../../src/db/repositories/call-records-repository';
import { findCallCaptures } from '../../../src/media/call-recording';
import { singleMediaEngine, type MediaEngine, type MediaEngines } from '../../../src/media/media-engine';
import { MediaSession } from '../../../src/media/media-session';
import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import { RtpenginePool } from '../../../src/media/rtpengine-pool';
import type { RunningService } from '../../../src/platform/managed-process';
import type { RouteDecision } from '../../../src/routing/route-decision';
import { takeCheckpoint } from '../../../src/sip/call-session/call-checkpointing';
import type { CallRecording } from '../../../src/sip/call-session/call-teardown';
import { OrphanCallCloser } from '../../../src/sip/orphan-call-closer';
import { eventually } from '../../helpers/eventually';
import { releaseInOrder } from '../../helpers/release';
import { createTestDatabase, startTestRedis, startTestRtpengine, type TestDatabase } from '../../helpers/test-env';
import { channelRms } from '../../helpers/wav-level';
import { RtpTestEndpoint, mediaPort } from '../media/rtp-test-endpoint';
import { testLogger } from './call-paths';

const QUEUE_DECISION: RouteDecision = {
  target: { kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 5 }, announcement: null, reason: 'market client — operators', ruleId: 'orders',
};
const DEAD = 'node-dead';
const SURVIVOR = 'node-survivor';

/**
 * A process dies mid-call (issue 14): its calls' checkpoints in Redis let a
 * survivor store each call's row marked interrupted, with its events up to
 * the last checkpoint, delete the rtpengine session and convert the raw
 * recording. Real Redis, Postgres and rtpengine; the dying process is this
 * test's own session objects, left without their teardown.
 */
describe('calls of a process that died are closed by a survivor (real Redis, Postgres, rtpengine)', () => {
  let database: TestDatabase;
  let db: Db;
  let redisServer: RunningService;
  let redis: Redis;
  let rtpengine: RunningService & { ngPort: number; recordingDir: string };
  let ng: RtpengineNgClient;
  let writer: CallRecordWriter;
  let store: CallCheckpointStore;
  let recordingsRoot: string;
  let agentId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPool(database.url, testLogger());
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    await new Promise((resolve) => redis.once('ready', resolve));
    rtpengine = await startTestRtpengine();
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 3000 });
    writer = new CallRecordWriter({ store: callRecordStore(db), redis, logger: testLogger(), drainIntervalMs: 100 });
    store = new CallCheckpointStore({ redis, prefix: `test:${randomBytes(3).toString('hex')}` });
    agentId = (await db.query<{ id: number }>("INSERT INTO staff (full_name, role) VALUES ('Petrova', 'operator') RETURNING id")).rows[0]!.id;
    recordingsRoot = mkdtempSync(path.join(os.tmpdir(), 'switchboard-interrupted-'));
  });

  afterAll(() => releaseInOrder([
    () => writer?.stop(), () => ng?.close(), () => redis?.disconnect(), () => db?.end(),
    () => rtpengine?.stop(), () => redisServer?.stop(), () => database?.drop(),
    () => rmSync(recordingsRoot, { recursive: true, force: true }),
  ]));

  const oneEngine = (): MediaEngine => ({ id: `udp://127.0.0.1:${rtpengine.ngPort}`, ng, recordingDir: rtpengine.recordingDir });

  const closer = (liveNodes: ReadonlySet<string> | null, media: MediaEngines = singleMediaEngine(oneEngine()), logLines?: Array<Record<string, unknown>>): OrphanCallCloser => new OrphanCallCloser({
    store, nodeId: SURVIVOR, liveNodes: () => Promise.resolve(liveNodes), media, writer, recordingsRoot,
    recordingRetentionDays: 30, logger: testLogger(logLines),
  });

  /**
   * A call as the dying process had it: talking to an agent, recorded, audio both ways, checkpoint saved. On
   * `engine` (default the one rtpengine), named in the checkpoint unless `named` is false (written before issue 14).
   */
  async function talkingCall(node: string, engine: MediaEngine = oneEngine(), named = true): Promise<{ recorder: CallRecorder; session: MediaSession; recording: CallRecording; close: () => Promise<void> }> {
    const id = newCallId();
    const recorder = new CallRecorder({ id, logger: testLogger(), callerNumber: '+74951234567', sipCallId: `${id}@trunk`, trunk: '127.0.0.1' });
    const session = new MediaSession({
      ng: engine.ng, ...(named ? { engine: engine.id } : {}), callId: `${id}@trunk`, caller: { tag: `c-${randomBytes(3).toString('hex')}`, kind: 'sip' }, recordingDir: engine.recordingDir,
    });
    const caller = await RtpTestEndpoint.open(0x1111);
    const agent = await RtpTestEndpoint.open(0x2222);
    let recording: CallRecording | null = null;
    const checkpointer = new CallCheckpointer({ store, nodeId: node, log: testLogger(), take: () => takeCheckpoint({ recorder, media: session, recording, dialogIds: [] }) });
    const callerAnswer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
    recorder.answer();
    recorder.route(QUEUE_DECISION, 3);
    recorder.enqueue({ name: 'operators' });
    const agentOffer = await session.offerToAgent('sip', 'agent-1');
    recorder.offer({ agentId });
    await session.acceptAgentAnswer('agent-1', agent.sdp({ sessionId: 2 }));
    recorder.agentAnswered({ agentId });
    await session.startRecording();
    recording = { id: newCallId(), startedAt: new Date() };
    recorder.recordingStarted(recording.id);
    await Promise.all([caller.sendAudio(mediaPort(callerAnswer), 60, 0xaa), agent.sendAudio(mediaPort(agentOffer), 60, 0x2a)]);
    checkpointer.changed();
    // The checkpoint says connected and recorded: what the survivor will find.
    await eventually(async () => (await store.list(node)).map((c) => parseCallCheckpoint(c.raw)).find((c) => c?.snapshot.facts.id === id), (c) => c?.media?.recording?.id === recording?.id);
    return { recorder, session, recording, close: async () => Promise.all([caller.close(), agent.close()]).then(() => undefined) };
  }

  it('stores the row as interrupted with its events, frees rtpengine and converts the recording; the stalled process\'s own record replaces it', async () => {
    const call = await talkingCall(DEAD);
    const id = call.recorder.id;
    try {
      // While this process cannot tell who is alive (its own heartbeat in doubt), it closes nothing.
      expect(await closer(null).sweep()).toEqual({ nodes: 0, calls: 0 });
      // A process the ACD still counts as alive keeps its calls.
      expect(await closer(new Set([SURVIVOR, DEAD])).sweep()).toEqual({ nodes: 0, calls: 0 });
      expect(await findCall(db, id)).toBeNull();

      expect(await closer(new Set([SURVIVOR])).sweep()).toEqual({ nodes: 1, calls: 1 });
      const stored = await findCall(db, id);
      expect(stored).toMatchObject({ outcome: 'interrupted', hangupSide: 'system', agentId, queueName: 'operators', recordingId: call.recording.id });
      expect(stored!.hangupCause).toContain(DEAD);
      expect(stored!.talkMs).toBeGreaterThan(0);
      const types = stored!.events.map((e) => e.type);
      expect(types).toEqual([...call.recorder.events.map((e) => e.type), 'ended']);
      expect(stored!.events.at(-1)!.data).toMatchObject({ from: 'connected', to: 'ended', recording: 'converted by the survivor from the raw capture', interrupted: { node: DEAD } });
      // rtpengine no longer holds the call, and the capture became a WAV with both sides on it.
      const listed = await ng.command('list', { limit: 1000 });
      expect(listed.calls).not.toContain(call.session.callId);
      expect(stored!.recording).not.toBeNull();
      const wav = readFileSync(stored!.recording!.filePath);
      expect(channelRms(wav, 0)).toBeGreaterThan(1000);
      expect(channelRms(wav, 1)).toBeGreaterThan(1000);
      expect(await store.nodes()).not.toContain(DEAD);
      // Closed once: a second sweep finds nothing.
      expect(await closer(new Set([SURVIVOR])).sweep()).toEqual({ nodes: 0, calls: 0 });

      // The process was only stalled: it ends the call itself later, and its own record replaces the interrupted row.
      const own = call.recorder.end({ side: 'caller', cause: 'BYE' });
      await expect(writer.writeCall(own)).resolves.toBe('written');
      const replaced = await findCall(db, id);
      expect(replaced).toMatchObject({ outcome: 'answered', hangupSide: 'caller', hangupCause: 'BYE', recordingId: call.recording.id });
      expect(replaced!.events.map((e) => [e.seq, e.type])).toEqual(own.events.map((e) => [e.seq, e.type]));
      expect(replaced!.events.at(-1)!.data).toMatchObject({ side: 'caller', cause: 'BYE' });
      // Written once more, it changes nothing.
      await expect(writer.writeCall(own)).resolves.toBe('duplicate');
    } finally {
      await call.session.delete().catch(() => undefined);
      await call.close();
    }
  });

  it('closes a dead process\'s call even when rtpengine lost it already, logging why the recording could not be converted', async () => {
    const call = await talkingCall(DEAD);
    try {
      // rtpengine dropped the call (restarted, or its own timeout) and the capture went with it.
      await call.session.delete();
      for (const file of await findCallCaptures(rtpengine.recordingDir, call.session.callId)) rmSync(file);
      const lines: Array<Record<string, unknown>> = [];
      expect(await closer(new Set([SURVIVOR]), undefined, lines).sweep()).toEqual({ nodes: 1, calls: 1 });
      const stored = await findCall(db, call.recorder.id);
      expect(stored).toMatchObject({ outcome: 'interrupted', recording: null });
      // The row is stored all the same; a person reads why the recording is missing (no capture) in the log.
      expect(lines).toContainEqual(expect.objectContaining({ level: 50, callId: call.recorder.id, msg: 'the recording of an interrupted call could not be converted; its raw capture is left in place' }));
    } finally {
      await call.close();
    }
  });

  it('with two rtpengines, closes each call on the engine its checkpoint names (the first for a checkpoint that names none), converting from that engine\'s folder', async () => {
    const second = await startTestRtpengine();
    const pool = new RtpenginePool({
      engines: [rtpengine, second].map((r) => ({ url: `udp://127.0.0.1:${r.ngPort}`, host: '127.0.0.1', port: r.ngPort, recordingDir: r.recordingDir })),
      commandTimeoutMs: 3000,
    });
    const first = pool.engines[0]!;
    const other = pool.engines[1]!;
    const onSecond = await talkingCall(DEAD, other);
    const unnamed = await talkingCall(DEAD, first, false);
    try {
      const checkpoints = (await store.list(DEAD)).map((c) => parseCallCheckpoint(c.raw));
      expect(checkpoints.find((c) => c?.snapshot.facts.id === onSecond.recorder.id)?.media?.engine).toBe(other.id);
      expect(checkpoints.find((c) => c?.snapshot.facts.id === unnamed.recorder.id)?.media?.engine).toBeUndefined();

      expect(await closer(new Set([SURVIVOR]), pool).sweep()).toEqual({ nodes: 1, calls: 2 });
      for (const call of [onSecond, unnamed]) {
        const stored = await findCall(db, call.recorder.id);
        expect(stored).toMatchObject({ outcome: 'interrupted', recordingId: call.recording.id });
        expect(stored!.events.at(-1)!.data).toMatchObject({ recording: 'converted by the survivor from the raw capture' });
        const wav = readFileSync(stored!.recording!.filePath);
        expect(channelRms(wav, 0)).toBeGreaterThan(1000);
        expect(channelRms(wav, 1)).toBeGreaterThan(1000);
      }
      // Each session was deleted on its own engine, and each capture taken from that engine's folder.
      expect((await other.ng.command('list', { limit: 1000 })).calls).not.toContain(onSecond.session.callId);
      expect((await first.ng.command('list', { limit: 1000 })).calls).not.toContain(unnamed.session.callId);
      expect(await findCallCaptures(second.recordingDir, onSecond.session.callId)).toEqual([]);
      expect(await findCallCaptures(rtpengine.recordingDir, unnamed.session.callId)).toEqual([]);
    } finally {
      await onSecond.session.delete().catch(() => undefined);
      await unnamed.session.delete().catch(() => undefined);
      await releaseInOrder([() => onSecond.close(), () => unnamed.close(), () => pool.stop(), () => second.stop()]);
    }
  });

  it('leaves the checkpoints of live processes alone and removes a call\'s checkpoint once its record is stored', async () => {
    const call = await talkingCall(SURVIVOR);
    try {
      expect(await closer(new Set([SURVIVOR])).sweep()).toEqual({ nodes: 0, calls: 0 });
      expect((await store.list(SURVIVOR)).map((c) => c.callId)).toContain(call.recorder.id);
      const checkpointer = new CallCheckpointer({ store, nodeId: SURVIVOR, log: testLogger(), take: () => takeCheckpoint({ recorder: call.recorder, media: call.session, recording: call.recording, dialogIds: [] }) });
      await checkpointer.finish();
      expect((await store.list(SURVIVOR)).map((c) => c.callId)).not.toContain(call.recorder.id);
      expect(await store.nodes()).not.toContain(SURVIVOR);
    } finally {
      await call.session.delete().catch(() => undefined);
      await call.close();
    }
  });
});
