import type { Acd, Reservation } from '../../../src/acd';
import type { CallerLookup } from '../../../src/directory/caller-lookup';
import type { DtmfEvent } from '../../../src/media/dtmf-event';
import type { DtmfListener } from '../../../src/media/dtmf-listener';
import { InboundCall } from '../../../src/sip/inbound-call';
import { fakeCallWorld, fakeRequest, fakeResponse, sdp, wallClockAt, type FakeCallWorld } from '../../fakes/call-session-fakes';
import { untilPasses } from '../../helpers/eventually';
import { DIRECTORY, OPEN_TIME } from '../../unit/routing/routing-fixtures';
import { operator, useAcdHarness } from '../acd/acd-harness';

/**
 * A caller who presses the callback key keeps their place (issue 17), on the
 * real ACD in Redis: the call session (SIP and rtpengine faked) turns its
 * entry into a callback request, the caller's leg ends, and the next agent
 * free is reserved for that callback before a caller who came later — who
 * keeps waiting and hears that they are now first in line.
 */

// Only Date is faked (routing reads business hours) and stands still: a wait that never comes ends at the test's timeout.
jest.setTimeout(20_000);
beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

let acd: Acd;
const h = useAcdHarness(async (fresh) => {
  acd = fresh;
  await acd.defineQueue({ id: 'operators', wrapUpMs: 0 });
});

interface Caller {
  call: InboundCall;
  done: Promise<void>;
}

/** A world whose calls use the real ACD, each caller's keys delivered by SIP Call-ID. */
function worldOnRealAcd(): { world: FakeCallWorld; press: (sipCallId: string, digit: DtmfEvent['digit']) => void } {
  const world = fakeCallWorld(DIRECTORY);
  world.ng.promptMs = 5;
  world.services.acd = acd;
  world.services.lookup = { lookup: (n: string) => Promise.resolve({ kind: 'new', e164: n }), defaultCountry: 'RU' } as unknown as CallerLookup;
  world.services.queueWaitOptions = () => Promise.resolve({ announceEverySeconds: 1, musicOnHold: 'default', callbackKey: '1', messageKey: null });
  const listeners = new Map<string, (event: DtmfEvent) => void>();
  world.services.dtmf = {
    subscribe: (callId: string, listener: (event: DtmfEvent) => void) => {
      listeners.set(callId, listener);
      return () => listeners.delete(callId);
    },
  } as unknown as DtmfListener;
  return { world, press: (sipCallId, digit) => listeners.get(sipCallId)?.({ callId: sipCallId, digit, source: 'sip-info', sourceTag: '', at: Date.now() }) };
}

async function dial(world: FakeCallWorld, number: string, sipCallId: string): Promise<Caller> {
  const req = fakeRequest({ body: sdp(5000), headers: { From: `<sip:${number}@trunk>;tag=${sipCallId}`, 'Call-ID': sipCallId } });
  const call = new InboundCall(world.services, req, fakeResponse());
  const done = call.run();
  await untilPasses(async () => expect((await acd.getCall(call.acdCallId))?.state).toBe('waiting'));
  return { call, done };
}

/** The files played to calls of the world, in order. */
const played = (world: FakeCallWorld): string[] => world.ng.sent.filter((c) => c.name === 'playMedia').map((c) => String(c.params.file));

describe('the callback key in a queue, on the real ACD', () => {
  it('keeps the caller’s place as a callback, served before a later caller who keeps waiting', async () => {
    const { world, press } = worldOnRealAcd();
    const first = await dial(world, '+74951110001', 'sip-first');
    h.clock.advance(1000);
    const later = await dial(world, '+74951110002', 'sip-later');
    expect(await acd.waitingCalls('operators')).toEqual([first.call.acdCallId, later.call.acdCallId]);

    // The first caller hears their place (number one, no estimate: nobody is logged in), presses 1, then 1 for their own number.
    await untilPasses(() => Promise.resolve(expect(played(world)).toContain('/prompts/ru/queue_wait_unknown.wav')));
    press('sip-first', '1');
    await untilPasses(() => Promise.resolve(expect(played(world)).toContain('/prompts/ru/callback_number_is.wav')));
    press('sip-first', '1');
    await first.done;

    expect(await acd.getCall(first.call.acdCallId)).toMatchObject({ kind: 'callback', callbackNumber: '+74951110001', state: 'waiting' });
    expect(await acd.waitingCalls('operators')).toEqual([first.call.acdCallId, later.call.acdCallId]);
    expect(world.records[0]).toMatchObject({ outcome: 'callback_requested' });
    // The later caller still waits, and is told where they stand: behind the callback, second.
    expect((await acd.position(later.call.acdCallId)).position).toBe(2);

    // An operator comes free: reserved for the callback first, not for the caller on the line.
    const reservations: Reservation[] = [];
    const off = acd.onReservation((r) => reservations.push(r));
    try {
      await acd.upsertAgent(operator('a1', { queues: ['operators'] }));
      await acd.transition('a1', 'ready');
    } finally {
      off();
    }
    expect(reservations.map((r) => [r.callId, r.kind, r.callbackNumber])).toEqual([[first.call.acdCallId, 'callback', '+74951110001']]);
    expect(await acd.getCall(later.call.acdCallId)).toMatchObject({ state: 'waiting' });
    expect((await acd.position(later.call.acdCallId)).position).toBe(1);

    world.srf.answered[1]!.dialog.farEndHangsUp();
    await later.done;
    expect(world.records.map((r) => r.outcome)).toEqual(['callback_requested', 'abandoned_queue']);
  });
});
