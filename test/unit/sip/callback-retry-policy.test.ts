import {
  callbackRequestIdOf, checkCallbackRetrySettings, decideCallbackRetry, deferCallback, nextCallbackEntryId, type CallbackTry,
} from '../../../src/sip/callback-retry-policy';

const settings = { maxAttempts: 3, retryDelayMs: 600_000 };
const now = Date.UTC(2026, 11, 6, 12, 0);
const first: CallbackTry = { callId: 'call-7', attempt: 1, priority: 8, ticketMs: 1_700_000_000_123 };

describe('callback retry policy', () => {
  it('a client who does not answer is tried again after the delay, at the same place and priority', () => {
    expect(decideCallbackRetry(first, { outcome: 'no_answer', reason: 'no answer in 45 s' }, now, settings)).toEqual({
      kind: 'retry', callId: 'call-7.cb2', attempt: 2, priority: 8, ticketMs: 1_700_000_000_123, dueAt: now + 600_000,
    });
  });

  it('a busy client is tried again too; the entries are numbered per request', () => {
    const second = { ...first, callId: 'call-7.cb2', attempt: 2 };
    const decision = decideCallbackRetry(second, { outcome: 'busy', reason: '486 Busy Here' }, now, settings);
    expect(decision).toMatchObject({ kind: 'retry', callId: 'call-7.cb3', attempt: 3 });
  });

  it('gives up after the last try, saying how many tries were made', () => {
    const last = { ...first, callId: 'call-7.cb3', attempt: 3 };
    expect(decideCallbackRetry(last, { outcome: 'no_answer', reason: 'no answer in 45 s' }, now, settings)).toEqual({
      kind: 'give_up', attempts: 3, result: 'given up: no answer after 3 tries', notes: 'last try: no answer in 45 s',
    });
  });

  it('does not try again a number that does not exist', () => {
    expect(decideCallbackRetry(first, { outcome: 'unavailable', reason: '404 Not Found' }, now, settings)).toMatchObject({
      kind: 'give_up', attempts: 1, result: 'given up: the number cannot be reached',
    });
  });

  it('with one try allowed, the first no-answer gives up', () => {
    expect(decideCallbackRetry(first, { outcome: null, reason: 'timeout' }, now, { maxAttempts: 1, retryDelayMs: 0 })).toMatchObject({
      kind: 'give_up', result: 'given up: no answer after 1 try',
    });
  });

  it('a callback held back for its calling window keeps its try count and its place, marked held back (pending, not a new request)', () => {
    expect(deferCallback({ ...first, callId: 'call-7.cb2', attempt: 2 }, now + 3_600_000)).toEqual({
      callId: 'call-7.cb3', attempt: 2, priority: 8, ticketMs: 1_700_000_000_123, dueAt: now + 3_600_000, heldBack: true,
    });
  });

  it('entry ids lead back to the request', () => {
    expect(nextCallbackEntryId('abc')).toBe('abc.cb2');
    expect(nextCallbackEntryId('abc.cb9')).toBe('abc.cb10');
    expect(callbackRequestIdOf('abc.cb10')).toBe('abc');
  });

  it('refuses settings that cannot work', () => {
    expect(() => checkCallbackRetrySettings({ maxAttempts: 0, retryDelayMs: 0 })).toThrow(/maxAttempts/);
    expect(() => checkCallbackRetrySettings({ maxAttempts: 2, retryDelayMs: -1 })).toThrow(/retryDelayMs/);
  });
});
