import { AppError } from '../../../src/errors/app-error';
import { singleMediaEngine } from '../../../src/media/media-engine';
import { NO_LONGER_HELD } from '../../../src/media/rtpengine-call-sweeper';
import { canTransition, nextPickable, RtpengineHealth, type RtpengineHealthChange } from '../../../src/media/rtpengine-health';
import type { NgCommand, NgParams, NgReply } from '../../../src/media/rtpengine-ng-client';
import { RtpenginePool, rtpengineComponentName, stoppedAnswering, type PoolNgClient, type RtpengineEndpoint } from '../../../src/media/rtpengine-pool';

/** One rtpengine as its ng client sees it: answering or silent, holding the calls it was offered. */
class FakeEngine implements PoolNgClient {
  answers = true;
  /** Answers, but refuses every command (an engine that is there). */
  refuses = false;
  readonly held = new Set<string>();
  readonly sent: NgCommand[] = [];
  closed = false;

  command(name: NgCommand, params: NgParams): Promise<NgReply> {
    this.sent.push(name);
    if (!this.answers) return Promise.reject(new AppError('DEPENDENCY_DOWN', `rtpengine ${name} failed: timeout`));
    if (this.refuses) return Promise.reject(new AppError('INTERNAL', `rtpengine refused ${name}: busy`));
    if (name === 'list') return Promise.resolve({ result: 'ok', calls: [...this.held] });
    if (name === 'offer') this.held.add(String(params['call-id']));
    return Promise.resolve({ result: 'ok' });
  }

  ping(): Promise<boolean> {
    return Promise.resolve(this.answers);
  }

  close(): void {
    this.closed = true;
  }
}

const endpoint = (n: number): RtpengineEndpoint => ({ url: `udp://10.0.0.${n}:22222`, host: `10.0.0.${n}`, port: 22222, recordingDir: `/captures/${n}` });

/** A pool over `count` fake engines on a clock the test moves; its timers never fire (probe() is called by hand). */
async function poolOf(count: number, options: { lostAfterMs?: number } = {}): Promise<{ pool: RtpenginePool; fakes: FakeEngine[]; clock: { now: number } }> {
  const clock = { now: 1_000_000 };
  const fakes: FakeEngine[] = [];
  const pool = new RtpenginePool({
    engines: Array.from({ length: count }, (_, i) => endpoint(i + 1)),
    probeIntervalMs: 3_600_000, lostAfterMs: options.lostAfterMs ?? 10_000, sweep: { intervalMs: 3_600_000, settleMs: 0 },
    clock: () => clock.now,
    connect: () => {
      const fake = new FakeEngine();
      fakes.push(fake);
      return fake;
    },
  });
  await pool.start();
  return { pool, fakes, clock };
}

describe('round robin over the rtpengines that answer', () => {
  it.each([
    // pickable, last picked, next
    [[true, true], -1, 0],
    [[true, true], 0, 1],
    [[true, true], 1, 0],
    [[true, false, true], 0, 2],
    [[true, false, true], 2, 0],
    [[false, false, true], 2, 2],
    [[false, true], 5, 1],
    [[false, false], 0, null],
    [[], -1, null],
  ] as const)('pickable %j after %i → %p', (pickable, last, next) => {
    expect(nextPickable(pickable, last)).toBe(next);
  });
});

describe('the health of one rtpengine', () => {
  function health(lostAfterMs = 10_000): { health: RtpengineHealth; clock: { now: number }; changes: string[] } {
    const clock = { now: 0 };
    const changes: string[] = [];
    const h = new RtpengineHealth({ lostAfterMs, clock: () => clock.now, onChange: (c: RtpengineHealthChange) => changes.push(`${c.from}→${c.to}`) });
    return { health: h, clock, changes };
  }

  it('starts down until it answers; a silence marks it down, an answer up again; silent for lostAfterMs from the first silence: gone', () => {
    const { health: h, clock, changes } = health();
    expect(h.state).toBe('down');
    expect(h.pickable).toBe(false);
    h.answered();
    expect(h.pickable).toBe(true);
    clock.now = 60_000;
    // Silence is counted from the first unanswered ping, not from the last answer: a stalled process must not end calls.
    h.failed('ping unanswered');
    expect(h.state).toBe('down');
    clock.now = 69_999;
    h.failed('ping unanswered');
    expect(h.state).toBe('down');
    clock.now = 70_000;
    h.failed('ping unanswered');
    expect(h.state).toBe('gone');
    h.failed('ping unanswered');
    h.answered();
    expect(h.state).toBe('up');
    expect(changes).toEqual(['down→up', 'up→down', 'down→gone', 'gone→up']);
  });

  it('a blip shorter than lostAfterMs leaves it down, never gone, and the next answer restarts the count', () => {
    const { health: h, clock, changes } = health(5_000);
    h.answered();
    h.failed('timeout');
    clock.now = 4_000;
    h.answered();
    clock.now = 8_000;
    h.failed('timeout');
    clock.now = 12_000;
    h.failed('timeout');
    expect(h.state).toBe('down');
    expect(changes).toEqual(['down→up', 'up→down', 'down→up', 'up→down']);
  });

  it('allows only the moves of its table', () => {
    expect(canTransition('up', 'gone')).toBe(false);
    expect(canTransition('gone', 'down')).toBe(false);
    expect(canTransition('down', 'gone')).toBe(true);
  });
});

