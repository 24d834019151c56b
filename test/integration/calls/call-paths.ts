import { Writable } from 'node:stream';
import pino from 'pino';
import { CallRecorder, newCallId } from '../../../src/calls/call-recorder';
import type { CallRecord } from '../../../src/calls/call-record';
import type { Logger } from '../../../src/logger';
import type { RouteDecision } from '../../../src/routing/route-decision';

export const PATHS = [
  'answered', 'abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'overflowed', 'transferred', 'failed', 'after_hours', 'callback_requested',
] as const;
export type CallPath = (typeof PATHS)[number];

/** Ids of real rows the records point at (or made-up ones, to see them nulled). */
export interface Refs {
  clientId: number | null;
  queueId: number | null;
  agentA: number;
  agentB: number;
}

const queueDecision: RouteDecision = {
  target: { kind: 'queue', queue: 'operators', requiredSkills: { orders: 1 }, priority: 5 },
  announcement: null, reason: 'market client — operators', ruleId: 'orders',
};
const afterHours: RouteDecision = {
  target: { kind: 'after_hours', action: 'message', promptId: 'closed' }, announcement: null, reason: 'closed', ruleId: 'after_hours',
};

/** A silent logger, or one whose lines are kept. */
export function testLogger(keep?: Array<Record<string, unknown>>): Logger {
  if (!keep) return pino({ level: 'silent' });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') keep.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

/**
 * A finished call that took `path`, built through the real recorder with a
 * clock that moves a few seconds per step (so the timeline has distinct times).
 */
export function buildCall(path: CallPath, refs: Refs, options: { recordingId?: string; start?: number } = {}): CallRecord {
  let now = options.start ?? Date.UTC(2025, 2, 3, 9, 0, 0);
  const clock = { now: () => now };
  const step = (ms = 2_000): void => {
    now += ms;
  };
  const r = new CallRecorder({ id: newCallId(), logger: testLogger(), clock, callerNumber: '84951234567', callerE164: '+74951234567', dialedNumber: '+74950000000', trunk: 'main', sipCallId: `${now}@trunk` });
  r.identify({ clientId: refs.clientId, clientType: 'market' });
  r.answer();
  r.enterIvr({ version: 1, name: 'main' });
  r.ivrStep('greeting');
  step();
  if (path === 'abandoned_ivr') return r.end({ side: 'caller', cause: 'BYE' });
  r.ivrStep('menu', '1');
  step();
  if (path === 'after_hours') {
    r.route(afterHours, 4);
    step(5_000);
    return r.end({ side: 'system', cause: 'after-hours message played' });
  }
  r.route(queueDecision, 4);
  r.enqueue({ name: 'operators', id: refs.queueId });
  step(10_000);
  if (path === 'abandoned_queue') return r.end({ side: 'caller', cause: 'BYE' });
  if (path === 'callback_requested') {
    r.requestCallback();
    return r.end({ side: 'caller', cause: 'BYE' });
  }
  if (path === 'overflowed') {
    r.overflow('max wait', 'voicemail');
    return r.end({ side: 'system', cause: 'voicemail' });
  }
  if (path === 'failed') return r.end({ side: 'system', cause: 'media failure' });
  r.offer({ agentId: refs.agentA });
  step(3_000);
  if (path === 'abandoned_ringing') return r.end({ side: 'caller', cause: 'BYE' });
  r.agentAnswered({ agentId: refs.agentA });
  if (options.recordingId) r.recordingStarted(options.recordingId);
  step(30_000);
  r.hold();
  step(5_000);
  r.resume();
  step(10_000);
  if (path === 'transferred') {
    r.startTransfer({ kind: 'blind', target: { kind: 'finance', queue: 'finance' }, byAgentId: refs.agentA });
    step(1_000);
    r.enqueue({ name: 'finance' });
    step(4_000);
    r.offer({ agentId: refs.agentB });
    r.agentAnswered({ agentId: refs.agentB });
    step(20_000);
  }
  return r.end({ side: 'caller', cause: 'BYE' });
}

export { newCallId };

