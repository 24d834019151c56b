import { Writable } from 'node:stream';
import pino from 'pino';
import { CallRecorder, newCallId, type CallRecorderOptions } from '../../../src/calls/call-recorder';
import type { CallEvent } from '../../../src/calls/call-event';
import type { CallState } from '../../../src/calls/call-state';
import type { RouteDecision } from '../../../src/routing/route-decision';
import type { Logger } from '../../../src/logger';

/** A clock moved by hand. */
export class StepClock {
  constructor(public current = Date.UTC(2025, 2, 3, 10, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** A pino logger at debug whose lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export const queueDecision: RouteDecision = {
  target: { kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 5 },
  announcement: null,
  reason: 'market client — operators',
  ruleId: 'orders_to_operators',
};

export const afterHoursDecision: RouteDecision = {
  target: { kind: 'after_hours', action: 'callback', promptId: 'closed' },
  announcement: null,
  reason: 'closed: outside business hours',
  ruleId: 'after_hours',
};

export const personDecision: RouteDecision = {
  target: {
    kind: 'person', staffId: 7, name: 'Ivanov', role: 'client_manager', departmentCode: 'wholesale',
    departmentName: 'Wholesale', ringTimeoutSeconds: 20, fallback: [],
  },
  announcement: null,
  reason: 'key client — own manager Ivanov',
  ruleId: 'key_to_manager',
};

export interface Harness {
  clock: StepClock;
  recorder: CallRecorder;
  emitted: Array<{ event: CallEvent; state: CallState }>;
  lines: Array<Record<string, unknown>>;
}

export function newCall(options: Partial<CallRecorderOptions> = {}): Harness {
  const clock = new StepClock();
  const { logger, lines } = capturingLogger();
  const emitted: Array<{ event: CallEvent; state: CallState }> = [];
  const recorder = new CallRecorder({
    id: newCallId(), logger, clock, callerNumber: '84951234567', callerE164: '+74951234567', dialedNumber: '+74950000000',
    trunk: 'main', sipCallId: 'abc@trunk', onEvent: (event, state) => emitted.push({ event, state }), ...options,
  });
  return { clock, recorder, emitted, lines };
}

/** Caller answered and in the IVR, then routed to the operators queue. */
export function toQueue(h: Harness): void {
  const { recorder, clock } = h;
  recorder.identify({ clientId: 12, clientType: 'market' });
  recorder.answer();
  recorder.enterIvr({ version: 3, name: 'main' });
  recorder.ivrStep('greeting');
  clock.advance(4000);
  recorder.ivrStep('menu', '1');
  clock.advance(2000);
  recorder.route(queueDecision, 9);
  recorder.enqueue({ name: 'operators', id: 1, priority: 5 });
}
