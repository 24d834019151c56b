import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import {
  assignmentRecipients, departmentOfNewClient, isAssignableManager, mayAssignManager, newClientHeadSpec, type NewClientHeadSpec,
} from '../../../src/directory/new-client-assignment';

describe('which head a client without a manager belongs to (rule 6)', () => {
  const seed = newClientHeadSpec(DEFAULT_ROUTING_CONFIG);

  it('is read from the routing rule that takes clients without a manager', () => {
    expect(seed?.kind).toBe('relevant_department_head');
  });

  it.each([
    ['regional', 'Tver', 'regional_sales'],
    ['retail', 'Tula', 'retail_sales'],
    ['own_point', 'Moscow', 'retail_sales'],
    ['market', 'Moscow', 'wholesale_sales'],
    ['key', null, 'wholesale_sales'],
  ])('a %s client in %s goes to %s', (type, region, department) => {
    expect(departmentOfNewClient({ type, region }, seed as NewClientHeadSpec)).toBe(department);
  });

  it('a region named in the rule wins over the client type, as in routing', () => {
    const spec: NewClientHeadSpec = { kind: 'relevant_department_head', byRegion: { Cluj: 'export_sales' }, byClientType: { regional: 'regional_sales' }, default: 'wholesale_sales' };
    expect(departmentOfNewClient({ type: 'regional', region: 'Cluj' }, spec)).toBe('export_sales');
    expect(departmentOfNewClient({ type: 'regional', region: 'Tver' }, spec)).toBe('regional_sales');
  });

  it('is null when the routing sends clients without a manager somewhere else', () => {
    const rules = [{ id: 'no_manager', when: { hasManager: false }, target: { kind: 'queue' as const, queue: 'operators' }, reason: 'x' }];
    expect(newClientHeadSpec({ rules })).toBeNull();
    expect(newClientHeadSpec({ rules: [] })).toBeNull();
  });
});

describe('who may assign a manager', () => {
  it.each([
    [{ role: 'admin' as const, staffId: null }, { headStaffId: 5 }, true],
    [{ role: 'operator' as const, staffId: 5 }, { headStaffId: 5 }, true],
    [{ role: 'operator' as const, staffId: 6 }, { headStaffId: 5 }, false],
    [{ role: 'supervisor' as const, staffId: null }, { headStaffId: 5 }, false],
    [{ role: 'operator' as const, staffId: null }, { headStaffId: null }, false],
  ])('%j for a department headed by %j: %s', (actor, department, allowed) => {
    expect(mayAssignManager(actor, department)).toBe(allowed);
  });

  it('picks only active client-managing members of that department', () => {
    expect(isAssignableManager({ role: 'key_account_manager', active: true, departmentId: 1 }, 1)).toBe(true);
    expect(isAssignableManager({ role: 'operator', active: true, departmentId: 1 }, 1)).toBe(true);
    expect(isAssignableManager({ role: 'operator', active: false, departmentId: 1 }, 1)).toBe(false);
    expect(isAssignableManager({ role: 'operator', active: true, departmentId: 2 }, 1)).toBe(false);
    expect(isAssignableManager({ role: 'finance', active: true, departmentId: 1 }, 1)).toBe(false);
  });

  it('tells the new manager, unless they assigned themselves', () => {
    expect(assignmentRecipients({ managerId: 7, assignedByStaffId: 5 })).toEqual([7]);
    expect(assignmentRecipients({ managerId: 7, assignedByStaffId: null })).toEqual([7]);
    expect(assignmentRecipients({ managerId: 5, assignedByStaffId: 5 })).toEqual([]);
  });
});
