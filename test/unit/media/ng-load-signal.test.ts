import { AppError } from '../../../src/errors/app-error';
import { NgLoadMeter } from '../../../src/media/ng-load-signal';
import type { NgCommand, NgParams, NgReply } from '../../../src/media/rtpengine-ng-client';
import { RtpenginePool, type PoolNgClient } from '../../../src/media/rtpengine-pool';

/**
 * The media's load as the hotline's overload control reads it (issue 16):
 * the ng round trip of the last second, the silence of a command still
 * unanswered, and the timeouts of the last few seconds — measured on every
 * command the pool sends.
 */

describe('the ng load meter', () => {
  it('reads the mean round trip of the answers of the last second, forgetting older ones', () => {
    const clock = { now: 10_000 };
    const meter = new NgLoadMeter({ clock: () => clock.now });
    expect(meter.read()).toEqual({ latencyMs: 0, timeouts: 0 });
    for (const ms of [10, 30]) {
      const ticket = meter.sent();
      clock.now += ms;
      meter.answered(ticket);
    }
    expect(meter.read().latencyMs).toBe(20);
    clock.now += 1100;
    expect(meter.read().latencyMs).toBe(0);
  });

  it('counts a command still unanswered by its age, so that a stalled engine does not look idle', () => {
    const clock = { now: 0 };
    const meter = new NgLoadMeter({ clock: () => clock.now });
    const stuck = meter.sent();
    clock.now += 5;
    const quick = meter.sent();
    clock.now += 2;
    meter.answered(quick);
    clock.now += 800;
    expect(meter.read().latencyMs).toBe(807);
    meter.answered(stuck);
    expect(meter.read().latencyMs).toBeCloseTo((2 + 807) / 2);
  });

  it('leaves out of the round trip the time this process\'s event loop stood still, but not a slow engine', () => {
    const clock = { now: 0 };
    const meter = new NgLoadMeter({ clock: () => clock.now, turnCheckMs: 10 });
    const turnEvery10msUntil = (end: number): void => {
      while (clock.now + 10 <= end) {
        clock.now += 10;
        meter.loopTurned();
      }
    };
    meter.start();
    try {
      // The engine answers in 4 ms, but the loop stands still for 300 ms before it reads the reply.
      const paused = meter.sent();
      clock.now += 300;
      expect(meter.read().latencyMs).toBe(10);
      meter.answered(paused);
      meter.loopTurned();
      expect(meter.read().latencyMs).toBe(10);
      // The loop turns every 10 ms while the engine takes 300 ms: all of it counts, waiting and answered.
      const slow = meter.sent();
      turnEvery10msUntil(clock.now + 300);
      expect(meter.read().latencyMs).toBe(300);
      meter.answered(slow);
      expect(meter.read().latencyMs).toBe((10 + 300) / 2);
    } finally {
      meter.stop();
    }
  });

  it('counts the timeouts of the last five seconds; a timed-out command no longer counts as waiting', () => {
    const clock = { now: 0 };
    const meter = new NgLoadMeter({ clock: () => clock.now });
    const lost = meter.sent();
    clock.now += 2000;
    meter.timedOut(lost);
    expect(meter.read()).toEqual({ latencyMs: 0, timeouts: 1 });
    clock.now += 4999;
    expect(meter.read().timeouts).toBe(1);
    clock.now += 1;
    expect(meter.read().timeouts).toBe(0);
  });
});

/** An engine whose answers the test releases: slow, or silent until its timeout. */
class SlowEngine implements PoolNgClient {
  readonly waiting: Array<{ name: NgCommand; answer: () => void; timeOut: () => void }> = [];

  command(name: NgCommand, _params: NgParams): Promise<NgReply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        name,
        answer: () => resolve({ result: 'ok' }),
        timeOut: () => reject(new AppError('DEPENDENCY_DOWN', `rtpengine ${name} failed: timeout`)),
      });
    });
  }

  ping(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): void {}
}

it('the pool measures every command any call sends, on any engine, and shows it read-only as its load', async () => {
  const clock = { now: 50_000 };
  const engines: SlowEngine[] = [];
  const pool = new RtpenginePool({
    engines: [1, 2].map((n) => ({ url: `udp://10.0.0.${n}:22222`, host: `10.0.0.${n}`, port: 22222, recordingDir: `/c/${n}` })),
    probeIntervalMs: 3_600_000, sweep: { intervalMs: 3_600_000, settleMs: 0 }, clock: () => clock.now,
    connect: () => {
      const engine = new SlowEngine();
      engines.push(engine);
      return engine;
    },
  });
  await pool.start();
  const offer = pool.pick().ng.command('offer', { 'call-id': 'a' });
  const answer = pool.pick().ng.command('answer', { 'call-id': 'b' });
  clock.now += 120;
  expect(pool.load.read().latencyMs).toBe(120);
  engines[0]!.waiting[0]!.answer();
  engines[1]!.waiting[0]!.timeOut();
  await offer;
  await expect(answer).rejects.toThrow(/timeout/);
  expect(pool.load.read()).toEqual({ latencyMs: 120, timeouts: 1 });
  await pool.stop();
});
