import { deepFreeze, frozenSnapshot, isDeepFrozen } from '../../../src/platform/deep-freeze';

describe('deepFreeze and frozenSnapshot', () => {
  it('freezes every object reachable from the value, in place', () => {
    const flow = { nodes: { start: { prompts: ['welcome'] } }, languages: ['ru', 'en'] };
    const frozen = deepFreeze(flow);
    expect(frozen).toBe(flow);
    expect([flow, flow.nodes, flow.nodes.start, flow.nodes.start.prompts, flow.languages].map((o) => Object.isFrozen(o))).toEqual([true, true, true, true, true]);
    expect(() => {
      flow.nodes.start.prompts.push('x');
    }).toThrow(TypeError);
  });

  it('tells a deeply frozen value from one only frozen on top', () => {
    const onTop = Object.freeze({ inner: { changeable: 1 } });
    expect(isDeepFrozen(onTop)).toBe(false);
    expect(isDeepFrozen(deepFreeze({ inner: { changeable: 1 } }))).toBe(true);
    expect(isDeepFrozen('text')).toBe(false);
    expect(isDeepFrozen(null)).toBe(false);
  });

  it('a snapshot of a deeply frozen value is the value itself; of anything else a frozen copy the original no longer reaches', () => {
    const shared = deepFreeze({ version: 3, nodes: { a: { next: 'b' } } });
    expect(frozenSnapshot(shared)).toBe(shared);

    const editable = { version: 4, nodes: { a: { next: 'b' } } };
    const copy = frozenSnapshot(editable);
    expect(copy).not.toBe(editable);
    editable.nodes.a.next = 'c';
    expect(copy.nodes.a.next).toBe('b');
    expect(isDeepFrozen(copy)).toBe(true);
    expect(Object.isFrozen(editable)).toBe(false);
  });
});
