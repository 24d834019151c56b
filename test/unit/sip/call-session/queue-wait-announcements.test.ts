import type { Acd, AcdEvent, QueuePosition } from '../../../../src/acd';
import type { NewVoicemail } from '../../../../src/calls/voicemail';
import type { CallRecord } from '../../../../src/calls/call-record';
import type { QueueWaitOptions } from '../../../../src/directory/queue-wait-options';
import type { DtmfEvent } from '../../../../src/media/dtmf-event';
import type { DtmfListener } from '../../../../src/media/dtmf-listener';
import { InboundCall } from '../../../../src/sip/inbound-call';
import { fakeCallWorld, fakeRequest, fakeResponse, sdp, type FakeCallWorld, wallClockAt } from '../../../fakes/call-session-fakes';
import { untilPasses } from '../../../helpers/eventually';
import { DIRECTORY, OPEN_TIME } from '../../routing/routing-fixtures';

/**
 * The queue wait's adapter (issue 17) on fakes of rtpengine, drachtio and the
 * ACD: what a waiting caller hears (the queue's music, the announcement's
 * pieces in order, in the IVR's language) and what their keys do (barge-in,
 * the callback that keeps their place). QueueWaitRun's decisions are unit-
 * tested on their own; this proves they reach the media and the ACD.
 */

// Only Date is faked (routing reads business hours) and stands still: a wait that never comes ends at the test's timeout.
jest.setTimeout(15_000);
beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

const OPTIONS: QueueWaitOptions = { announceEverySeconds: 1, musicOnHold: 'default', callbackKey: '1', messageKey: null };

interface Waiting {
  world: FakeCallWorld;
  call: InboundCall;
  done: Promise<void>;
  press(digit: string): void;
  acdCalls: string[];
}

/** A caller in the operators' queue whose settings are `options`; the ACD says they are 3rd with about 2 minutes to wait. */
async function waitingCaller(options: QueueWaitOptions = OPTIONS, acdAnswers: { refuseCallback?: boolean; voicemail?: NewVoicemail[] } = {}): Promise<Waiting> {
  const world = fakeCallWorld(DIRECTORY);
  const messages = acdAnswers.voicemail;
  if (messages) {
    world.services.voicemail = { store: { add: (m) => Promise.resolve(void messages.push(m)) }, maxLengthMs: 60_000, beepFile: '/prompts/beep.wav' };
  }
  let onDigit: ((event: DtmfEvent) => void) | null = null;
  world.services.dtmf = {
    subscribe: (_callId: string, listener: (event: DtmfEvent) => void) => {
      onDigit = listener;
      return () => {
        onDigit = null;
      };
    },
  } as unknown as DtmfListener;
  Object.assign(world.services.lookup, { defaultCountry: 'RU' });
  world.services.queueWaitOptions = (queueId) => Promise.resolve(queueId === 'operators' ? options : null);
  const acdCalls: string[] = [];
  const acd = world.services.acd as Acd & Record<string, unknown>;
  acd.position = (callId: string): Promise<QueuePosition> => {
    acdCalls.push(`position ${callId}`);
    return Promise.resolve({ callId, queueId: 'operators', state: 'waiting', kind: 'call', waitedMs: 5000, position: 3, waitingCount: 5, estimatedWaitMs: 110_000 });
  };
  acd.requestCallback = (callId: string, number: string): Promise<{ position: number | null }> => {
    acdCalls.push(`callback ${callId} ${number}`);
    if (acdAnswers.refuseCallback) return Promise.reject(new Error('call (reserved, call) cannot become a callback request'));
    return Promise.resolve({ position: 3 });
  };
  const entered = world.acd.nextEnqueue();
  const req = fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74951234567@trunk>;tag=caller-tag', 'Call-ID': 'sip-call-1' } });
  const call = new InboundCall(world.services, req, fakeResponse());
  const done = call.run();
  await entered;
  return {
    world, call, done, acdCalls,
    press: (digit) => onDigit?.({ callId: 'sip-call-1', digit: digit as DtmfEvent['digit'], source: 'sip-info', sourceTag: '', at: Date.now() }),
  };
}

