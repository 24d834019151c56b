import { decideRoute } from '../../../src/routing/decide-route';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import type { DirectorySnapshot } from '../../../src/routing/directory-snapshot';
import type { RoutingConfig } from '../../../src/routing/routing-config-schema';
import { DIRECTORY, OPEN_TIME, STAFF, availability, client } from './routing-fixtures';

/**
 * Issue 15: a live call never meets a dangling reference. The API refuses to
 * remove what the published config relies on, but a row deleted through SQL
 * (a department's head set to NULL by the foreign key, a queue gone) can still
 * leave the config pointing at nothing. Routing then goes on to the next step
 * or the last resort, and says which references it found missing, so the call
 * session can log a warning and put an event on the call.
 */
const withoutHead = (code: string): DirectorySnapshot => ({
  ...DIRECTORY,
  departments: DIRECTORY.departments.map((d) => (d.code === code ? { ...d, headStaffId: null } : d)),
});

describe('routing around references the directory no longer has', () => {
  it('a new caller whose department has lost its head goes to the operators, and the gap is reported', () => {
    const decision = decideRoute({
      call: { callerNumber: '+74951234567', dialledNumber: null }, client: null, choice: { intent: 'order' },
      availability: availability(), directory: withoutHead('wholesale_sales'), now: OPEN_TIME, config: DEFAULT_ROUTING_CONFIG,
    });
    expect(decision.target).toMatchObject({ kind: 'queue', queue: 'operators' });
    expect(decision.ruleId).toBe('new_caller');
    expect(decision.directoryGaps).toEqual(['Wholesale sales has no head']);
    expect(decision.reason).toContain('Wholesale sales has no head');
  });

  it('a person deleted under a published rule, and a queue gone: skipped to the next step, each named', () => {
    const config: RoutingConfig = {
      ...DEFAULT_ROUTING_CONFIG,
      rules: [{ id: 'vip', when: {}, target: { kind: 'person', staffId: 999, fallback: [{ kind: 'queue', queue: 'vip_desk' }, { kind: 'person', staffId: STAFF.petrov }] }, reason: 'vip' }],
    };
    const decision = decideRoute({
      call: { callerNumber: '+74951234567', dialledNumber: null }, client: client('market'), choice: { intent: 'order' },
      availability: availability(), directory: DIRECTORY, now: OPEN_TIME, config,
    });
    expect(decision.target).toMatchObject({ kind: 'person', staffId: STAFF.petrov });
    expect(decision.directoryGaps).toEqual(['person 999 not in the directory', 'queue vip_desk not in the directory']);
  });

  it('an inactive manager is a gap; no manager at all (a new client) and nobody logged in are not', () => {
    const inactive = decideRoute({
      call: { callerNumber: '+74951234567', dialledNumber: null }, client: client('key', { managerId: STAFF.fedorov }), choice: { intent: 'order' },
      availability: availability(), directory: DIRECTORY, now: OPEN_TIME, config: DEFAULT_ROUTING_CONFIG,
    });
    expect(inactive.directoryGaps).toEqual([`manager ${STAFF.fedorov} not in the directory`]);
    const plain = decideRoute({
      call: { callerNumber: '+74951234567', dialledNumber: null }, client: client('market'), choice: { intent: 'order' },
      availability: availability({}, { operators: [0, 0] }), directory: DIRECTORY, now: OPEN_TIME, config: DEFAULT_ROUTING_CONFIG,
    });
    expect(plain.directoryGaps).toEqual([]);
  });
});
