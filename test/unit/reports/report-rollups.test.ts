import {
  addAgentCounters, addQueueCounters, agentAggregateOf, emptyAgentCounters, emptyQueueCounters, queueAggregateOf, roundMicrosToMs,
  roundSafeMicrosToMs, safeCount,
} from '../../../src/reports/report-counters';
import { ROLLUP_DEFINITION, dayBlocks, hourRanges, serviceLevelGridIndex, splitForRollups } from '../../../src/reports/report-rollups';

const d = (iso: string): Date => new Date(iso);

describe('exact counters: rounding happens once, after every source is added up', () => {
  it.each([
    [0n, 0], [499n, 0], [500n, 1], [1_499n, 1], [1_500n, 2], [2_500n, 3], [123_456_789n, 123_457], [-1_500n, -1], [-1_501n, -2],
  ])('%p µs → %p ms (as Postgres numeric → float8 → Math.round), as bigint and as a number', (us, ms) => {
    expect(roundMicrosToMs(us)).toBe(ms);
    expect(roundSafeMicrosToMs(Number(us))).toBe(ms);
  });

  it('agent counters are exact numbers or refused: nothing past 2^53 is silently rounded', () => {
    expect(safeCount('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => safeCount('9007199254740993')).toThrow(RangeError);
    expect(() => safeCount('1.5')).toThrow(RangeError);
    expect(() => safeCount(undefined)).toThrow(RangeError);
    const big = emptyAgentCounters();
    big.stateUs.ready = Number.MAX_SAFE_INTEGER - 1;
    const more = emptyAgentCounters();
    more.stateUs.ready = 2;
    expect(() => addAgentCounters(big, more)).toThrow(RangeError);
  });

  it('0.6 ms from each of two sources is 1 ms in the bucket, not 1 + 1', () => {
    const head = emptyQueueCounters();
    head.wrapUpUs = 600n;
    const hours = emptyQueueCounters();
    hours.wrapUpUs = 600n;
    addQueueCounters(head, hours);
    expect(queueAggregateOf(head).wrapUpMs).toBe(1);
    expect(roundMicrosToMs(600n) + roundMicrosToMs(600n)).toBe(2);
  });

  it('queue counters add up; the longest wait is the larger one, and 0 when no source knew a wait', () => {
    const a = { ...emptyQueueCounters(), offered: 3, answered: 2, answeredWithinSl: 1, talkMs: 100, longestWaitMs: 40_000 };
    const b = { ...emptyQueueCounters(), offered: 1, overflowed: 1, longestWaitMs: null };
    addQueueCounters(a, b);
    expect(queueAggregateOf(a)).toMatchObject({ offered: 4, answered: 2, answeredWithinSl: 1, overflowed: 1, talkMs: 100, longestWaitMs: 40_000 });
    expect(queueAggregateOf(emptyQueueCounters()).longestWaitMs).toBe(0);
  });

  it('agent state times round state by state (ready and reserved apart), single and shared talk apart', () => {
    const c = emptyAgentCounters();
    c.stateUs.ready = 1_500; // 2 ms
    c.stateUs.reserved = 1_500; // 2 ms, not 3 ms for 3,000 µs together
    c.stateUs.not_ready = 10_000_400;
    c.singleTalkMs = 1_000;
    c.sharedTalkUs = 2_600;
    const more = emptyAgentCounters();
    more.handled = 2;
    more.stateUs.wrap_up = 30_000_000;
    addAgentCounters(c, more);
    expect(agentAggregateOf(c)).toEqual({ handled: 2, missed: 0, talkMs: 1_003, holdMs: 0, wrapUpMs: 30_000, readyMs: 4, notReadyMs: 10_000 });
  });
});

describe('what the hourly rollups can answer', () => {
  it.each([
    [20, 4], [5, 1], [120, 24], [35, 7], [7, null], [125, null], [0, null], [600, null], [2.5, null],
  ])('service level T = %p s → grid index %p', (sl, k) => {
    expect(serviceLevelGridIndex(sl)).toBe(k);
  });

  it('a period is cut into raw edges around the whole sealed hours inside it', () => {
    expect(splitForRollups({ from: d('2025-03-03T09:17:00Z'), to: d('2025-03-03T18:30:00Z') }, d('2025-03-03T15:00:00Z'))).toEqual({
      head: { from: d('2025-03-03T09:17:00Z'), to: d('2025-03-03T10:00:00Z') },
      hours: { from: d('2025-03-03T10:00:00Z'), to: d('2025-03-03T15:00:00Z') },
      tail: { from: d('2025-03-03T15:00:00Z'), to: d('2025-03-03T18:30:00Z') },
    });
    expect(splitForRollups({ from: d('2025-03-03T09:00:00Z'), to: d('2025-03-03T11:00:00Z') }, d('2025-06-01T00:00:00Z'))).toEqual({
      head: null, hours: { from: d('2025-03-03T09:00:00Z'), to: d('2025-03-03T11:00:00Z') }, tail: null,
    });
    // No whole sealed hour inside: the raw query answers alone.
    expect(splitForRollups({ from: d('2025-03-03T09:10:00Z'), to: d('2025-03-03T10:50:00Z') }, d('2025-06-01T00:00:00Z'))).toBeNull();
    expect(splitForRollups({ from: d('2025-03-03T09:00:00Z'), to: d('2025-03-03T11:00:00Z') }, d('2025-03-03T09:00:00Z'))).toBeNull();
  });

  it('touched hours become ranges of consecutive hours, none longer than the chunk', () => {
    const hours = ['2025-01-01T05:00:00Z', '2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z', '2025-01-01T02:00:00Z', '2025-01-01T03:00:00Z', '2025-01-01T04:00:00Z', '2025-01-01T09:00:00Z'].map(d);
    expect(hourRanges(hours, 3)).toEqual([
      { from: d('2025-01-01T01:00:00Z'), to: d('2025-01-01T04:00:00Z') },
      { from: d('2025-01-01T04:00:00Z'), to: d('2025-01-01T06:00:00Z') },
      { from: d('2025-01-01T09:00:00Z'), to: d('2025-01-01T10:00:00Z') },
    ]);
    expect(hourRanges([], 3)).toEqual([]);
  });

  it('whole days are taken where they fit, the hours around and between them are added up one by one', () => {
    const hours = { from: d('2025-03-28T05:00:00Z'), to: d('2025-04-01T03:00:00Z') };
    // Berlin days: 24 h, then the 23-hour day of 30 March, then 24 h; 31 March is not usable (missing).
    const days = [
      { from: d('2025-03-28T23:00:00Z'), to: d('2025-03-29T23:00:00Z') },
      { from: d('2025-03-29T23:00:00Z'), to: d('2025-03-30T22:00:00Z') },
      { from: d('2025-03-31T22:00:00Z'), to: d('2025-04-01T22:00:00Z') }, // leaves the hours: not used
    ];
    expect(dayBlocks(hours, days)).toEqual({
      days: days.slice(0, 2),
      hours: [
        { from: d('2025-03-28T05:00:00Z'), to: d('2025-03-28T23:00:00Z') },
        { from: d('2025-03-30T22:00:00Z'), to: d('2025-04-01T03:00:00Z') },
      ],
    });
    // A day overlapping the one before it is not used: every hour is covered exactly once.
    const overlapping = [days[0]!, { from: d('2025-03-29T12:00:00Z'), to: d('2025-03-30T12:00:00Z') }];
    expect(dayBlocks(hours, overlapping)).toEqual({
      days: [days[0]],
      hours: [{ from: hours.from, to: days[0]!.from }, { from: days[0]!.to, to: hours.to }],
    });
    expect(dayBlocks(hours, [])).toEqual({ days: [], hours: [hours] });
    // Days exactly covering the hours leave nothing to add up hour by hour.
    expect(dayBlocks({ from: days[0]!.from, to: days[1]!.to }, days)).toEqual({ days: days.slice(0, 2), hours: [] });
  });

  it('the stored definition names every constant the counters depend on', () => {
    expect(ROLLUP_DEFINITION).toContain('shortAbandonMs=5000');
    expect(ROLLUP_DEFINITION).toContain('slGrid=5x24');
    expect(ROLLUP_DEFINITION).toContain('states=ready+reserved+not_ready+wrap_up');
  });
});