describe('a pool of rtpengines (fake ng clients)', () => {
  it('spreads new calls over the engines that answer, skips one whose ping fails, and refuses a call when none answers', async () => {
    const { pool, fakes } = await poolOf(3);
    expect([1, 2, 3, 4].map(() => pool.pick().id)).toEqual(['udp://10.0.0.1:22222', 'udp://10.0.0.2:22222', 'udp://10.0.0.3:22222', 'udp://10.0.0.1:22222']);
    fakes[1]!.answers = false;
    await pool.probe();
    expect([1, 2, 3].map(() => pool.pick().id)).toEqual(['udp://10.0.0.3:22222', 'udp://10.0.0.1:22222', 'udp://10.0.0.3:22222']);
    for (const fake of fakes) fake.answers = false;
    await pool.probe();
    expect(() => pool.pick()).toThrow(expect.objectContaining({ code: 'DEPENDENCY_DOWN', message: expect.stringMatching(/^no rtpengine answers \(udp:\/\/10\.0\.0\.1:22222 down, /) }));
    fakes[1]!.answers = true;
    await pool.probe();
    expect(pool.pick().id).toBe('udp://10.0.0.2:22222');
    await pool.stop();
    expect(fakes.every((f) => f.closed)).toBe(true);
  });

  it('starts with only the engines that answered its first probe', async () => {
    const clock = { now: 0 };
    const pool = new RtpenginePool({
      engines: [endpoint(1), endpoint(2)], clock: () => clock.now, probeIntervalMs: 3_600_000,
      connect: (e) => Object.assign(new FakeEngine(), { answers: e.host !== '10.0.0.1' }),
    });
    await pool.start();
    expect(pool.engines.map((e) => e.state)).toEqual(['down', 'up']);
    expect(pool.status()).toEqual([
      { name: 'rtpengine 1', state: 'down', required: false, detail: 'udp://10.0.0.1:22222: down' },
      { name: 'rtpengine 2', state: 'up', required: false, detail: 'udp://10.0.0.2:22222: up' },
    ]);
    await pool.stop();
  });

  it('a command that times out marks its engine down at once; a refusal is an answer and does not', async () => {
    const { pool, fakes } = await poolOf(2);
    const engine = pool.pick();
    fakes[0]!.refuses = true;
    await expect(engine.ng.command('offer', { 'call-id': 'x' })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(pool.engines[0]!.state).toBe('up');
    fakes[0]!.refuses = false;
    fakes[0]!.answers = false;
    await expect(engine.ng.command('offer', { 'call-id': 'x' })).rejects.toMatchObject({ code: 'DEPENDENCY_DOWN' });
    expect(pool.engines[0]!.state).toBe('down');
    expect([1, 2].map(() => pool.pick().id)).toEqual(['udp://10.0.0.2:22222', 'udp://10.0.0.2:22222']);
    await pool.stop();
  });

  it('the load the overload control reads is that of the engines new calls go to: a stopped engine the pool has set aside adds no timeouts', async () => {
    const { pool, fakes, clock } = await poolOf(2);
    const stopped = pool.engines[0]!;
    fakes[0]!.answers = false;
    // The command that finds it silent counts: it was sent to an engine taking calls.
    await expect(stopped.ng.command('delete', { 'call-id': 'a' })).rejects.toMatchObject({ code: 'DEPENDENCY_DOWN' });
    expect(pool.load.read().timeouts).toBe(1);
    clock.now += 6_000;
    expect(pool.load.read().timeouts).toBe(0);
    // Its calls' deletes and the sweeper's lists go on timing out; new calls go to the other engine, whose answers are what count.
    for (const id of ['b', 'c', 'd']) await expect(stopped.ng.command('delete', { 'call-id': id })).rejects.toMatchObject({ code: 'DEPENDENCY_DOWN' });
    await pool.pick().ng.command('offer', { 'call-id': 'e' });
    expect(pool.load.read()).toEqual({ timeouts: 0, latencyMs: 0 });
    await pool.stop();
  });

  it('an engine silent for lostAfterMs is gone: its live calls, and only its, are reported lost with the reason; answering again, it takes calls', async () => {
    const { pool, fakes, clock } = await poolOf(2, { lostAfterMs: 10_000 });
    const lost: Array<[string, string]> = [];
    pool.onMediaLost((callId, reason) => lost.push([callId, reason]));
    const [first, second] = [pool.engines[0]!, pool.engines[1]!];
    for (const [engine, callId] of [[first, 'a-1'], [second, 'b-1'], [first, 'a-2'], [second, 'b-2']] as const) {
      engine.tracker.track(callId);
      await engine.ng.command('offer', { 'call-id': callId });
    }
    fakes[1]!.answers = false;
    await pool.probe();
    clock.now += 9_999;
    await pool.probe();
    expect(second.state).toBe('down');
    expect(lost).toEqual([]);
    clock.now += 1;
    await pool.probe();
    expect(second.state).toBe('gone');
    expect(lost).toEqual([['b-1', stoppedAnswering(second.id)], ['b-2', stoppedAnswering(second.id)]]);
    // The other engine's sweep still finds its calls: nothing of it is reported.
    expect(await first.sweeper.sweep()).toMatchObject({ lost: 0 });
    expect(first.sweeper.liveCount).toBe(2);

    // Back after a restart: it takes calls again; what it lost is not reported twice.
    fakes[1]!.answers = true;
    fakes[1]!.held.clear();
    await pool.probe();
    expect(second.state).toBe('up');
    expect(await second.sweeper.sweep()).toMatchObject({ lost: 0 });
    expect(lost).toHaveLength(2);
    await pool.stop();
  });

  it('a restart quicker than lostAfterMs: the engine\'s list no longer names its calls, and they are lost as rtpengine no longer holding them', async () => {
    const { pool, fakes } = await poolOf(1);
    const lost: Array<[string, string]> = [];
    pool.onMediaLost((callId, reason) => lost.push([callId, reason]));
    const engine = pool.engines[0]!;
    engine.tracker.track('c-1');
    await engine.ng.command('offer', { 'call-id': 'c-1' });
    fakes[0]!.held.clear();
    expect(await engine.sweeper.sweep()).toMatchObject({ lost: 1 });
    expect(lost).toEqual([['c-1', NO_LONGER_HELD]]);
    await pool.stop();
  });

  it('finds the engine a checkpoint names, the first for one that names none, none for an engine it does not use', async () => {
    const { pool } = await poolOf(2);
    expect(pool.engine('udp://10.0.0.2:22222')?.recordingDir).toBe('/captures/2');
    expect(pool.engine(null)?.id).toBe('udp://10.0.0.1:22222');
    expect(pool.engine('udp://10.0.0.9:22222')).toBeNull();
    await pool.stop();
    const single = singleMediaEngine({ id: 'udp://10.0.0.1:22222', ng: new FakeEngine(), recordingDir: '/c' });
    expect(single.engine(null)?.id).toBe('udp://10.0.0.1:22222');
    expect(single.engine('udp://10.0.0.2:22222')).toBeNull();
  });

  it('lists the calls of every engine that answers; fails only when none does', async () => {
    const { pool, fakes } = await poolOf(2);
    fakes[0]!.held.add('a-1');
    fakes[1]!.held.add('b-1');
    expect((await pool.listCalls()).sort()).toEqual(['a-1', 'b-1']);
    fakes[1]!.answers = false;
    expect(await pool.listCalls()).toEqual(['a-1']);
    fakes[0]!.answers = false;
    await expect(pool.listCalls()).rejects.toMatchObject({ code: 'DEPENDENCY_DOWN' });
    await pool.stop();
  });

  it('names one engine `rtpengine`, several by number', () => {
    expect(rtpengineComponentName(0, 1)).toBe('rtpengine');
    expect([0, 1].map((i) => rtpengineComponentName(i, 2))).toEqual(['rtpengine 1', 'rtpengine 2']);
  });
});
