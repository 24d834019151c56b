import { aggregateQualityReport, bucketStartOf, type ReportedEvaluation } from '../../../src/quality/quality-report';

const evaluation = (agentId: number, agentName: string, at: string, totalPercent: number, passed: boolean, greeting: number, rude: number): ReportedEvaluation => ({
  agentId, agentName, callStartedAt: new Date(at), totalPercent, passed,
  scores: [{ criterionId: 'greeting', label: 'Greeting', score: greeting, maxScore: 5 }, { criterionId: 'no_rudeness', label: 'No rudeness', score: rude, maxScore: 1 }],
});

describe('quality report', () => {
  it('buckets by UTC day and by ISO week starting Monday', () => {
    expect(bucketStartOf(new Date('2025-03-05T23:59:59Z'), 'day').toISOString()).toBe('2025-03-05T00:00:00.000Z');
    // 2025-03-09 is a Sunday: its week began Monday 3 March.
    expect(bucketStartOf(new Date('2025-03-09T12:00:00Z'), 'week').toISOString()).toBe('2025-03-03T00:00:00.000Z');
    expect(bucketStartOf(new Date('2025-03-10T00:00:00Z'), 'week').toISOString()).toBe('2025-03-10T00:00:00.000Z');
  });

  it('averages per agent and week: totals, pass rate, each criterion as a percent of its maximum', () => {
    const rows = aggregateQualityReport([
      evaluation(2, 'Ion', '2025-03-04T10:00:00Z', 90, true, 5, 1),
      evaluation(1, 'Anna', '2025-03-04T10:00:00Z', 81.5, true, 4, 1),
      evaluation(1, 'Anna', '2025-03-08T10:00:00Z', 70, false, 3, 1),
      evaluation(1, 'Anna', '2025-03-09T23:00:00Z', 92.3, false, 5, 0),
      evaluation(1, 'Anna', '2025-03-11T10:00:00Z', 60, false, 2, 1),
    ], 'week');
    expect(rows).toEqual([
      // Anna's week of 3 March: (81.5 + 70 + 92.3) / 3 = 81.27 → 81.3; 1 of 3 passed; greeting (4 + 3 + 5) / 15 = 80 %; rudeness 2/3 = 66.7 %
      { agentId: 1, agentName: 'Anna', bucketStart: '2025-03-03T00:00:00.000Z', evaluations: 3, averagePercent: 81.3, passRate: 0.3333,
        criteria: [{ criterionId: 'greeting', label: 'Greeting', averagePercentOfMax: 80 }, { criterionId: 'no_rudeness', label: 'No rudeness', averagePercentOfMax: 66.7 }] },
      { agentId: 1, agentName: 'Anna', bucketStart: '2025-03-10T00:00:00.000Z', evaluations: 1, averagePercent: 60, passRate: 0,
        criteria: [{ criterionId: 'greeting', label: 'Greeting', averagePercentOfMax: 40 }, { criterionId: 'no_rudeness', label: 'No rudeness', averagePercentOfMax: 100 }] },
      { agentId: 2, agentName: 'Ion', bucketStart: '2025-03-03T00:00:00.000Z', evaluations: 1, averagePercent: 90, passRate: 1,
        criteria: [{ criterionId: 'greeting', label: 'Greeting', averagePercentOfMax: 100 }, { criterionId: 'no_rudeness', label: 'No rudeness', averagePercentOfMax: 100 }] },
    ]);
  });

  it('splits the same evaluations by day', () => {
    const rows = aggregateQualityReport([
      evaluation(1, 'Anna', '2025-03-04T10:00:00Z', 80, true, 4, 1),
      evaluation(1, 'Anna', '2025-03-04T18:00:00Z', 60, false, 3, 1),
      evaluation(1, 'Anna', '2025-03-05T10:00:00Z', 100, true, 5, 1),
    ], 'day');
    expect(rows.map((r) => [r.bucketStart, r.evaluations, r.averagePercent, r.passRate])).toEqual([
      ['2025-03-04T00:00:00.000Z', 2, 70, 0.5], ['2025-03-05T00:00:00.000Z', 1, 100, 1],
    ]);
  });

  it('has no rows without evaluations', () => {
    expect(aggregateQualityReport([], 'week')).toEqual([]);
  });
});
