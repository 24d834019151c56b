import { InboundCall } from '../../../../src/sip/inbound-call';
import type { ContactBinding } from '../../../../src/sip/registration-store';
import {
  deskPhone, fakeCallWorld, fakeRequest, fakeResponse, reservation, sdp, wallClockAt, type FakeCallWorld,
} from '../../../fakes/call-session-fakes';
import { DIRECTORY, OPEN_TIME, STAFF } from '../../routing/routing-fixtures';

/** A queue call to an agent with several registered phones (issue 17): all ring, the first to answer wins. */

beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

const OPERATOR: number = STAFF.smirnova;
const browser = (user: string): ContactBinding => ({ uri: `sip:${user}@abc.invalid;transport=ws`, transport: 'ws' }) as ContactBinding;

async function queued(world: FakeCallWorld): Promise<{ call: InboundCall; done: Promise<void>; hangUpCaller: () => void }> {
  const entered = world.acd.nextEnqueue();
  const call = new InboundCall(world.services, fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=caller-tag', 'Call-ID': 'sip-call-1' } }), fakeResponse());
  const done = call.run();
  await entered;
  const callerLeg = world.srf.answered[0]!.dialog;
  return { call, done, hangUpCaller: () => callerLeg.farEndHangsUp() };
}

describe("a queue call rings every registered phone of the agent at once", () => {
  it('both desk phones ring; the second answers and takes the call, the first gets CANCEL; one answer, one record', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.phones.set(OPERATOR, [deskPhone('smirnova-desk'), deskPhone('smirnova-mobile')]);
    const running = await queued(world);
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    await world.srf.nextInvite(1);
    expect(world.srf.invites.map((i) => i.uri)).toEqual(['sip:smirnova-desk@10.0.0.50:5060', 'sip:smirnova-mobile@10.0.0.50:5060']);
    world.srf.invites[1]!.answer();
    await offered;
    expect(world.srf.invites.map((i) => i.cancelled)).toEqual([true, false]);
    expect(world.acd.log.filter((l) => l.startsWith('answer ') || l.startsWith('offered '))).toEqual([
      `offered ${running.call.id} ${OPERATOR}`, `answer ${running.call.acdCallId} ${OPERATOR}`,
    ]);
    expect(running.call.connectedStaffId).toBe(OPERATOR);
    running.hangUpCaller();
    await running.done;
    expect(world.records).toHaveLength(1);
    expect(world.records[0]).toMatchObject({ outcome: 'answered', agentId: OPERATOR });
    expect(world.records[0]!.events.filter((e) => e.type === 'offered' || e.type === 'agent_answered' || e.type === 'recording_started')).toHaveLength(3);
  });

  it('a phone that is busy (486) does not stop the other from taking the call', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.phones.set(OPERATOR, [deskPhone('busy'), deskPhone('free')]);
    const running = await queued(world);
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    await world.srf.nextInvite(1);
    expect(world.srf.invites).toHaveLength(2);
    world.srf.invites[0]!.refuse(486);
    world.srf.invites[1]!.answer();
    await offered;
    expect(running.call.connectedStaffId).toBe(OPERATOR);
    running.hangUpCaller();
    await running.done;
  });

  it('every phone refusing gives the call back to the ACD with the most telling status on the record', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.phones.set(OPERATOR, [deskPhone('a'), deskPhone('b')]);
    const running = await queued(world);
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    await world.srf.nextInvite(1);
    expect(world.srf.invites).toHaveLength(2);
    world.srf.invites[0]!.refuse(480);
    world.srf.invites[1]!.refuse(486);
    await offered;
    expect(world.acd.log.at(-1)).toBe(`ring-no-answer ${running.call.id} ${OPERATOR}`);
    running.hangUpCaller();
    await running.done;
    expect(world.records[0]!.events.find((e) => e.type === 'offer_missed')?.data).toMatchObject({ agentId: OPERATOR, reason: '486' });
  });

  it('the caller hanging up while the phones ring cancels every one of them', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.phones.set(OPERATOR, [deskPhone('a'), deskPhone('b')]);
    const running = await queued(world);
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    await world.srf.nextInvite(1);
    expect(world.srf.invites).toHaveLength(2);
    running.hangUpCaller();
    await offered;
    await running.done;
    expect(world.srf.invites.map((i) => i.cancelled)).toEqual([true, true]);
    expect(world.records[0]).toMatchObject({ outcome: 'abandoned_ringing' });
  });

  it('a browser softphone and desk phones ring together, each kind with its own media offer; the browser answers and the call is bridged to its leg', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.phones.set(OPERATOR, [deskPhone('desk'), browser('tab'), deskPhone('second-desk')]);
    const running = await queued(world);
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    await world.srf.nextInvite(2);
    expect(world.srf.invites.map((i) => i.uri)).toEqual(['sip:desk@10.0.0.50:5060', 'sip:second-desk@10.0.0.50:5060', 'sip:tab@abc.invalid;transport=ws']);
    // Two offers to rtpengine, one per kind, each under its own tag; the desk phones share one.
    const offers = world.ng.sent.filter((c) => c.name === 'offer' && c.params['to-tag'] !== 'ivr').slice(-2);
    expect(offers.map((c) => c.params['transport-protocol'])).toEqual(['RTP/AVP', 'UDP/TLS/RTP/SAVPF']);
    const [deskTag, browserTag] = offers.map((c) => c.params['to-tag']);
    expect(deskTag).not.toBe(browserTag);
    expect(world.srf.invites[0]!.offer).toBe(world.srf.invites[1]!.offer);
    expect(world.srf.invites[2]!.offer).not.toBe(world.srf.invites[0]!.offer);
    world.srf.invites[2]!.answer();
    await offered;
    expect(world.srf.invites.map((i) => i.cancelled)).toEqual([true, true, false]);
    // The answer goes to rtpengine under the browser's tag: the caller is bridged to the leg that answered.
    expect(world.ng.sent.filter((c) => c.name === 'answer').at(-1)?.params['to-tag']).toBe(browserTag);
    expect(running.call.connectedStaffId).toBe(OPERATOR);
    running.hangUpCaller();
    await running.done;
  });
});
