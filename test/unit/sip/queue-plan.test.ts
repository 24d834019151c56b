import { queuePlanFor, acdPriority } from '../../../src/sip/queue-plan';
import { assertValidStages, MAX_STAGES } from '../../../src/acd/match-stage';
import type { PersonTarget } from '../../../src/routing/route-target';

const person = (staffId: number, ringTimeoutSeconds = 20) => ({ kind: 'person' as const, staffId, name: `P${staffId}`, role: 'named' as const, departmentCode: 'wholesale_sales', departmentName: 'Wholesale', ringTimeoutSeconds });

describe('routing decision → ACD plan', () => {
  it('a queue target keeps its queue, clamps priority into 0–9 and relaxes high skill levels after 30 s', () => {
    expect(queuePlanFor({ kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 5 }, 5)).toEqual({ queueId: 'operators', priority: 5 });
    expect(queuePlanFor({ kind: 'queue', queue: 'regional', requiredSkills: { regional: 3 }, priority: 40 }, 5)).toEqual({
      queueId: 'regional', priority: 9,
      stages: [
        { afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 3 }] },
        { afterMs: 30000, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 1 }] },
      ],
    });
    expect(acdPriority(-3)).toBe(0);
  });

  it('a key client chain rings each person for their timeout in turn, then widens to the final queue, keeping one place in line', () => {
    const target: PersonTarget = { ...person(6, 20), fallback: [person(7, 15), person(1, 25), { kind: 'queue', queue: 'operators', requiredSkills: {}, priority: 9 }] };
    expect(queuePlanFor(target, 5)).toEqual({
      queueId: 'operators', priority: 9,
      stages: [
        { afterMs: 0, scope: { type: 'agents', agentIds: ['6'] }, ringMs: 20000 },
        { afterMs: 20000, scope: { type: 'agents', agentIds: ['7'] }, ringMs: 15000 },
        { afterMs: 35000, scope: { type: 'agents', agentIds: ['1'] }, ringMs: 25000 },
        { afterMs: 60000, scope: { type: 'queue' } },
      ],
    });
  });

  it('a manager then the finance department (no queue in the chain) waits in the direct queue', () => {
    const target: PersonTarget = { ...person(3), fallback: [{ kind: 'department', department: 'finance', departmentName: 'Finance', queue: null, headStaffId: 8 }] };
    expect(queuePlanFor(target, 5)).toEqual({
      queueId: 'direct', priority: 5,
      stages: [
        { afterMs: 0, scope: { type: 'agents', agentIds: ['3'] }, ringMs: 20000 },
        { afterMs: 20000, scope: { type: 'department', department: 'finance' } },
        { afterMs: 50000, scope: { type: 'agents', agentIds: ['8'] } },
      ],
    });
  });

  it('a department with its own queue is that queue; after hours is not queued at all', () => {
    expect(queuePlanFor({ kind: 'department', department: 'quality_control', departmentName: 'QC', queue: 'quality_control', headStaffId: 9 }, 4)).toEqual({ queueId: 'quality_control', priority: 4 });
    expect(queuePlanFor({ kind: 'after_hours', action: 'callback', promptId: 'after_hours' }, 5)).toBeNull();
  });
});

describe('a key client\'s chain at a site with many key-account managers', () => {
  const kam = (staffId: number) => ({ ...person(staffId, 20), role: 'key_account_manager' as const });
  const own = { ...person(100, 20), role: 'client_manager' as const };
  const head = { ...person(1, 25), role: 'department_head' as const };
  const operators = { kind: 'queue' as const, queue: 'operators', requiredSkills: {}, priority: 9 };

  it('with 20 or 60 of them the plan fits the ACD (every key client\'s call failed at 20): the first managers, then the head and the queue', () => {
    for (const count of [20, 60]) {
      const target: PersonTarget = { ...own, fallback: [...Array.from({ length: count - 1 }, (_, i) => kam(i + 2)), head, operators] };
      const plan = queuePlanFor(target, 5, { language: 'ro' })!;
      expect(() => assertValidStages(plan.stages ?? [])).not.toThrow();
      const rung = (plan.stages ?? []).flatMap((s) => (s.scope.type === 'agents' ? s.scope.agentIds : [s.scope.type]));
      // The own manager first, then the other managers in the order given (free ones first), then the head and the queue.
      expect(rung.slice(0, 3)).toEqual(['100', '2', '3']);
      expect(rung.slice(-2)).toEqual(['1', 'queue']);
      expect(rung.length).toBeLessThanOrEqual(MAX_STAGES);
    }
  });

  it('a chain that fits is left as it is', () => {
    const target: PersonTarget = { ...own, fallback: [kam(2), kam(3), head, operators] };
    expect(queuePlanFor(target, 5)!.stages!.map((s) => (s.scope.type === 'agents' ? s.scope.agentIds[0] : s.scope.type))).toEqual(['100', '2', '3', '1', 'queue']);
  });
});
