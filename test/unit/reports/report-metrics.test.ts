import {
  EMPTY_QUEUE_AGGREGATE, averageHandleTimeMs, averageSpeedOfAnswerMs, queueReportRow, serviceLevelOfAnsweredAndAbandonedAfterSl,
  serviceLevelOfOffered, type QueueAggregate,
} from '../../../src/reports/queue-metrics';
import { EMPTY_AGENT_AGGREGATE, agentAverageHandleTimeMs, occupancy } from '../../../src/reports/agent-metrics';
import { reportPeriod } from '../../../src/reports/report-period';
import { csvField, toCsv } from '../../../src/reports/csv-export';
import { decodeCallLogCursor, encodeCallLogCursor } from '../../../src/reports/call-log-cursor';

const queue = (over: Partial<QueueAggregate>): QueueAggregate => ({ ...EMPTY_QUEUE_AGGREGATE, ...over });

describe('queue metrics (pure definitions over aggregated counters)', () => {
  // 100 offered: 80 answered (72 within T), 12 abandoned (4 of them after T), 5 overflowed, 3 callbacks.
  const hour = queue({ offered: 100, answered: 80, answeredWithinSl: 72, abandoned: 12, abandonedAfterSl: 4, overflowed: 5, callbacksRequested: 3, answerWaitMs: 800_000, talkMs: 8_000_000, holdMs: 400_000, wrapUpMs: 1_200_000 });

  it.each([
    ['service level A = answered within T ÷ offered', serviceLevelOfOffered(hour), 0.72],
    ['service level B = answered within T ÷ (answered + abandoned after T)', serviceLevelOfAnsweredAndAbandonedAfterSl(hour), 72 / 84],
    ['ASA = queue wait of answered ÷ answered', averageSpeedOfAnswerMs(hour), 10_000],
    ['AHT = (talk + hold + wrap-up) ÷ answered', averageHandleTimeMs(hour), 120_000],
  ])('%s', (_rule, value, expected) => {
    expect(value).toBeCloseTo(expected, 12);
  });

  it('says "nothing to divide by" as null, never 0 or NaN', () => {
    const quiet = queue({});
    expect([serviceLevelOfOffered(quiet), serviceLevelOfAnsweredAndAbandonedAfterSl(quiet), averageSpeedOfAnswerMs(quiet), averageHandleTimeMs(quiet)]).toEqual([null, null, null, null]);
    // Only early abandons: definition B has nothing to judge, definition A counts them against.
    const early = queue({ offered: 3, abandoned: 3 });
    expect(serviceLevelOfOffered(early)).toBe(0);
    expect(serviceLevelOfAnsweredAndAbandonedAfterSl(early)).toBeNull();
  });

  it('a row carries the counters and the derived figures under the contract names', () => {
    const row = queueReportRow({ queue: 'operators', bucketStart: '2025-03-03T09:00:00.000Z', bucketLocal: '2025-03-03T12:00' }, hour);
    expect(row).toMatchObject({ queue: 'operators', offered: 100, serviceLevelOfOffered: 0.72, asaMs: 10_000, ahtMs: 120_000, overflowed: 5, callbacksRequested: 3 });
  });
});

describe('agent metrics', () => {
  it('occupancy = busy ÷ (busy + ready); null for an agent neither busy nor available', () => {
    expect(occupancy({ ...EMPTY_AGENT_AGGREGATE, talkMs: 1_800_000, holdMs: 180_000, wrapUpMs: 420_000, readyMs: 1_200_000 })).toBeCloseTo(2 / 3, 12);
    expect(occupancy({ ...EMPTY_AGENT_AGGREGATE, notReadyMs: 3_600_000 })).toBeNull();
    expect(agentAverageHandleTimeMs({ ...EMPTY_AGENT_AGGREGATE, handled: 3, talkMs: 250_000, holdMs: 0, wrapUpMs: 50_000 })).toBe(100_000);
  });
});

describe('report period', () => {
  it('accepts a period and refuses one that is backwards, in an unknown zone or cut too fine', () => {
    expect(reportPeriod({ from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', interval: 'hour', timeZone: 'Europe/Warsaw' }).interval).toBe('hour');
    expect(() => reportPeriod({ from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z', interval: 'day', timeZone: 'UTC' })).toThrow(/later than from/);
    expect(() => reportPeriod({ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z', interval: 'day', timeZone: 'Europe/Atlantis' })).toThrow(/IANA/);
    expect(() => reportPeriod({ from: '2020-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z', interval: 'hour', timeZone: 'UTC' })).toThrow(/at most 10000/);
  });
});

describe('CSV export', () => {
  it('quotes what needs quoting and leaves nulls empty (RFC 4180)', () => {
    expect(csvField('Prodtorg, LLC')).toBe('"Prodtorg, LLC"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField(0.5)).toBe('0.5');
    expect(toCsv<{ a: string; b: number | null }>(['a', 'b'], [{ a: 'x', b: null }, { a: 'y\nz', b: 2 }])).toBe('a,b\r\nx,\r\n"y\nz",2\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', 'plain'].map((t) => csvField(t))).toEqual([
      '"\'=HYPERLINK(""http://x"")"', "'+1", "'-2+3", "'@SUM(A1)", "'\tx", 'plain',
    ]);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(['=cmd', 'b'])).toBe("'=cmd; b");
  });
});

describe('call-log cursor', () => {
  it('round-trips a position and refuses anything else', () => {
    const position = { startedAt: '2025-03-03T10:30:00.000000Z', id: '0b6f8c1e-1d2a-4f3b-9c4d-5e6f7a8b9c0d' };
    expect(decodeCallLogCursor(encodeCallLogCursor(position))).toEqual(position);
    expect(() => decodeCallLogCursor('bm90LWEtY3Vyc29y')).toThrow(/cursor/);
    expect(() => decodeCallLogCursor(Buffer.from("2025-03-03T10:30:00.000000Z|x' OR 1=1").toString('base64url'))).toThrow(/cursor/);
  });
});
