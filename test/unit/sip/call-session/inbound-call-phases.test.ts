import { AppError } from '../../../../src/errors/app-error';
import { InboundCall } from '../../../../src/sip/inbound-call';
import type { CallRecord } from '../../../../src/calls/call-record';
import {
  deskPhone, fakeCallWorld, fakeRequest, fakeResponse, reservation, sdp, type FakeCallWorld, type FakeDialog, wallClockAt,
} from '../../../fakes/call-session-fakes';
import { DIRECTORY, OPEN_TIME, STAFF } from '../../routing/routing-fixtures';
import { eventually } from '../../../helpers/eventually';

/**
 * One inbound call through its phases — caller leg, IVR, routing, queue wait,
 * agent offer, hold, transfer, teardown — on fakes of rtpengine, drachtio,
 * the ACD and the record writer (issue 13): the call flow proven without
 * drachtio-server. The e2e tier proves the same against the real pieces.
 */

// Routing reads the wall clock (business hours): a Wednesday noon in Moscow. Only Date is faked; timers run for real.
beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

const OPERATOR: number = STAFF.smirnova;

interface RunningCall {
  call: InboundCall;
  res: ReturnType<typeof fakeResponse>;
  req: ReturnType<typeof fakeRequest>;
  done: Promise<void>;
}

function dial(world: FakeCallWorld): RunningCall {
  const req = fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=caller-tag', 'Call-ID': 'sip-call-1' } });
  const res = fakeResponse();
  const call = new InboundCall(world.services, req, res);
  return { call, req, res, done: call.run() };
}

/** Dials and waits until the caller is in the operators' queue, on music. */
async function queuedCall(world: FakeCallWorld): Promise<RunningCall & { callerLeg: FakeDialog }> {
  const entered = world.acd.nextEnqueue();
  const running = dial(world);
  await entered;
  return { ...running, callerLeg: world.srf.answered[0]!.dialog };
}

/** Offers the waiting call to the operator, who answers; resolves once the ACD is told. */
async function answeredBy(world: FakeCallWorld, running: RunningCall, staffId = OPERATOR): Promise<FakeDialog> {
  world.phones.set(staffId, [deskPhone(`staff${staffId}`)]);
  const invites = world.srf.invites.length;
  const offered = running.call.offer(reservation(running.call.acdCallId, staffId));
  const invite = await world.srf.nextInvite(invites);
  const agentLeg = invite.answer();
  await offered;
  expect(world.acd.log).toContain(`answer ${running.call.acdCallId} ${staffId}`);
  return agentLeg;
}

const only = (records: CallRecord[]): CallRecord => {
  expect(records).toHaveLength(1);
  return records[0]!;
};
const eventTypes = (record: CallRecord): string[] => record.events.map((e) => e.type);

