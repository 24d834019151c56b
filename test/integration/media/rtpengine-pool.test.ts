import { randomBytes } from 'node:crypto';
import { MediaSession } from '../../../src/media/media-session';
import { RtpenginePool, stoppedAnswering, type PooledRtpengine, type RtpengineEndpoint } from '../../../src/media/rtpengine-pool';
import type { RunningService } from '../../../src/platform/managed-process';
import { eventually } from '../../helpers/eventually';
import { releaseInOrder } from '../../helpers/release';
import { startTestRtpengine } from '../../helpers/test-env';
import { RtpTestEndpoint } from './rtp-test-endpoint';

type TestRtpengine = RunningService & { ngPort: number; recordingDir: string };

const endpointOf = (r: TestRtpengine): RtpengineEndpoint => ({ url: `udp://127.0.0.1:${r.ngPort}`, host: '127.0.0.1', port: r.ngPort, recordingDir: r.recordingDir });

/**
 * Calls spread over two rtpengines (issue 14), and one of them stops: new
 * calls go to the other, only the stopped engine's calls are reported lost
 * (with the reason), and once it is started again it takes calls again.
 * Real rtpengines; each call's caller is a plain RTP endpoint.
 */
describe('a pool of two rtpengines, one stopped and started again (real rtpengines)', () => {
  let a: TestRtpengine;
  let b: TestRtpengine | null = null;
  let pool: RtpenginePool;
  const lost: Array<{ callId: string; reason: string }> = [];
  const calls: Array<{ session: MediaSession; caller: RtpTestEndpoint }> = [];

  beforeAll(async () => {
    a = await startTestRtpengine();
    b = await startTestRtpengine();
    pool = new RtpenginePool({
      engines: [endpointOf(a), endpointOf(b)],
      // Short enough for a test; the sweepers' settle time keeps a call whose offer is on its way from looking lost.
      probeIntervalMs: 200, lostAfterMs: 1_500, commandTimeoutMs: 500, sweep: { intervalMs: 300, settleMs: 1_000 },
    });
    await pool.start();
    pool.onMediaLost((callId, reason) => lost.push({ callId, reason }));
  });

  afterAll(() => releaseInOrder([
    ...calls.map((c) => () => c.session.delete().catch(() => undefined)),
    ...calls.map((c) => () => c.caller.close()),
    () => pool?.stop(), () => a?.stop(), () => b?.stop(),
  ]));

  /** A new call as newCallMedia makes it: on the engine the pool picks, its caller anchored there. */
  async function newCall(): Promise<MediaSession> {
    const engine = pool.pick();
    const session = new MediaSession({
      ng: engine.ng, engine: engine.id, callId: `pool-${randomBytes(6).toString('hex')}`, caller: { tag: `c-${randomBytes(3).toString('hex')}`, kind: 'sip' },
      recordingDir: engine.recordingDir, ...(engine.tracker ? { tracker: engine.tracker } : {}),
    });
    const caller = await RtpTestEndpoint.open(0x0c0c0c0c);
    calls.push({ session, caller });
    await session.anchorCaller(caller.sdp({ sessionId: 1 }));
    return session;
  }

  const held = async (engine: PooledRtpengine): Promise<string[]> => {
    const reply = await engine.ng.command('list', { limit: 1000 });
    return Array.isArray(reply.calls) ? reply.calls.map(String) : [];
  };
  const idsOf = (sessions: readonly MediaSession[]): string[] => sessions.map((s) => s.callId);

  it('spreads calls over both; a stopped one gets no new calls and only its calls are lost, with the reason; started again, it gets calls again', async () => {
    const first = pool.engines[0]!;
    const second = pool.engines[1]!;
    expect(pool.status().map((s) => [s.name, s.state])).toEqual([['rtpengine 1', 'up'], ['rtpengine 2', 'up']]);

    // Round robin: every other call on each engine, and each engine holds exactly its own.
    const before = [await newCall(), await newCall(), await newCall(), await newCall()];
    expect(before.map((s) => s.engine)).toEqual([first.id, second.id, first.id, second.id]);
    const onFirst = before.filter((s) => s.engine === first.id);
    const onSecond = before.filter((s) => s.engine === second.id);
    expect((await held(first)).sort()).toEqual(idsOf(onFirst).sort());
    expect((await held(second)).sort()).toEqual(idsOf(onSecond).sort());

    // The second rtpengine stops: within a probe it is down and new calls all go to the first.
    const secondPort = b!.ngPort;
    await b!.stop();
    b = null;
    expect(await eventually(() => second.state, (state) => state !== 'up', 10_000)).not.toBe('up');
    const during = [await newCall(), await newCall()];
    expect(during.map((s) => s.engine)).toEqual([first.id, first.id]);

    // Silent past lostAfterMs: its calls, and only its calls, are reported lost, saying which engine stopped.
    const reported = await eventually(() => [...lost], (l) => l.length >= onSecond.length, 15_000);
    expect(second.state).toBe('gone');
    expect(reported.sort((x, y) => x.callId.localeCompare(y.callId)))
      .toEqual(idsOf(onSecond).sort().map((callId) => ({ callId, reason: stoppedAnswering(second.id) })));
    expect(pool.status().map((s) => s.state)).toEqual(['up', 'down']);
    // The first engine's calls go on: it still holds them, and its sweeps (every 300 ms meanwhile) reported none.
    expect((await held(first)).sort()).toEqual(idsOf([...onFirst, ...during]).sort());

    // Started again where it was: it answers its probe and takes new calls again (round robin: the next pick).
    const restarted = await startTestRtpengine({ ngPort: secondPort });
    b = restarted;
    expect(await eventually(() => second.state, (state) => state === 'up', 10_000)).toBe('up');
    const after = [await newCall(), await newCall()];
    expect(after.map((s) => s.engine)).toEqual([second.id, first.id]);
    expect(await held(second)).toEqual(idsOf(after.filter((s) => s.engine === second.id)));
    // Nothing more was reported lost: not the first engine's calls, not the second's new one.
    expect(lost).toHaveLength(onSecond.length);
    // The pool lists every engine's sessions (RunningSystem.mediaSessions).
    expect((await pool.listCalls()).sort()).toEqual([...(await held(first)), ...(await held(second))].sort());
  });
});
