import { validateQualityForm, type QualityForm } from '../../../src/quality/quality-form';

const form = (): QualityForm => ({
  name: 'Standard', passMark: 80,
  criteria: [
    { id: 'greeting', label: 'Greeting', weight: 1, maxScore: 5 },
    { id: 'no_rudeness', label: 'No rudeness', weight: 2, maxScore: 1, critical: true },
  ],
});

describe('quality form document', () => {
  it('accepts a well-formed form and returns it typed', () => {
    const result = validateQualityForm(form());
    expect(result).toEqual({ ok: true, value: form() });
  });

  it.each([
    ['a duplicate criterion id, naming both places', (f: QualityForm) => f.criteria.push({ id: 'greeting', label: 'Again', weight: 1, maxScore: 3 }), 'criteria[2].id', /duplicate criterion id 'greeting' \(also criteria\[0\]\)/],
    ['a zero weight', (f: QualityForm) => { f.criteria[0]!.weight = 0; }, 'criteria[0].weight', /greater than 0|> 0|exclusive/i],
    ['a negative weight', (f: QualityForm) => { f.criteria[1]!.weight = -3; }, 'criteria[1].weight', /./],
    ['a pass mark above 100', (f: QualityForm) => { f.passMark = 101; }, 'passMark', /100/],
    ['a pass mark below 0', (f: QualityForm) => { f.passMark = -1; }, 'passMark', /0/],
    ['a max score of 11', (f: QualityForm) => { f.criteria[0]!.maxScore = 11; }, 'criteria[0].maxScore', /10/],
    ['a fractional max score', (f: QualityForm) => { f.criteria[0]!.maxScore = 2.5; }, 'criteria[0].maxScore', /integer/i],
    ['an id that is not a slug', (f: QualityForm) => { f.criteria[1]!.id = 'No Rudeness'; }, 'criteria[1].id', /match/],
    ['no criteria', (f: QualityForm) => { f.criteria = []; }, 'criteria', /1/],
    ['an unknown property', (f: QualityForm) => { (f.criteria[0] as unknown as Record<string, unknown>).colour = 'red'; }, 'criteria[0].colour', /not an allowed property/],
  ])('refuses %s, naming the path', (_what, change, path, message) => {
    const document = form();
    change(document);
    const result = validateQualityForm(document);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.errors.find((e) => e.path === path);
    expect({ path, issues: result.errors }).toEqual({ path, issues: expect.arrayContaining([expect.objectContaining({ path })]) });
    expect(issue?.message).toMatch(message);
  });

  it('refuses more than 30 criteria', () => {
    const document = form();
    document.criteria = Array.from({ length: 31 }, (_, i) => ({ id: `c${i}`, label: `C${i}`, weight: 1, maxScore: 5 }));
    const result = validateQualityForm(document);
    expect(result.ok).toBe(false);
  });
});
