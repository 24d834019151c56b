import { AppError } from '../../../src/errors/app-error';
import {
  CALL_LIFECYCLE_TRANSITIONS,
  CALL_STATES,
  assertCallLifecycleTransition,
  canCallLifecycleTransition,
  type CallState,
} from '../../../src/calls/call-state';

// The whole table, written out independently of the source: a change to either must be deliberate.
const ALLOWED: ReadonlyArray<readonly [CallState, CallState]> = [
  ['ringing_in', 'ivr'], ['ringing_in', 'routing'], ['ringing_in', 'ended'],
  ['originating', 'offering'], ['originating', 'connected'], ['originating', 'ended'],
  ['ivr', 'routing'], ['ivr', 'ended'],
  ['routing', 'routing'], ['routing', 'queued'], ['routing', 'offering'], ['routing', 'ended'],
  ['queued', 'offering'], ['queued', 'routing'], ['queued', 'ended'],
  ['offering', 'connected'], ['offering', 'queued'], ['offering', 'routing'], ['offering', 'offering'], ['offering', 'ended'],
  ['connected', 'on_hold'], ['connected', 'transferring'], ['connected', 'ended'],
  ['on_hold', 'connected'], ['on_hold', 'transferring'], ['on_hold', 'ended'],
  ['transferring', 'connected'], ['transferring', 'queued'], ['transferring', 'offering'], ['transferring', 'routing'], ['transferring', 'ended'],
];

describe('call lifecycle transition table', () => {
  it.each(CALL_STATES.flatMap((from) => CALL_STATES.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const expected = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canCallLifecycleTransition(from, to)).toBe(expected);
    if (expected) {
      expect(() => assertCallLifecycleTransition(from, to, 'test')).not.toThrow();
    } else {
      let thrown: unknown;
      try {
        assertCallLifecycleTransition(from, to, 'test');
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('ILLEGAL_TRANSITION');
      expect((thrown as AppError).message).toContain(`from ${from} to ${to}`);
    }
  });

  it('every state but ended can end, and ended is final', () => {
    for (const state of CALL_STATES) {
      expect(canCallLifecycleTransition(state, 'ended')).toBe(state !== 'ended');
    }
    expect(CALL_LIFECYCLE_TRANSITIONS.ended).toEqual([]);
  });

  it('a queued caller reaches an agent only through an offer', () => {
    expect(canCallLifecycleTransition('queued', 'connected')).toBe(false);
    expect(canCallLifecycleTransition('ivr', 'queued')).toBe(false);
  });
});
