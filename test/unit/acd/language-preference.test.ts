import { LANGUAGE_MATCH_WAIT_MS, preferLanguage, type MatchStage } from '../../../src/acd';

describe('a caller with a language is offered to agents who speak it first, then to anyone', () => {
  it("a queue's plain plan: Romanian speakers for the first 30 s, then any agent of the queue", () => {
    expect(LANGUAGE_MATCH_WAIT_MS).toBe(30_000);
    expect(preferLanguage([{ afterMs: 0, scope: { type: 'queue' } }], 'ro')).toEqual([
      { afterMs: 0, scope: { type: 'queue' }, languages: ['ro'] },
      { afterMs: 30_000, scope: { type: 'queue' } },
    ]);
  });

  it('skill relaxation keeps its times; the language goes from every stage before the wait ends', () => {
    const skills: MatchStage[] = [
      { afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 3 }] },
      { afterMs: 20_000, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 1 }] },
      { afterMs: 60_000, scope: { type: 'department', department: 'sales' } },
    ];
    expect(preferLanguage(skills, 'ro')).toEqual([
      { afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 3 }], languages: ['ro'] },
      { afterMs: 20_000, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 1 }], languages: ['ro'] },
      { afterMs: 30_000, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 1 }] },
      { afterMs: 60_000, scope: { type: 'department', department: 'sales' } },
    ]);
  });

  it('named people are rung whatever they speak, and a plan that changes at the wait end needs no extra stage', () => {
    const chain: MatchStage[] = [
      { afterMs: 0, scope: { type: 'agents', agentIds: ['6'] }, ringMs: 20_000 },
      { afterMs: 20_000, scope: { type: 'queue' } },
      { afterMs: 30_000, scope: { type: 'queue' }, languages: ['pl'] },
    ];
    expect(preferLanguage(chain, 'ro')).toEqual([
      { afterMs: 0, scope: { type: 'agents', agentIds: ['6'] }, ringMs: 20_000 },
      { afterMs: 20_000, scope: { type: 'queue' }, languages: ['ro'] },
      { afterMs: 30_000, scope: { type: 'queue' }, languages: ['pl'] },
    ]);
  });

  it('a plan that asks nothing before the wait ends is unchanged', () => {
    const late: MatchStage[] = [{ afterMs: 0, scope: { type: 'agents', agentIds: ['1'] } }, { afterMs: 40_000, scope: { type: 'queue' } }];
    expect(preferLanguage(late, 'ro')).toEqual(late);
  });
});
