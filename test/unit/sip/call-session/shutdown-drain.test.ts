import { InboundCallHandler } from '../../../../src/sip/inbound-call-handler';
import { fakeCallWorld, fakeRequest, fakeResponse, sdp, type FakeCallWorld, wallClockAt } from '../../../fakes/call-session-fakes';
import { DIRECTORY, OPEN_TIME } from '../../routing/routing-fixtures';

/**
 * Shutdown with a deadline (issue 14): new hotline calls are refused with 503
 * and Retry-After at once, calls in progress may end by themselves within the
 * drain time, and what is still up then is ended from our side with the
 * reason on its one record — the process never waits on a call forever.
 */
beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

function invite(n: number): { req: ReturnType<typeof fakeRequest>; res: ReturnType<typeof fakeResponse> } {
  return {
    req: fakeRequest({ body: sdp(5000), headers: { From: `<sip:+7495123456${n}@trunk>;tag=caller-${n}`, 'Call-ID': `sip-call-${n}` } }),
    res: fakeResponse(),
  };
}

async function queuedCall(world: FakeCallWorld, handler: InboundCallHandler, n: number): Promise<ReturnType<typeof invite>> {
  const entered = world.acd.nextEnqueue();
  const call = invite(n);
  handler.handle(call.req, call.res);
  await entered;
  return call;
}

describe('shutting the hotline down', () => {
  it('refuses new calls with 503 at once, and ends a caller still waiting at the deadline: BYE, out of the queue, one record saying why', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const handler = new InboundCallHandler(world.services);
    await queuedCall(world, handler, 1);
    const callerLeg = world.srf.answered[0]!.dialog;

    const stopping = handler.stop({ drainMs: 200 });
    const late = invite(2);
    handler.handle(late.req, late.res);
    expect(late.res.sent).toEqual([{ status: 503, reason: 'Service Unavailable (shutting down)', headers: { 'Retry-After': '5' } }]);
    // During the drain the waiting caller is still up.
    expect(callerLeg.byes).toBe(0);
    await stopping;

    expect(callerLeg.byes).toBe(1);
    expect(handler.liveCalls).toBe(0);
    expect(world.acd.log.at(-1)).toMatch(/^abandon /);
    expect(world.records).toHaveLength(1);
    expect(world.records[0]).toMatchObject({ hangupSide: 'system', hangupCause: 'shutdown: the process stopped' });
  });

  it('a call that ends by itself during the drain keeps its own ending, and stop returns as soon as the last call is done', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const handler = new InboundCallHandler(world.services);
    await queuedCall(world, handler, 1);
    const stopping = handler.stop({ drainMs: 60_000 });
    world.srf.answered[0]!.dialog.farEndHangsUp();
    await stopping;
    expect(world.records).toHaveLength(1);
    expect(world.records[0]).toMatchObject({ hangupSide: 'caller', hangupCause: 'BYE' });
  });

  it('a second signal cuts the drain short: the calls are ended at once', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const handler = new InboundCallHandler(world.services);
    await queuedCall(world, handler, 1);
    await queuedCall(world, handler, 2);
    let cut: () => void = () => undefined;
    const stopping = handler.stop({ drainMs: 60_000, cutShort: new Promise<void>((resolve) => (cut = resolve)) });
    cut();
    await stopping;
    expect(world.records.map((r) => r.hangupCause)).toEqual(['shutdown: the process stopped', 'shutdown: the process stopped']);
  });

  it('a caller not yet answered (the directory still looking them up) is refused with 503 and Retry-After, not left ringing', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.lookup.answer = () => new Promise(() => undefined);
    const handler = new InboundCallHandler(world.services);
    const call = invite(1);
    handler.handle(call.req, call.res);
    await handler.stop({ drainMs: 10 });
    expect(call.res.sent).toEqual([{ status: 503, reason: 'Service Unavailable (shutdown: the process stopped)', headers: { 'Retry-After': '5' } }]);
    expect(world.records).toHaveLength(1);
    expect(world.records[0]).toMatchObject({ hangupSide: 'system', hangupCause: 'shutdown: the process stopped' });
  });
});
