import { AppError } from '../../../src/errors/app-error';
import { summarizeTimeline } from '../../../src/calls/call-timeline';
import type { CallEvent } from '../../../src/calls/call-event';
import type { CallRecord } from '../../../src/calls/call-record';
import { CallRecorder, newCallId } from '../../../src/calls/call-recorder';
import { afterHoursDecision, capturingLogger, newCall, personDecision, queueDecision, toQueue, type Harness } from './call-harness';

function expectIllegal(action: () => unknown, text: RegExp): void {
  let thrown: unknown;
  try {
    action();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe('ILLEGAL_TRANSITION');
  expect((thrown as AppError).message).toMatch(text);
}

function expectWellFormedTimeline(record: CallRecord): void {
  expect(record.events.map((e) => e.seq)).toEqual(record.events.map((_, i) => i + 1));
  for (let i = 1; i < record.events.length; i += 1) {
    expect((record.events[i] as CallEvent).at).toBeGreaterThanOrEqual((record.events[i - 1] as CallEvent).at);
  }
  expect(record.events[0]?.type).toBe('started');
  expect(record.events[record.events.length - 1]?.type).toBe('ended');
  expect(record.events[record.events.length - 1]?.at).toBe(record.endedAt);
}

/** Caller in the queue, offered to agent 5 after 30 s, who answers after 5 s of ringing. */
function toAgent(h: Harness, agentId = 5): void {
  toQueue(h);
  h.clock.advance(30_000);
  h.recorder.offer({ agentId, ringTimeoutMs: 20_000 });
  h.clock.advance(5_000);
  h.recorder.agentAnswered({ agentId });
}

describe('call outcomes, one per path', () => {
  it('answered: stage timestamps, talk minus hold, queue wait to the answer', () => {
    const h = newCall();
    const t0 = h.clock.now();
    toAgent(h);
    h.clock.advance(60_000);
    h.recorder.hold();
    h.clock.advance(10_000);
    h.recorder.resume();
    h.clock.advance(20_000);
    const r = h.recorder.end({ side: 'agent', cause: 'BYE' });

    expect(r.outcome).toBe('answered');
    expect(r.talkMs).toBe(80_000);
    expect(r.holdMs).toBe(10_000);
    expect(r.queueWaitMs).toBe(35_000);
    expect(r.startedAt).toBe(t0);
    expect(r.answeredAt).toBe(t0);
    expect(r.ivrStartedAt).toBe(t0);
    expect(r.ivrEndedAt).toBe(t0 + 6_000);
    expect(r.queuedAt).toBe(t0 + 6_000);
    expect(r.offeredAt).toBe(t0 + 36_000);
    expect(r.agentAnsweredAt).toBe(t0 + 41_000);
    expect(r.endedAt).toBe(t0 + 131_000);
    expect(r).toMatchObject({
      clientId: 12, clientType: 'market', ivrFlowVersion: 3, routingConfigVersion: 9, queueName: 'operators', queueId: 1,
      agentId: 5, agentIds: [5], hangupSide: 'agent', hangupCause: 'BYE', routingReason: 'market client — operators',
      routingDecision: queueDecision, direction: 'inbound', trunk: 'main', callerE164: '+74951234567',
    });
    expect(r.ivrPath).toEqual([{ nodeId: 'greeting', at: t0 }, { nodeId: 'menu', at: t0 + 4_000, digits: '1' }]);
    expect(r.events.map((e) => e.type)).toEqual([
      'started', 'caller_identified', 'answered', 'ivr_started', 'ivr_step', 'ivr_step', 'routed', 'queued', 'offered',
      'agent_answered', 'hold', 'resume', 'ended',
    ]);
    expect(r.events.find((e) => e.type === 'hold')?.data).toEqual({ from: 'connected', to: 'on_hold' });
    expectWellFormedTimeline(r);
  });

  it('abandoned in the IVR', () => {
    const h = newCall();
    h.recorder.answer();
    h.recorder.enterIvr({ version: 3 });
    h.clock.advance(7_000);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('abandoned_ivr');
    expect(r.ivrEndedAt).toBe(r.endedAt);
    expect(r.talkMs).toBeNull();
    expect(r.queueWaitMs).toBeNull();
    expect(r.agentIds).toEqual([]);
    expectWellFormedTimeline(r);
  });

  it('abandoned in the queue, with the wait up to the hang-up', () => {
    const h = newCall();
    toQueue(h);
    h.clock.advance(42_000);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('abandoned_queue');
    expect(r.queueWaitMs).toBe(42_000);
    expect(r.offeredAt).toBeNull();
  });

  it('abandoned while the agent was ringing', () => {
    const h = newCall();
    toQueue(h);
    h.recorder.offer({ agentId: 5 });
    h.clock.advance(4_000);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('abandoned_ringing');
    expect(r.offeredAt).not.toBeNull();
    expect(r.agentAnsweredAt).toBeNull();
    expect(r.talkMs).toBeNull();
  });

  it('abandoned before it was even answered (CANCEL)', () => {
    const h = newCall();
    h.clock.advance(1_500);
    const r = h.recorder.end({ side: 'caller', cause: 'CANCEL' });
    expect(r.outcome).toBe('abandoned_ringing');
    expect(r.answeredAt).toBeNull();
  });

  it('overflowed out of its queue to a target that ends the call', () => {
    const h = newCall();
    toQueue(h);
    h.clock.advance(300_000);
    h.recorder.overflow('max wait reached', 'voicemail');
    const r = h.recorder.end({ side: 'system', cause: 'overflow to voicemail' });
    expect(r.outcome).toBe('overflowed');
    expect(r.events.find((e) => e.type === 'overflowed')?.data).toMatchObject({ from: 'queued', to: 'routing', queue: 'operators', target: 'voicemail' });
  });

  it('overflowed to another queue and answered there counts as answered', () => {
    const h = newCall();
    toQueue(h);
    h.clock.advance(300_000);
    h.recorder.overflow('max wait reached', 'queue overflow');
    h.recorder.enqueue({ name: 'overflow' });
    h.recorder.offer({ agentId: 8 });
    h.recorder.agentAnswered({ agentId: 8 });
    h.clock.advance(1_000);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('answered');
    expect(r.queueName).toBe('overflow');
    expect(r.queueWaitMs).toBe(300_000);
  });

  it('blind transfer to a queue: transferred, both agents, transfer completed, the wait counts as hold', () => {
    const h = newCall();
    toAgent(h);
    h.clock.advance(30_000);
    h.recorder.startTransfer({ kind: 'blind', target: { kind: 'finance', queue: 'finance', label: 'finance service' }, byAgentId: 5 });
    h.clock.advance(1_000);
    h.recorder.enqueue({ name: 'finance' });
    h.clock.advance(20_000);
    h.recorder.offer({ agentId: 9 });
    h.clock.advance(3_000);
    h.recorder.agentAnswered({ agentId: 9 });
    h.clock.advance(40_000);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('transferred');
    expect(r.agentId).toBe(5);
    expect(r.agentIds).toEqual([5, 9]);
    expect(r.talkMs).toBe(70_000);
    expect(r.holdMs).toBe(1_000);
    expect(r.transfers).toEqual([{
      kind: 'blind', target: { kind: 'finance', queue: 'finance', label: 'finance service' }, byAgentId: 5,
      startedAt: r.agentAnsweredAt! + 30_000, endedAt: r.agentAnsweredAt! + 31_000, result: 'completed',
    }]);
  });

  it('warm transfer: caller held, consult, the consulted agent takes over', () => {
    const h = newCall();
    toAgent(h);
    h.clock.advance(10_000);
    h.recorder.hold();
    h.clock.advance(2_000);
    h.recorder.startTransfer({ kind: 'warm', target: { kind: 'person', staffId: 9 }, byAgentId: 5 });
    h.clock.advance(15_000);
    h.recorder.agentAnswered({ agentId: 9 });
    h.clock.advance(5_000);
    const r = h.recorder.end({ side: 'agent', cause: 'BYE' });
    expect(r.outcome).toBe('transferred');
    expect(r.holdMs).toBe(17_000);
    expect(r.talkMs).toBe(15_000);
    expect(r.transfers[0]?.result).toBe('completed');
  });

  it('cancelled transfer: still just answered', () => {
    const h = newCall();
    toAgent(h);
    h.recorder.startTransfer({ kind: 'warm', target: { kind: 'person', staffId: 9 } });
    h.clock.advance(8_000);
    h.recorder.cancelTransfer('consult declined');
    const r = h.recorder.end({ side: 'agent', cause: 'BYE' });
    expect(r.outcome).toBe('answered');
    expect(r.transfers[0]?.result).toBe('cancelled');
    expect(r.holdMs).toBe(8_000);
  });

  it('a transfer out of the system ends the call as transferred', () => {
    const h = newCall();
    toAgent(h);
    h.recorder.startTransfer({ kind: 'blind', target: { kind: 'external', number: '+74957777777' } });
    const r = h.recorder.end({ side: 'system', cause: 'REFER completed', transferCompleted: true });
    expect(r.outcome).toBe('transferred');
    expect(r.transfers[0]?.result).toBe('completed');
  });

  it('hang-up during a transfer marks the transfer failed but the call answered', () => {
    const h = newCall();
    toAgent(h);
    h.recorder.startTransfer({ kind: 'blind', target: { kind: 'queue', queue: 'quality' } });
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('answered');
    expect(r.transfers[0]?.result).toBe('failed');
  });

  it('failed: the system ended a call it had answered', () => {
    const h = newCall();
    toQueue(h);
    const r = h.recorder.end({ side: 'system', cause: 'media failure' });
    expect(r.outcome).toBe('failed');
  });

  it('rejected: the system refused it before answering', () => {
    const h = newCall();
    const r = h.recorder.end({ side: 'system', cause: '403 trunk not allowed' });
    expect(r.outcome).toBe('rejected');
  });

  it('after hours: the routing sent the caller to the after-hours message', () => {
    const h = newCall();
    h.recorder.answer();
    h.recorder.enterIvr({ version: 3 });
    h.recorder.route(afterHoursDecision, 9);
    h.clock.advance(8_000);
    const r = h.recorder.end({ side: 'system', cause: 'after-hours message played' });
    expect(r.outcome).toBe('after_hours');
    expect(r.routingReason).toBe('closed: outside business hours');
  });

  it('callback requested in the queue: not an abandon', () => {
    const h = newCall();
    toQueue(h);
    h.clock.advance(60_000);
    h.recorder.requestCallback();
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('callback_requested');
    expect(r.events.find((e) => e.type === 'callback_requested')?.data).toEqual({ number: '+74951234567', queue: 'operators' });
  });

  it('an explicit outcome wins over the derivation', () => {
    const h = newCall();
    toQueue(h);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE', outcome: 'failed' });
    expect(r.outcome).toBe('failed');
  });

  it('person target: no answer moves along the chain, then the queue answers', () => {
    const h = newCall();
    h.recorder.answer();
    h.recorder.enterIvr({ version: 3 });
    h.recorder.route(personDecision, 9);
    h.recorder.offer({ agentId: 7, ringTimeoutMs: 20_000 });
    const firstOffer = h.clock.now();
    h.clock.advance(20_000);
    h.recorder.offerMissed({ agentId: 7, reason: 'no answer', requeued: false });
    h.recorder.fallback('manager absent', 'queue operators');
    h.recorder.enqueue({ name: 'operators' });
    h.clock.advance(10_000);
    h.recorder.offer({ agentId: 5 });
    h.recorder.agentAnswered({ agentId: 5 });
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('answered');
    expect(r.offeredAt).toBe(firstOffer);
    expect(r.agentIds).toEqual([5]);
    expect(r.queueWaitMs).toBe(10_000);
  });

  it('ring-no-answer requeues and the next agent answers', () => {
    const h = newCall();
    toQueue(h);
    h.recorder.offer({ agentId: 5 });
    h.clock.advance(20_000);
    h.recorder.offerMissed({ agentId: 5, reason: 'no answer', requeued: true });
    expect(h.recorder.state).toBe('queued');
    h.recorder.offer({ agentId: 6 });
    h.recorder.agentAnswered({ agentId: 6 });
    const r = h.recorder.end({ side: 'agent', cause: 'BYE' });
    expect(r.agentIds).toEqual([6]);
    expect(r.events.filter((e) => e.type === 'offered').map((e) => e.data.agentId)).toEqual([5, 6]);
  });

  it('a callback call starts originating and is answered by the far end', () => {
    const h = newCall({ direction: 'callback' });
    expect(h.recorder.state).toBe('originating');
    h.recorder.offer({ agentId: 5 });
    h.clock.advance(3_000);
    h.recorder.remoteAnswered({ agentId: 5 });
    h.clock.advance(30_000);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    expect(r.outcome).toBe('answered');
    expect(r.answeredAt).toBe(r.agentAnsweredAt);
    expect(r.talkMs).toBe(30_000);
  });
});

describe('the recorder state machine refuses illegal moves', () => {
  it.each([
    ['hold while queued', (h: Harness) => { toQueue(h); h.recorder.hold(); }, /from queued to on_hold/],
    ['resume while connected', (h: Harness) => { toQueue(h); h.recorder.offer({ agentId: 1 }); h.recorder.agentAnswered({ agentId: 1 }); h.recorder.resume(); }, /not on_hold/],
    ['agent answer without an offer', (h: Harness) => { toQueue(h); h.recorder.agentAnswered({ agentId: 1 }); }, /from queued to connected/],
    ['enqueue from the IVR without routing', (h: Harness) => { h.recorder.enterIvr({ version: 1 }); h.recorder.enqueue({ name: 'x' }); }, /from ivr to queued/],
    ['IVR step outside the IVR', (h: Harness) => { h.recorder.ivrStep('menu'); }, /IVR step/],
    ['answer twice', (h: Harness) => { h.recorder.answer(); h.recorder.answer(); }, /already answered/],
    ['transfer while ringing', (h: Harness) => { toQueue(h); h.recorder.offer({ agentId: 1 }); h.recorder.startTransfer({ kind: 'blind', target: { kind: 'queue', queue: 'x' } }); }, /from offering to transferring/],
    ['end twice', (h: Harness) => { h.recorder.end({ side: 'caller', cause: 'BYE' }); h.recorder.end({ side: 'caller', cause: 'BYE' }); }, /from ended to ended.*call has ended/],
    ['anything after the end', (h: Harness) => { h.recorder.end({ side: 'caller', cause: 'BYE' }); h.recorder.note('dtmf', { digit: '1' }); }, /call has ended/],
  ])('%s', (_name, act, message) => {
    const h = newCall();
    expectIllegal(() => act(h), message);
  });

  it('a refused move changes nothing', () => {
    const h = newCall();
    toQueue(h);
    const before = h.recorder.events;
    expectIllegal(() => h.recorder.hold(), /queued/);
    expect(h.recorder.state).toBe('queued');
    expect(h.recorder.events).toEqual(before);
  });

  it('rejects a call id that is not a uuid', () => {
    const { logger } = capturingLogger();
    expect(() => new CallRecorder({ id: 'call-1', logger, callerNumber: '1' })).toThrow(/uuid/);
  });
});

describe('transition() logs and emits', () => {
  it('logs every move with from/to at debug, the end at info with the outcome, and emits every event', () => {
    const h = newCall();
    toQueue(h);
    const r = h.recorder.end({ side: 'caller', cause: 'BYE' });
    const moves = h.lines.filter((l) => l.msg === 'call transition').map((l) => `${String(l.from)}>${String(l.to)}`);
    expect(moves).toEqual(['ringing_in>ivr', 'ivr>routing', 'routing>queued', 'queued>ended']);
    const end = h.lines.find((l) => l.msg === 'call ended');
    expect(end).toMatchObject({ outcome: 'abandoned_queue', side: 'caller', level: 30 });
    expect(h.emitted.map((e) => e.event)).toEqual(r.events);
    expect(h.emitted[h.emitted.length - 1]?.state).toBe('ended');
  });

  it('a listener that throws is logged and the call goes on', () => {
    const h = newCall({ onEvent: () => { throw new Error('socket gone'); } });
    h.recorder.answer();
    expect(h.recorder.events.map((e) => e.type)).toEqual(['started', 'answered']);
    expect(h.lines.some((l) => l.msg === 'call event listener failed')).toBe(true);
  });

  it('the finished record is plain JSON and survives a round trip unchanged', () => {
    const h = newCall();
    toAgent(h);
    h.recorder.recordingStarted(newCallId());
    const r = h.recorder.end({ side: 'agent', cause: 'BYE' });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(h.recorder.record).toBe(r);
  });
});

describe('talk and hold from the timeline', () => {
  const ev = (seq: number, at: number, from: string, to: string): CallEvent => ({ seq, at, type: 'hold', data: { from, to } });

  it('sums several holds and counts talk between them', () => {
    const events = [
      ev(1, 0, 'ringing_in', 'routing'), ev(2, 1_000, 'routing', 'queued'), ev(3, 5_000, 'queued', 'offering'),
      ev(4, 6_000, 'offering', 'connected'), ev(5, 16_000, 'connected', 'on_hold'), ev(6, 19_000, 'on_hold', 'connected'),
      ev(7, 29_000, 'connected', 'on_hold'), ev(8, 31_000, 'on_hold', 'connected'), ev(9, 41_000, 'connected', 'ended'),
    ];
    const s = summarizeTimeline(events, 41_000);
    expect(s.talkMs).toBe(30_000);
    expect(s.holdMs).toBe(5_000);
    expect(s.queueWaitMs).toBe(5_000);
    expect(s.timeInState.offering).toBe(1_000);
  });

  it('a call still on hold at the end counts the hold to the end', () => {
    const events = [ev(1, 0, 'offering', 'connected'), ev(2, 10_000, 'connected', 'on_hold')];
    const s = summarizeTimeline(events, 25_000, 'offering');
    expect(s).toMatchObject({ talkMs: 10_000, holdMs: 15_000, queueWaitMs: null });
  });

  it('never connected: talk is null, hold zero; a clock stepping back never gives negative time', () => {
    expect(summarizeTimeline([ev(1, 0, 'ringing_in', 'ivr')], 5_000)).toMatchObject({ talkMs: null, holdMs: 0 });
    const back = [ev(1, 10_000, 'offering', 'connected'), ev(2, 9_000, 'connected', 'ended')];
    expect(summarizeTimeline(back, 9_000).talkMs).toBe(0);
  });
});