describe('an inbound call, phase by phase, without drachtio-server', () => {
  it('CANCEL while the caller is being looked up: nothing is anchored or answered, one record of an abandoned call', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.lookup.answer = () => new Promise(() => undefined);
    const { req, res, done } = dial(world);
    req.emit('cancel');
    await done;
    expect(world.ng.sent).toEqual([]);
    expect(world.srf.answered).toEqual([]);
    // drachtio-server answered the CANCEL (487): we send nothing more.
    expect(res.sent).toEqual([]);
    expect(only(world.records)).toMatchObject({ hangupSide: 'caller', hangupCause: 'CANCEL' });
  });

  it('answered, routed to the operators, queued on music; the operator answers: bridged, the ACD told, recorded; the caller hangs up: one record', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    expect(world.acd.log).toEqual([`enqueue ${running.call.id} operators`]);
    expect(world.ng.sent.filter((c) => c.name === 'playMedia').map((c) => c.params.file)).toEqual(['/prompts/moh.wav']);

    const agentLeg = await answeredBy(world, running);
    const invite = world.srf.invites[0]!;
    expect(invite.headers).toMatchObject({ 'X-Switchboard-Call-Id': running.call.id, 'X-Switchboard-Client-Id': 'new' });
    expect(running.call.connectedStaffId).toBe(OPERATOR);
    expect(world.ng.names()).toEqual(expect.arrayContaining(['stopMedia', 'startRecording']));

    running.callerLeg.farEndHangsUp();
    await running.done;
    expect(agentLeg.byes).toBe(1);
    expect(world.acd.log.at(-1)).toBe(`hang-up ${running.call.id} by caller`);
    expect(world.ng.names().at(-1)).toBe('delete');
    const record = only(world.records);
    expect(record).toMatchObject({ outcome: 'answered', agentId: OPERATOR, hangupSide: 'caller' });
    expect(eventTypes(record)).toEqual(expect.arrayContaining(['ivr_started', 'routed', 'queued', 'offered', 'agent_answered', 'recording_started', 'ended']));
  });

  it('ring-no-answer: the phone declines (486), the offer is withdrawn and the ACD told; the next agent takes the call', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    world.phones.set(OPERATOR, [deskPhone('smirnova')]);
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    (await world.srf.nextInvite(0)).refuse(486);
    await offered;
    expect(world.acd.log).toEqual([
      `enqueue ${running.call.id} operators`, `offered ${running.call.id} ${OPERATOR}`, `ring-no-answer ${running.call.id} ${OPERATOR}`,
    ]);
    expect(running.call.connectedStaffId).toBeNull();

    await answeredBy(world, running, STAFF.volkova);
    running.callerLeg.farEndHangsUp();
    await running.done;
    const record = only(world.records);
    expect(record).toMatchObject({ outcome: 'answered', agentId: STAFF.volkova });
    expect(record.events.find((e) => e.type === 'offer_missed')?.data).toMatchObject({ agentId: OPERATOR, reason: '486' });
  });

  it('an agent with no registered phone is skipped at once: the attempt on the record, the ACD told they are unreachable', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    await running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    expect(world.srf.invites).toEqual([]);
    expect(world.acd.log.at(-1)).toBe(`ring-no-answer ${running.call.id} ${OPERATOR} unreachable`);
    running.callerLeg.farEndHangsUp();
    await running.done;
    expect(world.acd.log.at(-1)).toBe(`abandon ${running.call.id}`);
    const record = only(world.records);
    expect(record.events.find((e) => e.type === 'offer_missed')?.data).toMatchObject({ reason: 'unreachable: no registered phone' });
  });

  it('the caller hangs up while the phone rings: the INVITE is cancelled and the call leaves the queue as abandoned', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    world.phones.set(OPERATOR, [deskPhone('smirnova')]);
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    const invite = await world.srf.nextInvite(0);
    running.callerLeg.farEndHangsUp();
    await Promise.all([offered, running.done]);
    expect(invite.cancelled).toBe(true);
    expect(world.acd.log).toContain(`abandon ${running.call.id}`);
    expect(only(world.records)).toMatchObject({ outcome: 'abandoned_ringing', hangupSide: 'caller' });
  });

  it('max wait reached, overflow to a callback: the callback is requested, the caller hears the confirmation and goodbye, the system hangs up', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    running.call.onAcdEvent({ type: 'call_overflowed', callId: running.call.acdCallId, queueId: 'operators', reason: 'max_wait', target: 'callback' } as Parameters<InboundCall['onAcdEvent']>[0]);
    await running.done;
    expect(running.callerLeg.byes).toBe(1);
    const played = world.ng.sent.filter((c) => c.name === 'playMedia').map((c) => c.params.file);
    expect(played.slice(-2)).toEqual(['/prompts/ru/callback_confirmed.wav', '/prompts/ru/goodbye.wav']);
    const record = only(world.records);
    expect(record).toMatchObject({ hangupSide: 'system' });
    expect(eventTypes(record)).toEqual(expect.arrayContaining(['overflowed', 'callback_requested']));
    // The ACD overflowed the entry itself: nothing is abandoned on top.
    expect(world.acd.log).toEqual([`enqueue ${running.call.id} operators`]);
  });

  it('the agent holds and resumes: the caller leg is re-INVITEd through rtpengine, music plays meanwhile, the hold is on the record', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    const agentLeg = await answeredBy(world, running);
    const held = await agentLeg.farEndSends('modify', { body: sdp(6000, 'sendonly') });
    expect(held.status).toBe(200);
    expect(running.callerLeg.reinvites).toHaveLength(1);
    expect(running.callerLeg.reinvites[0]).toMatch(/a=sendonly/);
    const mohStarts = (): number => world.ng.sent.filter((c) => c.name === 'playMedia' && c.params.file === '/prompts/moh.wav').length;
    expect(mohStarts()).toBe(2);
    expect((await agentLeg.farEndSends('modify', { body: sdp(6000) })).status).toBe(200);
    expect(world.ng.names().at(-1)).toBe('stopMedia');
    agentLeg.farEndHangsUp();
    await running.done;
    expect(running.callerLeg.byes).toBe(1);
    const record = only(world.records);
    expect(record).toMatchObject({ hangupSide: 'agent' });
    expect(eventTypes(record)).toEqual(expect.arrayContaining(['hold', 'resume']));
  });

  it('blind transfer: the agent\'s leg ends, their ACD call is hung up, the caller waits again under a new ACD id on music', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    const agentLeg = await answeredBy(world, running);
    const firstEntry = running.call.acdCallId;
    const requeued = world.acd.nextEnqueue();
    await running.call.transferBlind({ kind: 'queue', queue: 'finance' }, OPERATOR);
    expect((await requeued).queueId).toBe('finance');
    expect(agentLeg.byes).toBe(1);
    expect(running.call.acdCallId).not.toBe(firstEntry);
    expect(world.acd.log).toContain(`hang-up ${firstEntry} by agent`);
    expect(running.call.connectedStaffId).toBeNull();
    // A second transfer without an agent on the line is refused.
    await expect(running.call.transferBlind({ kind: 'queue', queue: 'operators' }, OPERATOR)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });

    await answeredBy(world, running, STAFF.morozov);
    running.callerLeg.farEndHangsUp();
    await running.done;
    const record = only(world.records);
    expect(record.agentIds).toEqual(expect.arrayContaining([OPERATOR, STAFF.morozov]));
    expect(eventTypes(record)).toEqual(expect.arrayContaining(['transfer_started']));
  });

  it('a REFER from the agent\'s phone transfers blind: 202, a final NOTIFY, then the caller is queued for the target', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    const agentLeg = await answeredBy(world, running);
    const requeued = world.acd.nextEnqueue();
    const answer = await agentLeg.farEndSends('refer', { headers: { 'Refer-To': '<sip:queue-finance@switchboard.invalid>' } });
    expect(answer.status).toBe(202);
    expect((await requeued).queueId).toBe('finance');
    expect(agentLeg.requests.map((r) => r.method)).toEqual(['NOTIFY']);
    const unreadable = await (await answeredBy(world, running)).farEndSends('refer', {});
    expect(unreadable.status).toBe(400);
    running.callerLeg.farEndHangsUp();
    await running.done;
    expect(world.records).toHaveLength(1);
  });

  it('teardown writes exactly one record even when the ACD is down while it releases the call', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    await answeredBy(world, running);
    world.acd.failNext.hangUp = 'redis is down';
    running.callerLeg.farEndHangsUp();
    await running.done;
    expect(world.ng.names().at(-1)).toBe('delete');
    expect(only(world.records)).toMatchObject({ outcome: 'answered' });
  });

  it('a recording that cannot start does not end an answered call: the caller and agent talk on, unrecorded', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    world.ng.failNext.startRecording = 'no recording directory';
    const agentLeg = await answeredBy(world, running);
    expect(agentLeg.byes).toBe(0);
    expect(running.call.connectedStaffId).toBe(OPERATOR);
    expect(world.acd.log.filter((l) => l.startsWith('ring-no-answer'))).toEqual([]);
    agentLeg.farEndHangsUp();
    await running.done;
    expect(only(world.records)).toMatchObject({ outcome: 'answered', hangupSide: 'agent', recordingId: null });
  });

  it('an answer the ACD cannot take lets the agent\'s phone go instead of leaving it on a dead line; the caller is offered again', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const running = await queuedCall(world);
    world.phones.set(OPERATOR, [deskPhone('smirnova')]);
    world.acd.failNext.answer = 'redis is down';
    const offered = running.call.offer(reservation(running.call.acdCallId, OPERATOR));
    const agentLeg = (await world.srf.nextInvite(0)).answer();
    await offered;
    expect(agentLeg.byes).toBe(1);
    expect(world.acd.log.at(-1)).toBe(`ring-no-answer ${running.call.id} ${OPERATOR}`);
    // Back on music while waiting again.
    expect(world.ng.sent.at(-1)).toMatchObject({ name: 'playMedia', params: { file: '/prompts/moh.wav' } });
    running.callerLeg.farEndHangsUp();
    await running.done;
    expect(only(world.records)).toMatchObject({ hangupSide: 'caller' });
  });

  it('an INVITE whose body is not SDP gets 415 with Accept, recorded as rejected, nothing sent to rtpengine', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const isupRes = fakeResponse();
    await new InboundCall(world.services, fakeRequest({ body: 'ISUP 1', headers: { From: '<sip:+74951234567@trunk>;tag=c', 'Call-ID': 'sip-isup', 'Content-Type': 'application/isup' } }), isupRes).run();
    expect(isupRes.sent).toEqual([{ status: 415, reason: 'Unsupported Media Type (INVITE body of type application/isup)', headers: { Accept: 'application/sdp' } }]);
    expect(world.records.map((r) => [r.outcome, r.hangupCause])).toEqual([['rejected', 'unsupported INVITE body: application/isup']]);
    expect(world.ng.sent).toEqual([]);
  });

  /** A trunk's INVITE without SDP (delayed offer, RFC 3261 §13.2.1), answered with our offer; resolves once the 200 OK is out. */
  async function delayedOfferCall(world: FakeCallWorld): Promise<{ done: Promise<void>; callerLeg: FakeDialog; ourOffer: string; call: InboundCall }> {
    const req = fakeRequest({ headers: { From: '<sip:+74951234567@trunk>;tag=caller-tag', 'Call-ID': 'sip-delayed' } });
    const call = new InboundCall(world.services, req, fakeResponse());
    const done = call.run();
    const answered = await eventually(() => world.srf.answered[0], (a) => a !== undefined, 5000);
    expect(answered).toBeDefined();
    return { done, call, callerLeg: answered!.dialog, ourOffer: answered!.localSdp };
  }

  it('a delayed-offer INVITE is answered with our offer in the 200 OK; the IVR starts only once the ACK brings the answer, and the call reaches the queue', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const entered = world.acd.nextEnqueue();
    const { callerLeg, ourOffer, done, call } = await delayedOfferCall(world);
    // The placeholder offers; rtpengine's rewrite of it goes to the caller.
    expect(world.ng.sent.map((c) => c.name)).toEqual(['offer']);
    expect(world.ng.sent[0]!.params).toMatchObject({ 'from-tag': 'ivr', 'transport-protocol': 'RTP/AVP', ICE: 'remove' });
    expect(world.ng.sent[0]!.params.sdp).toMatch(/m=audio 9 RTP\/AVP 8 0 101/);
    expect(ourOffer).toMatch(/^m=audio \d+ RTP\/AVP/m);
    callerLeg.farEndAcks(sdp(6000));
    await entered;
    const answer = world.ng.sent[1]!;
    expect(answer).toMatchObject({ name: 'answer', params: { 'from-tag': 'ivr', 'to-tag': 'caller-tag', sdp: sdp(6000) } });
    expect(world.ng.sent.slice(2).some((c) => c.name === 'playMedia')).toBe(true);
    expect(world.acd.log).toEqual([`enqueue ${call.id} operators`]);
    callerLeg.farEndHangsUp();
    await done;
    expect(only(world.records)).toMatchObject({ hangupSide: 'caller' });
  });

  it('a delayed-offer caller whose ACK brings no SDP answer gets a BYE; the call is recorded as failed with the reason, and its media released', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const { callerLeg, done } = await delayedOfferCall(world);
    callerLeg.farEndAcks();
    await done;
    expect(callerLeg.byes).toBe(1);
    expect(only(world.records)).toMatchObject({ outcome: 'failed', hangupSide: 'system', hangupCause: 'delayed offer: the ACK carried no SDP answer to our offer' });
    expect(world.ng.sent.map((c) => c.name)).toEqual(['offer', 'delete']);
  });

  it('without a published flow the INVITE is refused 503 with Retry-After, and the failed call is recorded', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.services.flows = { currentOrLastKnown: () => Promise.resolve(null) } as unknown as typeof world.services.flows;
    const { res, done } = dial(world);
    await done;
    expect(res.sent.map((s) => s.status)).toEqual([503]);
    expect(only(world.records)).toMatchObject({ outcome: 'failed', hangupSide: 'system' });
  });

  it('a media failure while answering is answered with an error status, not left hanging, and recorded as failed', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.ng.failNext.offer = 'no ports';
    const { res, done } = dial(world);
    await done;
    expect(res.sent).toHaveLength(1);
    expect(res.sent[0]!.status).toBeGreaterThanOrEqual(500);
    expect(only(world.records)).toMatchObject({ outcome: 'failed' });
    expect(world.ng.names()).not.toContain('playMedia');
  });

  it('no rtpengine answering (every one of the pool down): 503, nothing sent to rtpengine, recorded as failed', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.services.media = {
      pick: () => {
        throw new AppError('DEPENDENCY_DOWN', 'no rtpengine answers (udp://10.0.0.5:22222 down, udp://10.0.0.6:22222 gone)');
      },
      engine: () => null,
    };
    const { res, done } = dial(world);
    await done;
    expect(res.sent.map((r) => r.status)).toEqual([503]);
    expect(world.ng.sent).toEqual([]);
    expect(only(world.records)).toMatchObject({ outcome: 'failed', hangupSide: 'system' });
  });
});
