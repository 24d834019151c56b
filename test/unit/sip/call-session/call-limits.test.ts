import type { AcdEvent } from '../../../../src/acd';
import { InboundCall } from '../../../../src/sip/inbound-call';
import { InboundCallHandler } from '../../../../src/sip/inbound-call-handler';
import { eventually } from '../../../helpers/eventually';
import { deskPhone, fakeCallWorld, fakeRequest, fakeResponse, reservation, sdp, type FakeCallWorld, wallClockAt } from '../../../fakes/call-session-fakes';
import { DIRECTORY, OPEN_TIME, STAFF } from '../../routing/routing-fixtures';

/**
 * What a live call does when the ACD loses its entry (its process was
 * declared dead after a stall or a Redis outage), and the limits no call
 * outlives (issue 14): the longest wait in queues and the longest call.
 */
beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

const OPERATOR: number = STAFF.smirnova;

async function queued(world: FakeCallWorld): Promise<{ call: InboundCall; done: Promise<void> }> {
  const entered = world.acd.nextEnqueue();
  const call = new InboundCall(world.services, fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=c', 'Call-ID': 'sip-1' } }), fakeResponse());
  const done = call.run();
  await entered;
  return { call, done };
}

const lost = (callId: string): AcdEvent => ({ type: 'call_lost', callId, reason: 'owner_died', agentId: '' } as AcdEvent);

describe('a call whose ACD entry is lost', () => {
  it('while waiting: queued again under a new ACD id, the caller never notices; the timeline says so', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const { call, done } = await queued(world);
    const first = call.acdCallId;
    const again = world.acd.nextEnqueue();
    call.onAcdEvent(lost(first));
    expect((await again).queueId).toBe('operators');
    expect(call.acdCallId).not.toBe(first);
    world.srf.answered[0]!.dialog.farEndHangsUp();
    await done;
    expect(world.acd.log).toEqual([`enqueue ${first} operators`, `enqueue ${call.acdCallId} operators`, `abandon ${call.acdCallId}`]);
    expect(world.records[0]!.events.find((e) => e.type === 'note' && 'acdEntryLost' in e.data)).toBeDefined();
  });

  it('while talking: the agent stays with the caller and is held out of the pool as on a direct call, put back when the call ends', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const { call, done } = await queued(world);
    world.phones.set(OPERATOR, [deskPhone('smirnova')]);
    const offered = call.offer(reservation(call.acdCallId, OPERATOR));
    const agentLeg = (await world.srf.nextInvite(0)).answer();
    await offered;
    call.onAcdEvent(lost(call.acdCallId));
    await eventually(() => world.acd.log.at(-1), (line) => line === `direct-call ${OPERATOR} ${call.id}`, 2_000, 5);
    expect(agentLeg.byes).toBe(0);
    expect(call.connectedStaffId).toBe(OPERATOR);
    agentLeg.farEndHangsUp();
    await done;
    // No hang-up of the lost entry (the ACD already ended it); the person goes back to the pool.
    expect(world.acd.log.filter((l) => l.startsWith('hang-up'))).toEqual([]);
    expect(world.acd.log.at(-1)).toBe(`end-direct-call ${OPERATOR} ${call.id}`);
  });
});

describe('limits no call outlives', () => {
  it('a caller waiting past calls.maxWaitSeconds is taken out of the queue, told goodbye and hung up, whatever the ACD did', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.services.callLimits = { maxWaitMs: 50, maxCallMs: 600_000, keepaliveMs: 0 };
    const { call, done } = await queued(world);
    await done;
    expect(world.srf.answered[0]!.dialog.byes).toBe(1);
    expect(world.acd.log).toEqual([`enqueue ${call.acdCallId} operators`, `abandon ${call.acdCallId}`]);
    expect(world.ng.sent.filter((c) => c.name === 'playMedia').at(-1)?.params.file).toBe('/prompts/ru/goodbye.wav');
    expect(world.records[0]).toMatchObject({ hangupSide: 'system', hangupCause: 'waited over 0 s (local limit)' });
  });

  it('a call past calls.maxCallSeconds is ended on both legs with the reason on its record (a lost BYE keeps nobody busy)', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.services.callLimits = { maxWaitMs: 600_000, maxCallMs: 300, keepaliveMs: 0 };
    const { call, done } = await queued(world);
    world.phones.set(OPERATOR, [deskPhone('smirnova')]);
    const offered = call.offer(reservation(call.acdCallId, OPERATOR));
    const agentLeg = (await world.srf.nextInvite(0)).answer();
    await offered;
    await done;
    expect(agentLeg.byes).toBe(1);
    expect(world.srf.answered[0]!.dialog.byes).toBe(1);
    expect(world.records[0]).toMatchObject({ outcome: 'answered', hangupSide: 'system', hangupCause: 'maximum call length reached' });
    expect(world.acd.log.at(-1)).toBe(`hang-up ${call.acdCallId} by system`);
  });
});

describe('a call whose media rtpengine no longer holds', () => {
  it('ends on both legs with the reason on its record, and the agent is released in the ACD', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const handler = new InboundCallHandler(world.services);
    handler.mount();
    const entered = world.acd.nextEnqueue();
    handler.handle(fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=c', 'Call-ID': 'sip-media-1' } }), fakeResponse());
    const { callId } = await entered;
    world.phones.set(OPERATOR, [deskPhone('smirnova')]);
    world.acd.reserve(reservation(callId, OPERATOR));
    const agentLeg = (await world.srf.nextInvite(0)).answer();
    await eventually(() => world.acd.log.at(-1), (line) => line === `answer ${callId} ${OPERATOR}`, 2_000, 5);
    handler.onMediaLost('another-call');
    expect(handler.liveCalls).toBe(1);
    handler.onMediaLost('sip-media-1');
    await eventually(() => handler.liveCalls, (n) => n === 0, 2_000, 5);
    expect(agentLeg.byes).toBe(1);
    expect(world.srf.answered[0]!.dialog.byes).toBe(1);
    expect(world.records[0]).toMatchObject({ outcome: 'answered', hangupSide: 'system', hangupCause: 'media lost: rtpengine no longer holds the call' });
    expect(world.acd.log.at(-1)).toBe(`hang-up ${callId} by system`);
  });

  it('one whose rtpengine stopped answering (one of several) ends with that reason on its record', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const handler = new InboundCallHandler(world.services);
    handler.mount();
    const entered = world.acd.nextEnqueue();
    handler.handle(fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=c', 'Call-ID': 'sip-media-2' } }), fakeResponse());
    await entered;
    handler.onMediaLost('sip-media-2', 'rtpengine udp://10.0.0.6:22222 stopped answering');
    await eventually(() => handler.liveCalls, (n) => n === 0, 2_000, 5);
    expect(world.records[0]).toMatchObject({ hangupSide: 'system', hangupCause: 'media lost: rtpengine udp://10.0.0.6:22222 stopped answering' });
  });
});