/** The files played to the caller, in order ('music:' for music on hold). */
function heard(world: FakeCallWorld): string[] {
  return world.ng.sent.filter((c) => c.name === 'playMedia').map((c) => `${c.params['repeat-times'] !== undefined ? 'music:' : ''}${String(c.params.file)}`);
}

const PIECES = ['queue_position', 'num_3', 'queue_wait_about', 'num_2_f', 'queue_minutes_few', 'queue_press_for_callback', 'num_1'].map((id) => `/prompts/ru/${id}.wav`);

/** Waits until `check` stops throwing (untilPasses, for a synchronous expectation). */
function until(check: () => void): Promise<void> {
  return untilPasses(() => Promise.resolve().then(check));
}

async function hangUpCaller(w: Waiting): Promise<CallRecord> {
  w.world.srf.answered[0]!.dialog.farEndHangsUp();
  await w.done;
  return w.world.records[0]!;
}

describe('waiting in a queue: announcements and keys through the call adapter', () => {
  it('the queue’s music, then after the interval its place and wait in the IVR’s language, piece by piece, then the music again', async () => {
    const w = await waitingCaller();
    expect(heard(w.world)).toEqual(['music:/prompts/moh.wav']);
    await until(() => expect(heard(w.world)).toEqual(['music:/prompts/moh.wav', ...PIECES, 'music:/prompts/moh.wav']));
    expect(w.acdCalls[0]).toBe(`position ${w.call.acdCallId}`);
    const record = await hangUpCaller(w);
    expect(record.events.find((e) => e.type === 'announcement')?.data).toMatchObject({ queue: 'operators', prompts: PIECES.map((f) => /\/([a-z0-9_]+)\.wav$/.exec(f)![1]) });
  });

  it('a queue naming its own music has it played instead of the default', async () => {
    const w = await waitingCaller({ ...OPTIONS, musicOnHold: 'spring_melody', announceEverySeconds: 0, callbackKey: null });
    expect(heard(w.world)).toEqual(['music:/prompts/ru/spring_melody.wav']);
    await hangUpCaller(w);
  });

  it('the callback key stops the announcement (barge-in); 1 confirms the caller’s own number: the ACD keeps their place as a callback, they are told and hung up on', async () => {
    const w = await waitingCaller();
    // The first piece lasts long enough to be pressed over; what follows the key is short.
    w.world.ng.promptMs = 60_000;
    await until(() => expect(heard(w.world)).toContain(PIECES[0]));
    w.world.ng.promptMs = 5;
    w.press('1');
    await until(() => expect(heard(w.world)).toContain('/prompts/ru/callback_number_is.wav'));
    const names = w.world.ng.names();
    expect(names.lastIndexOf('stopMedia')).toBeGreaterThan(names.indexOf('playMedia', 1));
    // Cut short: the rest of the announcement was never played.
    expect(heard(w.world).slice(0, 4)).toEqual(['music:/prompts/moh.wav', PIECES[0], '/prompts/ru/callback_number_is.wav', '/prompts/ru/num_7.wav']);
    w.press('1');
    await w.done;
    expect(w.acdCalls).toContain(`callback ${w.call.acdCallId} +74951234567`);
    expect(heard(w.world).slice(-2)).toEqual(['/prompts/ru/callback_kept_place.wav', '/prompts/ru/goodbye.wav']);
    // The entry is the callback request now: the call's end must not abandon it.
    expect(w.world.acd.log.some((l) => l.startsWith('abandon'))).toBe(false);
    const record = w.world.records[0]!;
    expect(record.outcome).toBe('callback_requested');
    expect(record.events.find((e) => e.type === 'callback_requested')?.data).toMatchObject({ number: '+74951234567', queue: 'operators' });
    expect(w.world.srf.answered[0]!.dialog.byes).toBe(1);
  });

  it('another number typed and ended with # is the one the callback goes to (read as E.164 in the default country)', async () => {
    const w = await waitingCaller({ ...OPTIONS, announceEverySeconds: 0 });
    w.press('1');
    for (const d of '84991112233#') w.press(d);
    await w.done;
    expect(w.acdCalls).toContain(`callback ${w.call.acdCallId} +74991112233`);
  });

  it('the ACD refusing the callback (an agent is being rung) leaves the caller waiting, told so, and their entry untouched', async () => {
    const w = await waitingCaller({ ...OPTIONS, announceEverySeconds: 0 }, { refuseCallback: true });
    w.press('1');
    w.press('1');
    await until(() => expect(heard(w.world)).toContain('/prompts/ru/callback_failed.wav'));
    const record = await hangUpCaller(w);
    expect(record.outcome).not.toBe('callback_requested');
    expect(w.world.acd.log).toContain(`abandon ${w.call.acdCallId}`);
  });

  it('keys mean nothing in a queue that offers no options, and the wait ends with the call (no timer left)', async () => {
    const w = await waitingCaller({ ...OPTIONS, callbackKey: null, announceEverySeconds: 0 });
    w.press('1');
    const record = await hangUpCaller(w);
    expect(w.acdCalls).toEqual([]);
    expect(heard(w.world)).toEqual(['music:/prompts/moh.wav']);
    expect(record.events.filter((e) => e.type === 'dtmf')).toHaveLength(1);
  });

  it('where messages are recorded, the message key is said; pressing it takes the caller out of the line into the voicemail for the queue', async () => {
    const stored: NewVoicemail[] = [];
    const w = await waitingCaller({ ...OPTIONS, messageKey: '2' }, { voicemail: stored });
    await until(() => expect(heard(w.world)).toContain('/prompts/ru/queue_press_for_message.wav'));
    w.press('2');
    await until(() => expect(heard(w.world)).toContain('/prompts/beep.wav'));
    expect(w.world.acd.log).toContain(`abandon ${w.call.acdCallId}`);
    // The caller speaks for 2 s (only Date is faked here: the message's length is read from it).
    jest.setSystemTime(Date.now() + 2000);
    w.press('#');
    await w.done;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ owner: { kind: 'queue', queue: 'operators' }, callerNumber: '+74951234567', endedBy: 'hash' });
    expect(heard(w.world)).toContain('/prompts/ru/voicemail_greeting.wav');
  });

  it('without a message store the message key is not said, and pressing it does nothing', async () => {
    const w = await waitingCaller({ ...OPTIONS, messageKey: '2' });
    await until(() => expect(heard(w.world)).toContain('/prompts/ru/num_1.wav'));
    expect(heard(w.world)).not.toContain('/prompts/ru/queue_press_for_message.wav');
    w.press('2');
    const record = await hangUpCaller(w);
    expect(record.outcome).toBe('abandoned_queue');
  });

  it('the queue overflowing to voicemail sends the waiting caller into the message phase instead of goodbye', async () => {
    const stored: NewVoicemail[] = [];
    const w = await waitingCaller({ ...OPTIONS, announceEverySeconds: 0, callbackKey: null }, { voicemail: stored });
    const overflow: AcdEvent = { type: 'call_overflowed', ts: Date.now(), node: 'test', callId: w.call.acdCallId, queueId: 'operators', reason: 'max_wait', target: 'voicemail' };
    w.call.onAcdEvent(overflow);
    await until(() => expect(heard(w.world)).toContain('/prompts/beep.wav'));
    // The caller speaks for 2 s (only Date is faked here: the message's length is read from it).
    jest.setSystemTime(Date.now() + 2000);
    w.press('#');
    await w.done;
    expect(stored).toHaveLength(1);
    expect(w.world.records[0]!.events.some((e) => e.type === 'overflowed')).toBe(true);
  });
});
