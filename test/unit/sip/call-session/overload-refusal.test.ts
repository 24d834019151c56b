import { Writable } from 'node:stream';
import { createRootLogger } from '../../../../src/logger';
import { InboundCallHandler } from '../../../../src/sip/inbound-call-handler';
import type { OverloadLimits } from '../../../../src/sip/overload/admission';
import { OverloadGuard } from '../../../../src/sip/overload/overload-guard';
import { fakeCallWorld, fakeRequest, fakeResponse, sdp, wallClockAt, type FakeCallWorld } from '../../../fakes/call-session-fakes';
import { DIRECTORY, OPEN_TIME } from '../../routing/routing-fixtures';

/**
 * A hotline INVITE refused for overload (issue 16) is answered 503 with
 * Retry-After and the reason at once: no rtpengine command is sent for it, no
 * caller lookup, no call row; the calls already admitted go on. A flood of
 * refusals is a few log lines, not one per call.
 */
beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

const LIMITS: OverloadLimits = { maxLiveCalls: 0, ngLatencyMs: 100, eventLoopDelayMs: 200, maxCallsPerSecond: 0, retryAfterSeconds: 4 };

function invite(n: number): { req: ReturnType<typeof fakeRequest>; res: ReturnType<typeof fakeResponse> } {
  return {
    req: fakeRequest({ body: sdp(5000), headers: { From: `<sip:+7495123456${n}@trunk>;tag=caller-${n}`, 'Call-ID': `sip-call-${n}` } }),
    res: fakeResponse(),
  };
}

/** A log destination whose lines the test reads. */
function logLines(): { stream: Writable; lines: Array<{ level: number; msg: string; refused?: Record<string, number> }> } {
  const lines: Array<{ level: number; msg: string; refused?: Record<string, number> }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { stream, lines };
}

function guarded(world: FakeCallWorld, limits: Partial<OverloadLimits>, media = { latencyMs: 2, timeouts: 0 }): { guard: OverloadGuard; media: { latencyMs: number; timeouts: number } } {
  const signal = { ...media };
  const guard = new OverloadGuard({ limits: { ...LIMITS, ...limits }, media: { read: () => signal }, eventLoop: { read: () => 0 }, logger: world.services.logger });
  world.services.overload = guard;
  return { guard, media: signal };
}

describe('refusing hotline calls for overload', () => {
  it('at the live-call cap the next INVITE gets 503 with Retry-After and allocates no media; the admitted call goes on', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const { guard } = guarded(world, { maxLiveCalls: 1 });
    const handler = new InboundCallHandler(world.services);
    const entered = world.acd.nextEnqueue();
    const first = invite(1);
    handler.handle(first.req, first.res);
    await entered;
    const sentBefore = world.ng.names();
    expect(sentBefore).toContain('offer');

    const second = invite(2);
    handler.handle(second.req, second.res);
    expect(second.res.sent).toEqual([{ status: 503, reason: 'Service Unavailable (overloaded: too many calls)', headers: { 'Retry-After': '4' } }]);
    expect(world.ng.names()).toEqual(sentBefore);
    expect(handler.liveCalls).toBe(1);
    expect(guard.refused()).toEqual({ live_calls: 1 });
    // Refusing at the cap shows on /readyz's component, never required: the process stays in its load balancer.
    expect(guard.status()).toMatchObject({ name: 'overload', state: 'down', required: false, detail: expect.stringMatching(/^shedding: refusing new calls \(too many calls\) 1 live calls/) as unknown });

    world.srf.answered[0]!.dialog.farEndHangsUp();
    await handler.stop({ drainMs: 1000 });
    // One row: the admitted call's. The refused INVITE never became a call.
    expect(world.records).toHaveLength(1);
    expect(world.records[0]).toMatchObject({ hangupSide: 'caller' });
  });

  it('while rtpengine times out, new INVITEs get 503 at once and not one ng command is sent for them', () => {
    const world = fakeCallWorld(DIRECTORY);
    guarded(world, {}, { latencyMs: 1900, timeouts: 3 });
    const handler = new InboundCallHandler(world.services);
    const calls = [1, 2, 3].map(invite);
    for (const call of calls) handler.handle(call.req, call.res);
    for (const call of calls) {
      expect(call.res.sent).toEqual([{ status: 503, reason: 'Service Unavailable (overloaded: media not answering)', headers: { 'Retry-After': '4' } }]);
    }
    expect(world.ng.sent).toEqual([]);
    expect(handler.liveCalls).toBe(0);
  });

  it('shutting down still answers with its own reason: one refusal path, the drain first', async () => {
    const world = fakeCallWorld(DIRECTORY);
    guarded(world, { maxLiveCalls: 1 });
    const handler = new InboundCallHandler(world.services);
    await handler.stop({ drainMs: 10 });
    const late = invite(1);
    handler.handle(late.req, late.res);
    expect(late.res.sent).toEqual([{ status: 503, reason: 'Service Unavailable (shutting down)', headers: { 'Retry-After': '5' } }]);
  });

  it('a flood of refusals gives one warning when shedding starts and a summary at most every interval, with the counts', () => {
    const { stream, lines } = logLines();
    const clock = { now: 0 };
    const signal = { latencyMs: 2, timeouts: 0 };
    const guard = new OverloadGuard({
      limits: LIMITS, media: { read: () => signal }, eventLoop: { read: () => 0 }, logger: createRootLogger('info', 'test', stream),
      clock: () => clock.now, logIntervalMs: 10_000,
    });
    for (; clock.now < 1000; clock.now += 5) guard.admit(0);
    signal.latencyMs = 1800;
    signal.timeouts = 2;
    let refused = 0;
    for (; clock.now < 16_000; clock.now += 5) if (guard.admit(0).kind === 'refuse') refused += 1;
    expect(refused).toBe(3000);
    expect(guard.status()).toMatchObject({ name: 'overload', state: 'down', required: false });
    expect(guard.status().detail).toMatch(/^shedding: refusing every new call \(media not answering\)/);

    signal.latencyMs = 2;
    signal.timeouts = 0;
    for (; clock.now < 40_000; clock.now += 5) guard.admit(0);
    expect(guard.status()).toEqual({ name: 'overload', state: 'up', required: false, detail: 'admitting new calls' });
    const messages = lines.map((l) => l.msg);
    expect(messages[0]).toBe('overloaded: shedding new hotline calls (503 with Retry-After)');
    expect(messages.at(-1)).toBe('no longer overloaded: admitting new hotline calls freely');
    expect(lines.length).toBeLessThanOrEqual(6);
    const counted = lines.reduce((sum, l) => sum + Object.values(l.refused ?? {}).reduce((a, b) => a + b, 0), 0);
    expect(counted).toBe(guard.refused().ng_timeouts! + (guard.refused().ng_latency ?? 0));
  });
});
