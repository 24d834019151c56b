import {
  callQuery, criterionIssues, dayStart, filtersFromQuery, filtersToQuery, newCriterionId, NO_FILTERS, normalisePath, previewScore, reportCriteria, trendSeries, weightShares,
} from '../../../src/web/admin/quality/quality-view';
import type { QualityForm, ReportRow } from '../../../src/web/admin/quality/quality-api';

const FORM: QualityForm = {
  name: 'Test', passMark: 80,
  criteria: [
    { id: 'greeting', label: 'Greeting', weight: 1, maxScore: 5 },
    { id: 'knowledge', label: 'Product knowledge', weight: 3, maxScore: 10 },
    { id: 'no_rudeness', label: 'No rudeness', weight: 1, maxScore: 1, critical: true },
  ],
};

describe('the scoring grid preview', () => {
  it.each([
    // weights 1, 3, 1 → (1·4/5 + 3·9/10 + 1·1/1) / 5 = (0.8 + 2.7 + 1) / 5 = 90 %
    ['all scored, above the mark', { greeting: 4, knowledge: 9, no_rudeness: 1 }, 90, [], false, true],
    // (1·5/5 + 3·5/10 + 1) / 5 = 3.5 / 5 = 70 %
    ['all scored, below the mark', { greeting: 5, knowledge: 5, no_rudeness: 1 }, 70, [], false, false],
    // (1 + 3 + 0) / 5 = 80 % but the critical criterion is 0
    ['a critical 0 fails whatever the total', { greeting: 5, knowledge: 10, no_rudeness: 0 }, 80, [], true, false],
    // unscored counts 0 as on the server: (1 + 0 + 1) / 5 = 40 %, and it cannot pass yet
    ['a criterion not scored yet', { greeting: 5, no_rudeness: 1 }, 40, ['knowledge'], false, false],
    // (1·5/5 + 3·7/10 + 1) / 5 = 4.1 / 5 = 82 %
    ['just above the mark', { greeting: 5, knowledge: 7, no_rudeness: 1 }, 82, [], false, true],
    // (0 + 3·6/10 + 1) / 5 = 2.8 / 5 = 56 %
    ['a plain 0 on a non-critical criterion only lowers the total', { greeting: 0, knowledge: 6, no_rudeness: 1 }, 56, [], false, false],
  ] as const)('%s', (_name, scores, percent, missing, criticalFailed, passes) => {
    const preview = previewScore(FORM, scores);
    expect(preview).toEqual({ percent, missing: [...missing], criticalFailed, passes });
  });

  it('passes at exactly the pass mark', () => {
    // (1·4/5 + 3·8/10 + 1) / 5 = 4.2 / 5 = 84 %
    expect(previewScore({ ...FORM, passMark: 84 }, { greeting: 4, knowledge: 8, no_rudeness: 1 })).toMatchObject({ percent: 84, passes: true });
  });

  it('rounds to one decimal like the stored total', () => {
    const form: QualityForm = { name: 'Thirds', passMark: 50, criteria: [{ id: 'a', label: 'A', weight: 1, maxScore: 3 }] };
    expect(previewScore(form, { a: 1 }).percent).toBe(33.3);
    expect(previewScore(form, { a: 2 }).percent).toBe(66.7);
  });

  it('shows each weight as its share of the total', () => {
    expect(weightShares(FORM)).toEqual([20, 60, 20]);
  });
});

describe('the call picker query', () => {
  it('leaves empty filters out and asks for a page', () => {
    expect(callQuery(NO_FILTERS)).toBe('limit=50');
  });

  it('sends every filter the reviewer set, days as local midnights with the last day included', () => {
    const query = new URLSearchParams(callQuery({
      from: '2026-03-02', to: '2026-03-08', queue: ' operators ', agentId: '7', tag: 'complaint', minSeconds: '30', maxSeconds: '600', notEvaluated: true, sample: '',
    }));
    expect(Object.fromEntries(query)).toEqual({
      from: new Date(2026, 2, 2).toISOString(), to: new Date(2026, 2, 9).toISOString(), queue: 'operators', agentId: '7', tag: 'complaint',
      minSeconds: '30', maxSeconds: '600', evaluated: 'false', limit: '50',
    });
  });

  it('asks for a random sample instead of a page, and ignores what is not a number', () => {
    expect(callQuery({ ...NO_FILTERS, sample: '5', agentId: 'Anna', minSeconds: '-3' })).toBe('sample=5');
    expect(callQuery({ ...NO_FILTERS, sample: '0' })).toBe('limit=50');
  });

  it('keeps the filters in the hash route and reads them back', () => {
    const filters = { ...NO_FILTERS, tag: 'complaint', notEvaluated: true, sample: '3' };
    expect(filtersFromQuery(new URLSearchParams(filtersToQuery(filters)))).toEqual(filters);
    expect(filtersToQuery(NO_FILTERS)).toBe('');
  });

  it('refuses a day that is not yyyy-mm-dd', () => {
    expect(dayStart('07.03.2026')).toBeNull();
    expect(dayStart('')).toBeNull();
  });
});

describe('the form editor', () => {
  it('gives a new criterion an id no other has', () => {
    expect(newCriterionId(FORM)).toBe('criterion_4');
    expect(newCriterionId({ ...FORM, criteria: [...FORM.criteria, { id: 'criterion_4', label: 'x', weight: 1, maxScore: 1 }] })).toBe('criterion_5');
  });

  it('finds the validator messages of one criterion and field, whichever way the path is spelled', () => {
    expect(normalisePath('/criteria/1/weight')).toBe('criteria[1].weight');
    expect(normalisePath('criteria.1.weight')).toBe('criteria[1].weight');
    expect(normalisePath('criteria[1].weight')).toBe('criteria[1].weight');
    const issues = [
      { path: 'criteria[1].weight', message: 'must be above 0' },
      { path: 'criteria[10].id', message: 'duplicate' },
      { path: 'passMark', message: 'at most 100' },
    ];
    expect(criterionIssues(issues, 1)).toEqual(['must be above 0']);
    expect(criterionIssues(issues, 1, 'weight')).toEqual(['must be above 0']);
    expect(criterionIssues(issues, 1, 'id')).toEqual([]);
  });
});

describe('the report', () => {
  const row = (agentId: number, agentName: string, bucketStart: string, averagePercent: number): ReportRow => ({
    agentId, agentName, bucketStart, evaluations: 1, averagePercent, passRate: 1,
    criteria: [{ criterionId: 'greeting', label: 'Greeting', averagePercentOfMax: 100 }],
  });

  it('draws one line per agent over the weeks, with gaps where an agent had no evaluation', () => {
    const trend = trendSeries([row(2, 'Ion', '2026-03-09', 70), row(1, 'Anna', '2026-03-02T00:00:00.000Z', 90), row(1, 'Anna', '2026-03-09', 80)]);
    expect(trend.buckets).toEqual(['2026-03-02', '2026-03-09']);
    expect(trend.agents).toEqual([
      { agentId: 1, agentName: 'Anna', values: [90, 80] },
      { agentId: 2, agentName: 'Ion', values: [null, 70] },
    ]);
  });

  it('lists each criterion once as a column', () => {
    expect(reportCriteria([row(1, 'Anna', '2026-03-02', 90), row(2, 'Ion', '2026-03-02', 80)])).toEqual([{ criterionId: 'greeting', label: 'Greeting' }]);
  });
});
