import { digitFromEventCode, eventCodeOfDigit, parseDigitChar } from '../../../src/media/dtmf-event';
import { parseRtpengineDtmfLog } from '../../../src/media/dtmf-log-parser';
import { parseSipInfoDtmf } from '../../../src/media/sip-info-dtmf';
import { DtmfDeduplicator, pressedAt } from '../../../src/media/dtmf-deduplicator';
import type { DtmfEvent } from '../../../src/media/dtmf-event';

describe('RFC 4733 event codes', () => {
  it('maps codes 0–15 to 0–9 * # A–D and back, and nothing else', () => {
    expect(Array.from({ length: 16 }, (_, i) => digitFromEventCode(i)).join('')).toBe('0123456789*#ABCD');
    expect(digitFromEventCode(16)).toBeNull(); // flash
    expect(digitFromEventCode(-1)).toBeNull();
    expect(digitFromEventCode(1.5)).toBeNull();
    expect(eventCodeOfDigit('#')).toBe(11);
    expect(parseDigitChar('b')).toBe('B');
    expect(parseDigitChar('x')).toBeNull();
  });
});

describe('parseRtpengineDtmfLog', () => {
  const real = '{"callid":"call-x1","source_tag":"caller","tags":["ivr","caller"],"type":"DTMF","timestamp":1795443407,"source_ip":"127.0.0.1","event":5,"duration":60,"volume":10}';

  it('reads a datagram as rtpengine 10.5 sends it', () => {
    expect(parseRtpengineDtmfLog(Buffer.from(real))).toEqual({ callId: 'call-x1', sourceTag: 'caller', digit: '5', durationMs: 60 });
    expect(parseRtpengineDtmfLog(real.replace('"event":5', '"event":11'))).toMatchObject({ digit: '#' });
  });

  it.each([
    ['not JSON', '{"callid":"a"b"}', /not JSON/],
    ['an array', '[1]', /not a JSON object/],
    ['another type', real.replace('"DTMF"', '"other"'), /not "DTMF"/],
    ['no call id', real.replace('"callid":"call-x1",', ''), /no callid/],
    ['no source tag', real.replace('"source_tag":"caller",', ''), /no source_tag/],
    ['a non-digit event', real.replace('"event":5', '"event":16'), /not a DTMF digit/],
  ])('rejects %s', (_name, text, reason) => {
    const result = parseRtpengineDtmfLog(text);
    expect('error' in result && result.error).toMatch(reason);
  });
});

describe('parseSipInfoDtmf', () => {
  it.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', { digit: '5', durationMs: 160 }],
    ['Application/DTMF-Relay; charset=utf-8', 'signal= *\nduration=100', { digit: '*', durationMs: 100 }],
    ['application/dtmf-relay', 'Signal=11\r\n', { digit: '#' }],
    ['application/dtmf-relay', 'Signal=d\r\nDuration=abc', { digit: 'D' }],
    ['application/dtmf', '7', { digit: '7' }],
    ['application/dtmf', ' 10\r\n', { digit: '*' }],
  ])('%s %j', (type, body, expected) => {
    expect(parseSipInfoDtmf(type, body)).toEqual(expected);
  });

  it.each([
    ['text/plain', 'Signal=5', 'unsupported-type'],
    ['', 'Signal=5', 'unsupported-type'],
    ['application/dtmf-relay', 'Duration=100', 'malformed'],
    ['application/dtmf-relay', 'Signal=55', 'malformed'],
    ['application/dtmf-relay', 'Signal=E', 'malformed'],
    ['application/dtmf', '12345', 'malformed'],
    ['application/dtmf', '', 'malformed'],
  ])('refuses %s %j as %s', (type, body, error) => {
    expect(parseSipInfoDtmf(type, body)).toMatchObject({ error });
  });
});

describe('DtmfDeduplicator (injected clock)', () => {
  let now = 1_000_000;
  const clock = (): number => now;
  const event = (digit: DtmfEvent['digit'], source: DtmfEvent['source'], at: number, durationMs?: number, callId = 'c1'): DtmfEvent => ({
    callId, digit, sourceTag: 'caller', at, source, ...(durationMs !== undefined ? { durationMs } : {}),
  });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('dates an RTP report back to the press, an INFO at its arrival', () => {
    expect(pressedAt(event('1', 'rfc4733', 1000, 250))).toBe(750);
    expect(pressedAt(event('1', 'sip-info', 1000, 250))).toBe(1000);
  });

  it('folds the same press arriving by INFO at key-down and by RTP at key-up', () => {
    const dedupe = new DtmfDeduplicator({ now: clock });
    expect(dedupe.accept(event('5', 'sip-info', now))).toBe(true);
    // The key was held 400 ms: the RTP report comes 410 ms later, yet it is the same press.
    expect(dedupe.accept(event('5', 'rfc4733', now + 410, 400))).toBe(false);
  });

  it('folds a repeated datagram', () => {
    const dedupe = new DtmfDeduplicator({ now: clock });
    expect(dedupe.accept(event('5', 'rfc4733', now, 100))).toBe(true);
    expect(dedupe.accept(event('5', 'rfc4733', now + 30, 100))).toBe(false);
  });

  it('keeps two deliberate presses of one key, other digits, and other calls', () => {
    const dedupe = new DtmfDeduplicator({ now: clock });
    expect(dedupe.accept(event('5', 'rfc4733', now + 100, 100))).toBe(true);
    expect(dedupe.accept(event('5', 'rfc4733', now + 350, 100))).toBe(true); // pressed 250 ms after the first
    expect(dedupe.accept(event('6', 'rfc4733', now + 360, 100))).toBe(true);
    expect(dedupe.accept(event('5', 'rfc4733', now + 350, 100, 'c2'))).toBe(true);
  });

  it('honours a configured window', () => {
    const dedupe = new DtmfDeduplicator({ now: clock, windowMs: 50 });
    expect(dedupe.accept(event('1', 'sip-info', now))).toBe(true);
    expect(dedupe.accept(event('1', 'sip-info', now + 60))).toBe(true);
    expect(dedupe.accept(event('1', 'sip-info', now + 100))).toBe(false);
  });

  it('forgets a call on request, and every press once it can no longer be repeated', () => {
    const dedupe = new DtmfDeduplicator({ now: clock });
    dedupe.accept(event('1', 'sip-info', now, undefined, 'a'));
    dedupe.accept(event('1', 'sip-info', now, undefined, 'b'));
    expect(dedupe.trackedCalls).toBe(2);
    dedupe.forget('a');
    expect(dedupe.trackedCalls).toBe(1);
    expect(dedupe.accept(event('1', 'sip-info', now, undefined, 'a'))).toBe(true);
    now += 60_000;
    expect(dedupe.trackedCalls).toBe(0);
  });
});
