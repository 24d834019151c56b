import { transferPlanFor, TRANSFER_PERSON_RING_SECONDS } from '../../../../src/sip/call-session/transfer-plan';
import type { DirectorySnapshot } from '../../../../src/routing/directory-snapshot';
import type { ClientFacts } from '../../../../src/routing/client-facts';

const directory: DirectorySnapshot = {
  queues: ['operators', 'finance'],
  departments: [
    { code: 'wholesale_sales', name: 'Wholesale sales', headStaffId: 10, queue: 'operators' },
    { code: 'finance', name: 'Finance service', headStaffId: 20, queue: 'finance' },
    { code: 'quality_control', name: 'Quality control', headStaffId: 30, queue: null },
  ],
  staff: [
    { id: 3, name: 'Anna Petrova', role: 'operator', departmentCode: 'wholesale_sales', active: true, skills: {}, languages: [] },
    { id: 7, name: 'Pavel Orlov', role: 'key_account_manager', departmentCode: 'wholesale_sales', active: true, skills: {}, languages: [] },
    { id: 30, name: 'Olga QC', role: 'quality', departmentCode: 'quality_control', active: true, skills: {}, languages: [] },
    { id: 9, name: 'Gone Away', role: 'operator', departmentCode: null, active: false, skills: {}, languages: [] },
  ],
} as unknown as DirectorySnapshot;
const client = { id: 42, type: 'key', managerId: 7 } as unknown as ClientFacts;

/** Where a transferred caller waits, decided from the directory alone (no drachtio, no Redis). */
describe('transfer plan', () => {
  it('a queue: that queue, at the routing config\'s priority', () => {
    const { plan, fact } = transferPlanFor({ kind: 'queue', queue: 'finance' }, directory, null, 5);
    expect(plan).toMatchObject({ queueId: 'finance', priority: 5 });
    expect(fact).toEqual({ kind: 'queue', queue: 'finance', label: 'finance' });
  });

  it('a person: rung for the transfer ring time, then their department\'s queue', () => {
    const { plan, fact } = transferPlanFor({ kind: 'person', staffId: 7 }, directory, null, 5);
    expect(fact).toEqual({ kind: 'person', staffId: 7, label: 'Pavel Orlov' });
    expect(plan).toEqual({
      queueId: 'operators', priority: 5,
      stages: [
        { afterMs: 0, scope: { type: 'agents', agentIds: ['7'] }, ringMs: TRANSFER_PERSON_RING_SECONDS * 1000 },
        { afterMs: TRANSFER_PERSON_RING_SECONDS * 1000, scope: { type: 'queue' } },
      ],
    });
  });

  it('a named service keeps its name on the record with what it resolved to; the client\'s manager is that person', () => {
    expect(transferPlanFor({ kind: 'finance' }, directory, null, 5).fact).toEqual({ kind: 'finance', department: 'finance', queue: 'finance', label: 'Finance service' });
    expect(transferPlanFor({ kind: 'manager' }, directory, client, 5).fact).toEqual({ kind: 'person', staffId: 7, label: 'client manager Pavel Orlov' });
  });

  it('refuses what the directory does not have or what cannot take calls (NOT_FOUND)', () => {
    expect(() => transferPlanFor({ kind: 'queue', queue: 'vip' }, directory, null, 5)).toThrow('queue vip does not exist');
    expect(() => transferPlanFor({ kind: 'person', staffId: 9 }, directory, null, 5)).toThrow('staff member 9 does not exist or is inactive');
    expect(() => transferPlanFor({ kind: 'department', department: 'nowhere' }, directory, null, 5)).toThrow('department nowhere does not exist');
    expect(() => transferPlanFor({ kind: 'manager' }, directory, null, 5)).toThrow();
  });
});
