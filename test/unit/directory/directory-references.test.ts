import { findReferences, replaceInTarget, type ReferenceWorld } from '../../../src/directory/directory-references';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import type { RoutingConfig } from '../../../src/routing/routing-config-schema';

// A small site: person 1 heads wholesale and regional sales, person 2 is a key-account manager,
// person 3 an operator; queues operators (overflowing to regional) and regional (overflowing to person 2).
const routing: RoutingConfig = {
  ...DEFAULT_ROUTING_CONFIG,
  rules: [
    ...DEFAULT_ROUTING_CONFIG.rules.slice(0, 3),
    { id: 'vip', when: { clientIds: [42] }, target: { kind: 'person', staffId: 2, fallback: [{ kind: 'person', staffId: 1 }] }, reason: 'vip' },
    ...DEFAULT_ROUTING_CONFIG.rules.slice(3),
  ],
};

function world(overrides: Partial<ReferenceWorld> = {}): ReferenceWorld {
  return {
    departments: [
      { id: 10, code: 'wholesale_sales', headStaffId: 1 },
      { id: 11, code: 'regional_sales', headStaffId: 1 },
      { id: 12, code: 'logistics', headStaffId: null },
    ],
    queues: [
      { id: 20, name: 'operators', departmentId: null, overflowTarget: { kind: 'queue', queue: 'regional' }, memberIds: [3] },
      { id: 21, name: 'regional', departmentId: 11, overflowTarget: { kind: 'staff', staffId: 2 }, memberIds: [] },
      { id: 22, name: 'spare', departmentId: null, overflowTarget: null, memberIds: [] },
    ],
    staff: [
      { id: 1, departmentId: 10 },
      { id: 2, departmentId: 10 },
      { id: 3, departmentId: null },
    ],
    clientsByManager: new Map([[2, 12]]),
    clientOverrides: [{ clientId: 7, target: { kind: 'person', staffId: 2, fallback: [{ kind: 'queue', queue: 'regional' }] } }],
    routing,
    ...overrides,
  };
}

const paths = (refs: { path: string }[]): string[] => refs.map((r) => r.path);

describe('findReferences (issue 15: who relies on a person, queue or department)', () => {
  it('a department head: each department they head, as the directory holds it', () => {
    const refs = findReferences({ kind: 'staff', id: 1 }, world());
    expect(refs).toEqual([
      { path: 'routing.rules[3].target.fallback[0].staffId', message: 'the published routing config rings person 1', holder: 'published_config' },
      { path: 'departments[wholesale_sales].headId', message: "head of department 'wholesale_sales'", holder: 'directory' },
      { path: 'departments[regional_sales].headId', message: "head of department 'regional_sales'", holder: 'directory' },
    ]);
  });

  it('a key-account manager: the published rule naming them, the override, the overflow and their clients', () => {
    const refs = findReferences({ kind: 'staff', id: 2 }, world());
    expect(paths(refs)).toEqual([
      'routing.rules[3].target.staffId',
      'clients[7].routingOverride.staffId',
      'queues[regional].overflowTarget.staffId',
      'clients',
    ]);
    expect(refs[3]).toEqual({ path: 'clients', message: '12 clients have this manager', holder: 'directory' });
  });

  it('someone nobody relies on (queue membership alone goes with them): no references', () => {
    expect(findReferences({ kind: 'staff', id: 3 }, world())).toEqual([]);
  });

  it('a queue: every rule and fallback naming it, the last resort, overflows into it and its members', () => {
    expect(paths(findReferences({ kind: 'queue', id: 20, name: 'operators' }, world()))).toEqual([
      'routing.rules[10].target.fallback[0].queue',
      'routing.rules[11].target.queue',
      'routing.rules[12].target.queue',
      'routing.lastResort.queue',
      'queues[operators].memberIds',
    ]);
    expect(paths(findReferences({ kind: 'queue', id: 21, name: 'regional' }, world()))).toEqual([
      'routing.rules[10].target.queue',
      'clients[7].routingOverride.fallback[0].queue',
      'queues[operators].overflowTarget.queue',
    ]);
    expect(findReferences({ kind: 'queue', id: 22, name: 'spare' }, world())).toEqual([]);
  });

  it("a department's own queue (named like its code) is relied on by the rules that ring the department", () => {
    const refs = findReferences({ kind: 'queue', id: 30, name: 'finance' }, world());
    expect(refs).toEqual([
      { path: 'routing.rules[5].target.fallback[0].department', message: "the published routing config rings department 'finance', whose own queue is 'finance'", holder: 'published_config' },
    ]);
  });

  it('a department: department steps, heads by client type and intent, its people and queues', () => {
    expect(paths(findReferences({ kind: 'department', id: 11, code: 'regional_sales' }, world()))).toEqual([
      'routing.rules[6].target.byClientType.regional',
      'routing.rules[7].target.byClientType.regional',
      'queues[regional].departmentId',
    ]);
    const wholesale = findReferences({ kind: 'department', id: 10, code: 'wholesale_sales' }, world());
    expect(wholesale.filter((r) => r.holder === 'directory')).toEqual([{ path: 'staff', message: '2 people belong to this department', holder: 'directory' }]);
    expect(paths(wholesale)).toContain('routing.rules[8].target.fallback[1].department');
    expect(findReferences({ kind: 'department', id: 12, code: 'logistics' }, world())).toEqual([]);
  });

  it('without a published routing config only the directory counts', () => {
    expect(paths(findReferences({ kind: 'staff', id: 1 }, world({ routing: null })))).toEqual(['departments[wholesale_sales].headId', 'departments[regional_sales].headId']);
  });
});

describe('replaceInTarget', () => {
  it('turns every mention of the record into the replacement and leaves the rest', () => {
    expect(replaceInTarget({ kind: 'person', staffId: 2, ringTimeoutSeconds: 15, fallback: [{ kind: 'person', staffId: 3 }, { kind: 'person', staffId: 2 }] }, { kind: 'staff', id: 2 }, { kind: 'staff', id: 9 }))
      .toEqual({ kind: 'person', staffId: 9, ringTimeoutSeconds: 15, fallback: [{ kind: 'person', staffId: 3 }, { kind: 'person', staffId: 9 }] });
    expect(replaceInTarget({ kind: 'queue', queue: 'regional', fallback: [{ kind: 'client_manager' }] }, { kind: 'queue', id: 21, name: 'regional' }, { kind: 'queue', id: 22, name: 'spare' }))
      .toEqual({ kind: 'queue', queue: 'spare', fallback: [{ kind: 'client_manager' }] });
    expect(replaceInTarget(
      { kind: 'relevant_department_head', byIntent: { order: 'regional_sales' }, default: 'regional_sales', fallback: [{ kind: 'department_head', department: 'logistics' }] },
      { kind: 'department', id: 11, code: 'regional_sales' }, { kind: 'department', id: 12, code: 'logistics' },
    )).toEqual({ kind: 'relevant_department_head', byIntent: { order: 'logistics' }, default: 'logistics', fallback: [{ kind: 'department_head', department: 'logistics' }] });
  });
});
