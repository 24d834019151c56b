import type { MediaCallTracker } from '../../../../src/media/rtpengine-call-sweeper';
import { OutboundCall } from '../../../../src/sip/outbound-call';
import type { ContactBinding } from '../../../../src/sip/registration-store';
import { eventually } from '../../../helpers/eventually';
import { deskPhone, FakeDialog, fakeCallWorld, fakeMedia, fakeRequest, fakeResponse, sdp, type FakeCallWorld } from '../../../fakes/call-session-fakes';
import { DIRECTORY, STAFF } from '../../routing/routing-fixtures';

/**
 * An outbound call from a staff device through a trunk, on the same fakes as
 * the inbound phases (issue 13): ringing while the far end rings, answered
 * when it answers, one record, and its rtpengine session known to the
 * process's sweeper like an inbound call's.
 */
describe('an outbound call from a staff device, without drachtio-server', () => {
  const far = { kind: 'trunk' as const, e164: '+74957654321', uri: 'sip:+74957654321@10.0.0.1:5060', trunk: '10.0.0.1' };

  function tracker(): MediaCallTracker & { seen: string[] } {
    const seen: string[] = [];
    return { seen, track: (id) => seen.push(`track ${id}`), release: (id) => seen.push(`release ${id}`), deleteFailed: (id) => seen.push(`failed ${id}`) };
  }

  it('rings the far end while the device hears 180, answers the device when the far end answers; the staff hangs up: both legs end, one record', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const sweeper = tracker();
    world.services.media = fakeMedia(world.ng, sweeper);
    const call = new OutboundCall({ services: world.services, direction: 'outbound', staff: { staffId: STAFF.smirnova, username: 'smirnova' }, far });
    const req = fakeRequest({ body: sdp(7000), headers: { From: '<sip:smirnova@office>;tag=dev-tag', 'Call-ID': 'device-call-1' } });
    const res = fakeResponse();
    const done = call.runFromDevice(req, res);

    const invite = await world.srf.nextInvite(0);
    expect(invite.uri).toBe(far.uri);
    expect(res.sent.map((s) => s.status)).toEqual([180]);
    const farLeg = invite.answer();
    const answered = await eventually(() => world.srf.answered, (a) => a.length === 1, 5_000, 5);
    const staffLeg = answered[0]!.dialog;

    staffLeg.farEndHangsUp();
    await done;
    expect(farLeg.byes).toBe(1);
    expect(world.records).toHaveLength(1);
    expect(world.records[0]).toMatchObject({ direction: 'outbound', outcome: 'answered', dialedNumber: far.e164, trunk: far.trunk });
    // The sweeper knew the call from its first command and was told it is gone.
    expect(sweeper.seen).toEqual(['track device-call-1', 'release device-call-1']);
  });

  it('a far end that is busy: the device gets 486, nothing is answered, the failed call is recorded once', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const call = new OutboundCall({ services: world.services, direction: 'outbound', staff: { staffId: STAFF.smirnova, username: 'smirnova' }, far });
    const res = fakeResponse();
    const done = call.runFromDevice(fakeRequest({ body: sdp(7000), headers: { From: '<sip:smirnova@office>;tag=dev-tag', 'Call-ID': 'device-call-2' } }), res);
    (await world.srf.nextInvite(0)).refuse(486);
    await done;
    expect(res.sent.map((s) => s.status)).toEqual([180, 486]);
    expect(world.srf.answered).toEqual([]);
    expect(world.records).toHaveLength(1);
    expect(world.records[0]).toMatchObject({ outcome: 'failed', hangupSide: 'system' });
    expect(world.ng.names().at(-1)).toBe('delete');
  });

  it('a colleague with a desk phone and a browser softphone: both ring, each kind with its own offer; the browser answers and is bridged under its tag', async () => {
    const world = fakeCallWorld(DIRECTORY);
    const contacts = [deskPhone('volkova-desk'), { uri: 'sip:volkova@abc.invalid;transport=ws', transport: 'ws' } as ContactBinding];
    const colleague = { kind: 'staff' as const, staffId: STAFF.volkova, username: 'volkova', contacts };
    const call = new OutboundCall({ services: world.services, direction: 'internal', staff: { staffId: STAFF.smirnova, username: 'smirnova' }, far: colleague });
    const done = call.runFromDevice(fakeRequest({ body: sdp(7000), headers: { From: '<sip:smirnova@office>;tag=dev-tag', 'Call-ID': 'device-call-k1' } }), fakeResponse());
    await world.srf.nextInvite(1);
    expect(world.srf.invites.map((i) => i.uri)).toEqual(['sip:volkova-desk@10.0.0.50:5060', 'sip:volkova@abc.invalid;transport=ws']);
    const offers = world.ng.sent.filter((c) => c.name === 'offer').slice(-2);
    expect(offers.map((c) => c.params['transport-protocol'])).toEqual(['RTP/AVP', 'UDP/TLS/RTP/SAVPF']);
    world.srf.invites[1]!.answer();
    const answered = await eventually(() => world.srf.answered, (a) => a.length === 1, 5_000, 5);
    expect(world.srf.invites[0]!.cancelled).toBe(true);
    expect(world.ng.sent.filter((c) => c.name === 'answer').at(-1)?.params['to-tag']).toBe(offers[1]!.params['to-tag']);
    answered[0]!.dialog.farEndHangsUp();
    await done;
    expect(world.records[0]).toMatchObject({ outcome: 'answered' });
  });

  describe('with several trunks (issue 17: the identity of the trunk the call leaves by)', () => {
    const identity = (number: string) => ({ From: `<sip:${number}@trunk;user=phone>`, 'P-Asserted-Identity': `<sip:${number}@trunk;user=phone>`, Privacy: 'none' });
    const twoTrunks = {
      kind: 'trunk' as const, e164: '+74957654321', uri: 'sip:+74957654321@10.0.0.1:5060', trunk: '10.0.0.1:5060', identity: identity('+74950000001'),
      next: [{ uri: 'sip:+74957654321@10.0.0.2:5060', trunk: '10.0.0.2:5060', identity: identity('+74950000002') }],
    };
    const place = (world: FakeCallWorld, callId: string) => {
      const call = new OutboundCall({ services: world.services, direction: 'outbound', staff: { staffId: STAFF.smirnova, username: 'smirnova' }, far: twoTrunks });
      const res = fakeResponse();
      return { res, done: call.runFromDevice(fakeRequest({ body: sdp(7000), headers: { From: '<sip:smirnova@office>;tag=dev-tag', 'Call-ID': callId } }), res) };
    };

    it('the first trunk out of service (503): the call leaves by the second with the second trunk\'s identity, and the row names it', async () => {
      const world = fakeCallWorld(DIRECTORY);
      const { done } = place(world, 'device-call-t1');
      const first = await world.srf.nextInvite(0);
      expect(first.headers).toMatchObject({ From: '<sip:+74950000001@trunk;user=phone>' });
      first.refuse(503);
      const second = await world.srf.nextInvite(1);
      expect(second.uri).toBe('sip:+74957654321@10.0.0.2:5060');
      expect(second.headers).toMatchObject({ From: '<sip:+74950000002@trunk;user=phone>', 'P-Asserted-Identity': '<sip:+74950000002@trunk;user=phone>' });
      second.answer();
      const answered = await eventually(() => world.srf.answered, (a) => a.length === 1, 5_000, 5);
      answered[0]!.dialog.farEndHangsUp();
      await done;
      expect(world.records[0]).toMatchObject({ outcome: 'answered', trunk: '10.0.0.2:5060' });
      expect(world.records[0]!.events.find((e) => e.type === 'note' && e.data.trunkFailover !== undefined)?.data).toEqual({ trunkFailover: { from: '10.0.0.1:5060', to: '10.0.0.2:5060', reason: '503' } });
    });

    it('the called party busy (486) at the first trunk: not dialled again through the second', async () => {
      const world = fakeCallWorld(DIRECTORY);
      const { res, done } = place(world, 'device-call-t2');
      (await world.srf.nextInvite(0)).refuse(486);
      await done;
      expect(world.srf.invites).toHaveLength(1);
      expect(res.sent.map((s) => s.status)).toEqual([180, 486]);
      expect(world.records[0]).toMatchObject({ outcome: 'failed', trunk: '10.0.0.1:5060' });
    });

    it('every trunk out of service: the device gets the last trunk\'s answer', async () => {
      const world = fakeCallWorld(DIRECTORY);
      const { res, done } = place(world, 'device-call-t3');
      (await world.srf.nextInvite(0)).refuse(503);
      (await world.srf.nextInvite(1)).refuse(502);
      await done;
      expect(world.srf.invites).toHaveLength(2);
      expect(res.sent.map((s) => s.status)).toEqual([180, 502]);
      expect(world.records[0]).toMatchObject({ outcome: 'failed' });
    });
  });

  it('a far end that no longer knows the call (its BYE lost) is noticed by the in-dialog OPTIONS: both legs end, the record names it', async () => {
    const world = fakeCallWorld(DIRECTORY);
    world.services.callLimits = { maxWaitMs: 600_000, maxCallMs: 600_000, keepaliveMs: 20 };
    const call = new OutboundCall({ services: world.services, direction: 'outbound', staff: { staffId: STAFF.smirnova, username: 'smirnova' }, far });
    const done = call.runFromDevice(fakeRequest({ body: sdp(7000), headers: { From: '<sip:smirnova@office>;tag=dev-tag', 'Call-ID': 'device-call-3' } }), fakeResponse());
    const lostFar = new FakeDialog({ sdp: sdp(6000) });
    lostFar.request = (options) => {
      lostFar.requests.push(options);
      return Promise.resolve({ status: 481 });
    };
    (await world.srf.nextInvite(0)).answer(lostFar);
    await done;
    expect(lostFar.requests.map((r) => r.method)).toContain('OPTIONS');
    expect(lostFar.byes).toBe(1);
    expect(world.srf.answered[0]!.dialog.byes).toBe(1);
    expect(world.records[0]).toMatchObject({ outcome: 'answered', hangupSide: 'system', hangupCause: 'the far end no longer holds the call (in-dialog OPTIONS: 481)' });
  });
});
