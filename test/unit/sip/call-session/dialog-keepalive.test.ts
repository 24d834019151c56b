import { createRootLogger } from '../../../../src/logger';
import { DialogKeepalive, dialogGone } from '../../../../src/sip/call-session/dialog-keepalive';
import type { Dialog } from '../../../../src/sip/call-session/inbound-context';
import { InboundCall } from '../../../../src/sip/inbound-call';
import { eventually, quietPeriod } from '../../../helpers/eventually';
import { deskPhone, fakeCallWorld, fakeRequest, fakeResponse, reservation, sdp, FakeDialog, wallClockAt } from '../../../fakes/call-session-fakes';
import { DIRECTORY, OPEN_TIME, STAFF } from '../../routing/routing-fixtures';


/** A dialog whose far end answers OPTIONS as told (a status, or never). */
function probedDialog(answer: () => Promise<{ status: number }>): FakeDialog {
  const dialog = new FakeDialog({ sdp: sdp(6000) });
  dialog.request = (options) => {
    dialog.requests.push(options);
    return answer();
  };
  return dialog;
}

describe('what an in-dialog OPTIONS answer says (RFC 5057 §5.1)', () => {
  it('gone on 481, 408 or no answer; any other answer, even a refusal, comes from a party that holds the call', () => {
    expect([481, 408].map((status) => dialogGone({ status }))).toEqual([true, true]);
    expect(dialogGone('no-answer')).toBe(true);
    expect([200, 405, 501, 488, 503].map((status) => dialogGone({ status }))).toEqual([false, false, false, false, false]);
    // Unreachable (our stack's 503 on ICMP port unreachable) twice running: gone.
    expect(dialogGone({ status: 503 }, true)).toBe(true);
  });
});

describe('dead-call detection by in-dialog OPTIONS', () => {
  const log = createRootLogger('silent');

  it('probes every interval while the far end answers; a 481 ends it once, and probing stops', async () => {
    let status = 200;
    const dialog = probedDialog(() => Promise.resolve({ status }));
    const gone: string[] = [];
    const keepalive = new DialogKeepalive({ intervalMs: 10, answerTimeoutMs: 100, log, onGone: (leg, why) => gone.push(`${leg} ${why}`) });
    keepalive.watch('agent', dialog as unknown as Dialog);
    await eventually(() => dialog.requests.length, (n) => n >= 3, 2_000, 5);
    expect(gone).toEqual([]);
    status = 481;
    await eventually(() => gone, (g) => g.length > 0, 2_000, 5);
    const probes = dialog.requests.length;
    await quietPeriod(60, 'six intervals pass after the leg was declared gone');
    expect(gone).toEqual(['agent 481']);
    expect(dialog.requests.length).toBe(probes);
    expect(dialog.requests.every((r) => r.method === 'OPTIONS')).toBe(true);
  });

  it('a far end that does not answer at all within the answer time is gone too; interval 0 probes nothing', async () => {
    const silent = probedDialog(() => new Promise(() => undefined));
    const gone: string[] = [];
    const keepalive = new DialogKeepalive({ intervalMs: 10, answerTimeoutMs: 30, log, onGone: (leg, why) => gone.push(`${leg} ${why}`) });
    keepalive.watch('caller', silent as unknown as Dialog);
    await eventually(() => gone, (g) => g.length > 0, 2_000, 5);
    expect(gone[0]).toBe('caller no answer within 30 ms');
    keepalive.stop();

    const off = new DialogKeepalive({ intervalMs: 0, answerTimeoutMs: 30, log, onGone: () => undefined });
    const idle = probedDialog(() => Promise.resolve({ status: 200 }));
    off.watch('caller', idle as unknown as Dialog);
    await quietPeriod(50, 'five intervals pass with probing off');
    expect(idle.requests).toEqual([]);
  });

  it('after drachtio-server reconnected, probeAll asks every leg at once even with periodic probing off; a dialog the restarted server lost ends the call with why', async () => {
    const gone: string[] = [];
    const keepalive = new DialogKeepalive({ intervalMs: 0, answerTimeoutMs: 100, log, onGone: (leg, why) => gone.push(`${leg} ${why}`) });
    const alive = probedDialog(() => Promise.resolve({ status: 200 }));
    const lost = probedDialog(() => Promise.reject(new Error('unknown dialog')));
    keepalive.watch('caller', alive as unknown as Dialog);
    keepalive.watch('agent', lost as unknown as Dialog);
    await quietPeriod(30, 'nothing is probed before the reconnect');
    expect(alive.requests.length + lost.requests.length).toBe(0);
    keepalive.probeAll();
    await eventually(() => gone, (g) => g.length > 0, 2_000, 5);
    expect(gone).toEqual(['agent could not be sent: unknown dialog']);
    expect(alive.requests).toEqual([{ method: 'OPTIONS' }]);
  });

  it('on a live call: the agent\'s phone lost the call (its BYE went missing), the call ends on the caller\'s side too, with the reason', async () => {
    // Routing reads the wall clock (business hours): a Wednesday noon in Moscow. Only Date is faked.
    wallClockAt(OPEN_TIME);
    try {
      await liveCallLosesItsAgent();
    } finally {
      jest.useRealTimers();
    }
  });
});

/** A call queued, answered by an agent whose phone then answers every in-dialog OPTIONS with 481. */
async function liveCallLosesItsAgent(): Promise<void> {
  const world = fakeCallWorld(DIRECTORY);
  world.services.callLimits = { maxWaitMs: 600_000, maxCallMs: 600_000, keepaliveMs: 20 };
  const entered = world.acd.nextEnqueue();
  const call = new InboundCall(world.services, fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=c', 'Call-ID': 'sip-ka' } }), fakeResponse());
  const done = call.run();
  await entered;
  world.phones.set(STAFF.smirnova, [deskPhone('smirnova')]);
  const offered = call.offer(reservation(call.acdCallId, STAFF.smirnova));
  const agentLeg = (await world.srf.nextInvite(0)).answer(probedDialog(() => Promise.resolve({ status: 481 })));
  await offered;
  await done;
  expect(world.srf.answered[0]!.dialog.byes).toBe(1);
  expect(agentLeg.byes).toBe(1);
  expect(world.records[0]).toMatchObject({ outcome: 'answered', hangupSide: 'system', hangupCause: 'the agent\'s phone no longer holds the call (in-dialog OPTIONS: 481)' });
}
