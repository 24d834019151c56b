import { checkEvaluationInput, type EvaluationInput } from '../../../src/quality/evaluation-input';
import { scoreEvaluation } from '../../../src/quality/evaluation-scoring';
import type { QualityForm } from '../../../src/quality/quality-form';

const form: QualityForm = {
  name: 'Standard', passMark: 80,
  criteria: [
    { id: 'greeting', label: 'Greeting', weight: 10, maxScore: 5 },
    { id: 'knowledge', label: 'Product knowledge', weight: 30, maxScore: 5 },
    { id: 'order', label: 'Order entry', weight: 20, maxScore: 10 },
    { id: 'no_rudeness', label: 'No rudeness', weight: 5, maxScore: 1, critical: true },
  ],
};
const scores = (greeting: number, knowledge: number, order: number, rude: number): Map<string, number> =>
  new Map([['greeting', greeting], ['knowledge', knowledge], ['order', order], ['no_rudeness', rude]]);

describe('evaluation scoring', () => {
  it.each([
    // (10·5/5 + 30·5/5 + 20·10/10 + 5·1/1) / 65 = 100 %
    ['all full marks', scores(5, 5, 10, 1), 100, true, false],
    // (10·4/5 + 30·4/5 + 20·8/10 + 5) / 65 = (8 + 24 + 16 + 5) / 65 = 53/65 = 81.538… → 81.5
    ['four fifths everywhere', scores(4, 4, 8, 1), 81.5, true, false],
    // (10·3/5 + 30·4/5 + 20·9/10 + 5) / 65 = (6 + 24 + 18 + 5) / 65 = 53/65 → 81.5, same
    ['a different mix with the same total', scores(3, 4, 9, 1), 81.5, true, false],
    // (10·4/5 + 30·4/5 + 20·7/10 + 5) / 65 = 51/65 = 78.46… → 78.5: under the mark
    ['just under the pass mark', scores(4, 4, 7, 1), 78.5, false, false],
    // (10 + 30 + 20 + 0) / 65 = 92.3 but the critical criterion is 0
    ['full marks but rude', scores(5, 5, 10, 0), 92.3, false, true],
    ['nothing', scores(0, 0, 0, 0), 0, false, true],
  ])('%s', (_what, given, totalPercent, passed, criticalFailed) => {
    expect(scoreEvaluation(form, given)).toEqual({ totalPercent, passed, criticalFailed });
  });

  it('passes a total that rounds to exactly the pass mark', () => {
    // weights 1 and 2, marks 4/5 and 4/5: exactly 80.0
    const twoCriteria: QualityForm = { name: 'x', passMark: 80, criteria: [{ id: 'a', label: 'A', weight: 1, maxScore: 5 }, { id: 'b', label: 'B', weight: 2, maxScore: 5 }] };
    expect(scoreEvaluation(twoCriteria, new Map([['a', 4], ['b', 4]]))).toEqual({ totalPercent: 80, passed: true, criticalFailed: false });
  });
});

describe('evaluation input against its form version and recording', () => {
  const valid: EvaluationInput = {
    scores: [
      { criterionId: 'order', score: 8, note: 'missed the delivery date' },
      { criterionId: 'greeting', score: 4 }, { criterionId: 'knowledge', score: 4 }, { criterionId: 'no_rudeness', score: 1 },
    ],
    comments: [{ atSeconds: 0, text: 'start' }, { atSeconds: 61, text: 'at the very end' }],
    summary: 'good',
  };

  it('returns the scores in the form\'s order with the criteria as the version defines them, and the outcome', () => {
    const result = checkEvaluationInput(form, valid, 61);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.scores.map((s) => [s.criterionId, s.score, s.maxScore, s.weight, s.position, s.note])).toEqual([
      ['greeting', 4, 5, 10, 0, null], ['knowledge', 4, 5, 30, 1, null], ['order', 8, 10, 20, 2, 'missed the delivery date'], ['no_rudeness', 1, 1, 5, 3, null],
    ]);
    expect(result.value).toMatchObject({ totalPercent: 81.5, passed: true, criticalFailed: false, summary: 'good' });
  });

  it.each([
    ['a criterion left out', { ...valid, scores: valid.scores.slice(1) }, 'scores', /'order' \(Order entry\) is not scored/],
    ['a criterion scored twice', { ...valid, scores: [...valid.scores, { criterionId: 'greeting', score: 5 }] }, 'scores[4].criterionId', /scored twice \(also scores\[1\]\)/],
    ['an unknown criterion', { ...valid, scores: [...valid.scores, { criterionId: 'smile', score: 1 }] }, 'scores[4].criterionId', /no criterion 'smile'/],
    ['a score above the maximum', { ...valid, scores: [{ criterionId: 'greeting', score: 6 }, ...valid.scores.slice(0, 1), ...valid.scores.slice(2)] }, 'scores[0].score', /0 to 5; got 6/],
    ['a negative score', { ...valid, scores: [{ criterionId: 'no_rudeness', score: -1 }, ...valid.scores.slice(0, 3)] }, 'scores[0].score', /0 to 1/],
    ['a fractional score', { ...valid, scores: [{ criterionId: 'greeting', score: 2.5 }, ...valid.scores.filter((s) => s.criterionId !== 'greeting')] }, 'scores[0].score', /whole number/],
    ['a comment after the recording ends', { ...valid, comments: [{ atSeconds: 61.5, text: 'late' }] }, 'comments[0].atSeconds', /within the recording, 0 to 61 s; got 61.5/],
    ['a comment before it starts', { ...valid, comments: [{ atSeconds: -1, text: 'early' }] }, 'comments[0].atSeconds', /within the recording/],
  ])('refuses %s, naming the path', (_what, input, path, message) => {
    const result = checkEvaluationInput(form, input, 61);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });
});
