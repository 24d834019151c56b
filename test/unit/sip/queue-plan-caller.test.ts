import { queuePlanFor } from '../../../src/sip/queue-plan';

const skills: Record<string, Record<string, number>> = { operators: {}, regional: { regional: 3 } };
const queueSkills = (queue: string) => skills[queue];

describe("routing decision → ACD plan, with the caller's language", () => {
  it("a queue's own plan gets the language in front of it, the queue's skills kept", () => {
    expect(queuePlanFor({ kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 5 }, 5, { language: 'ro', queueSkills })).toEqual({
      queueId: 'operators', priority: 5,
      stages: [{ afterMs: 0, scope: { type: 'queue' }, languages: ['ro'] }, { afterMs: 30_000, scope: { type: 'queue' } }],
    });
    expect(queuePlanFor({ kind: 'queue', queue: 'regional', requiredSkills: {}, priority: 5 }, 5, { language: 'ro', queueSkills })?.stages).toEqual([
      { afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 3 }], languages: ['ro'] },
      { afterMs: 30_000, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 1 }] },
    ]);
  });

  it('no language, or a queue the directory does not describe: the plan routing gave, untouched', () => {
    expect(queuePlanFor({ kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 5 }, 5, { language: null, queueSkills })).toEqual({ queueId: 'operators', priority: 5 });
    expect(queuePlanFor({ kind: 'queue', queue: 'unknown', requiredSkills: {}, priority: 5 }, 5, { language: 'ro', queueSkills })).toEqual({ queueId: 'unknown', priority: 5 });
  });

  it('a chain rings its named people whatever they speak', () => {
    const plan = queuePlanFor({
      kind: 'person', staffId: 6, name: 'P6', role: 'client_manager', departmentCode: null, departmentName: null, ringTimeoutSeconds: 20,
      fallback: [{ kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 7 }],
    }, 5, { language: 'ro', queueSkills });
    expect(plan?.stages).toEqual([
      { afterMs: 0, scope: { type: 'agents', agentIds: ['6'] }, ringMs: 20_000 },
      { afterMs: 20_000, scope: { type: 'queue' }, languages: ['ro'] },
      { afterMs: 30_000, scope: { type: 'queue' } },
    ]);
  });
});
