import { inputProblem, MAX_INPUT_DEPTH } from '../../src/api/input-guard';

describe('input every route refuses (issue 15)', () => {
  it('finds a NUL character in any string or key, naming where', () => {
    expect(inputProblem({ q: 'ok\u0000' }, 'query')).toBe('query.q contains a NUL character');
    expect(inputProblem({ rules: [{ name: 'a' }, { name: '\u0000' }] }, 'body')).toBe('body.rules[1].name contains a NUL character');
    expect(inputProblem({ 'a\u0000': 1 }, 'body')).toBe('body has a key with a NUL character');
  });

  it('refuses nesting deeper than any real document, without overflowing itself', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(inputProblem(deep, 'body')).toBe(`body${'.a'.repeat(MAX_INPUT_DEPTH)} is nested more than ${MAX_INPUT_DEPTH} levels deep`);
  });

  it('passes ordinary requests', () => {
    expect(inputProblem({ name: 'Anna', tags: ['x', 'y'], nested: { ok: [1, 2, { deep: true }] } }, 'body')).toBeNull();
    expect(inputProblem(undefined, 'body')).toBeNull();
  });
});
