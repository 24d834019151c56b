import { openAbandonedCalls, type AbandonedCall, type CallbackAttempt } from '../../../src/calls/abandoned-calls';

const at = (minute: number): Date => new Date(Date.UTC(2026, 11, 7, 9, minute));
const call = (callId: string, minute: number, over: Partial<AbandonedCall> = {}): AbandonedCall => ({
  callId, queue: 'operators', callerNumber: '+74951000001', clientId: null, clientName: null, abandonedAt: at(minute), waitMs: 30_000, ...over,
});
const attempt = (callId: string, minute: number, result: CallbackAttempt['result']): CallbackAttempt => ({ callId, result, at: at(minute), staffId: 5 });

describe('the abandoned-calls list', () => {
  it('lists an abandoned call with a number; a withheld number cannot be called back and is left out', () => {
    const entries = openAbandonedCalls([call('a', 1), call('b', 2, { callerNumber: null })], [], []);
    expect(entries).toMatchObject([{ callId: 'a', callerNumber: '+74951000001', times: 1, attempts: [] }]);
  });

  it('several abandons of one number in one queue are one entry: the newest call, counted, since the first', () => {
    const entries = openAbandonedCalls([call('a', 1), call('b', 5), call('c', 3, { queue: 'regional' })], [], []);
    expect(entries).toMatchObject([
      { callId: 'b', queue: 'operators', times: 2, firstAbandonedAt: at(1), abandonedAt: at(5) },
      { callId: 'c', queue: 'regional', times: 1 },
    ]);
  });

  it('a call-back that reached the caller closes the entry; no answer and later keep it, with the attempts shown', () => {
    expect(openAbandonedCalls([call('a', 1)], [attempt('a', 10, 'reached')], [])).toEqual([]);
    const kept = openAbandonedCalls([call('a', 1)], [attempt('a', 10, 'no_answer'), attempt('a', 20, 'later')], []);
    expect(kept).toMatchObject([{ callId: 'a', attempts: [{ result: 'no_answer' }, { result: 'later' }] }]);
  });

  it('a later answered call with the number (the caller got through, or was called) closes it; an earlier one does not', () => {
    expect(openAbandonedCalls([call('a', 5)], [], [{ number: '+74951000001', at: at(7) }])).toEqual([]);
    expect(openAbandonedCalls([call('a', 5)], [], [{ number: '+74951000001', at: at(2) }])).toHaveLength(1);
    expect(openAbandonedCalls([call('a', 5)], [], [{ number: '+74951000002', at: at(7) }])).toHaveLength(1);
  });

  it('abandoning again after being reached opens a new entry with only the new call', () => {
    const entries = openAbandonedCalls([call('a', 1), call('b', 30)], [attempt('a', 10, 'reached')], []);
    expect(entries).toMatchObject([{ callId: 'b', times: 1, firstAbandonedAt: at(30), attempts: [] }]);
  });

  it('given up after three unanswered call-backs', () => {
    const tries = [attempt('a', 10, 'no_answer'), attempt('a', 20, 'no_answer')];
    expect(openAbandonedCalls([call('a', 1)], tries, [])).toHaveLength(1);
    expect(openAbandonedCalls([call('a', 1)], [...tries, attempt('a', 30, 'no_answer')], [])).toEqual([]);
  });

  it('oldest first: who has waited longest for a call-back comes first', () => {
    const entries = openAbandonedCalls([call('late', 20, { callerNumber: '+74951000009' }), call('early', 2)], [], []);
    expect(entries.map((e) => e.callId)).toEqual(['early', 'late']);
  });
});
