import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import type { RoutingConfig } from '../../../src/routing/routing-config-schema';
import { validateOverrideTarget, validateRoutingConfig } from '../../../src/routing/routing-config-validator';
import { formatIssue, unwrapValidation } from '../../../src/routing/validation-result';
import { AppError } from '../../../src/errors/app-error';
import { edited, type JsonEditor } from './json-edit';
import { DIRECTORY, STAFF } from './routing-fixtures';

/** A copy of the default config with edits applied. */
const mutate = (edit: (e: JsonEditor) => void): unknown => edited(DEFAULT_ROUTING_CONFIG, edit);

function issuesOf(doc: unknown): string[] {
  const result = validateRoutingConfig(doc, DIRECTORY, { promptIds: ['after_hours', 'debt_notice'] });
  return result.ok ? [] : result.errors.map(formatIssue);
}

// Default rule indexes: 0 after_hours, 1 complaint, 2 second_line, 3 client_override, 4 debt_on_order,
// 5 new_caller, 6 no_manager, 7 key_client, 8 other_matter, 9 regional_client, 10 operator_clients, 11 everyone_else.
const corpus: Array<[name: string, doc: unknown, expected: string]> = [
  [
    'unknown queue in a fallback chain',
    mutate((d) => d.set('rules.9.target.fallback.0.queue', 'vip')),
    "rules[9].target.fallback[0].queue: unknown queue 'vip'",
  ],
  ['unknown queue as target', mutate((d) => d.set('rules.2.target.queue', 'tech')), "rules[2].target.queue: unknown queue 'tech'"],
  [
    'unknown person',
    mutate((d) => d.set('rules.7.target.fallback.1', { kind: 'person', staffId: 999 })),
    'rules[7].target.fallback[1].staffId: unknown person 999',
  ],
  [
    'inactive person',
    mutate((d) => d.set('rules.3.target', { kind: 'person', staffId: STAFF.fedorov })),
    'rules[3].target.staffId: person 11 (Fedorov) is inactive',
  ],
  ['unknown department', mutate((d) => d.set('rules.1.target.department', 'qc')), "rules[1].target.department: unknown department 'qc'"],
  [
    'department head where the department has none',
    mutate((d) => d.set('rules.7.target.fallback.1.department', 'logistics')),
    "rules[7].target.fallback[1].department: department 'logistics' has no head",
  ],
  [
    'department with neither queue nor head',
    mutate((d) => d.set('rules.1.target.department', 'logistics')),
    "rules[1].target.department: department 'logistics' has neither a queue nor a head",
  ],
  [
    'unknown department in the new-caller mapping',
    mutate((d) => d.set('rules.5.target.byIntent.order', 'sales')),
    "rules[5].target.byIntent.order: unknown department 'sales'",
  ],
  [
    'fallback chain loops back to the client manager',
    mutate((d) => d.push('rules.7.target.fallback', { kind: 'client_manager' })),
    'rules[7].target.fallback[2]: fallback chain loops back to client_manager (already at rules[7].target)',
  ],
  [
    'fallback chain loops back to a queue',
    mutate((d) => d.push('rules.9.target.fallback', { kind: 'queue', queue: 'regional' })),
    "rules[9].target.fallback[1]: fallback chain loops back to queue 'regional' (already at rules[9].target)",
  ],
  [
    'fallback loops to the same person through a department head',
    mutate((d) => d.set('rules.8.target', { kind: 'person', staffId: STAFF.sidorov, fallback: [{ kind: 'department_head', department: 'wholesale_sales' }] })),
    "rules[8].target.fallback[0]: fallback chain loops back to person 3 (head of 'wholesale_sales') (already at rules[8].target)",
  ],
  [
    'a step after an after-hours action',
    mutate((d) => d.set('rules.0.target.fallback', [{ kind: 'queue', queue: 'operators' }])),
    'rules[0].target.fallback[0]: unreachable: the chain ends at rules[0].target (after_hours)',
  ],
  ['duplicate rule id', mutate((d) => d.set('rules.8.id', 'key_client')), "rules[8].id: duplicate rule id 'key_client' (also rules[7])"],
  [
    'a rule after a catch-all',
    mutate((d) => d.push('rules', { id: 'late', when: { intents: ['order'] }, target: { kind: 'queue', queue: 'operators' }, reason: 'late' })),
    "rules[12]: never used: rules[11] ('everyone_else') matches every call before it",
  ],
  [
    'unknown client type in a condition',
    mutate((d) => d.set('rules.10.when.clientTypes', ['market', 'wholesale'])),
    "rules[10].when.clientTypes[1]: unknown client type 'wholesale'",
  ],
  [
    'unknown client type in priorities',
    mutate((d) => d.set('priorityByClientType.vip', 10)),
    "priorityByClientType.vip: unknown client type 'vip'",
  ],
  ['unknown placeholder in a reason', mutate((d) => d.set('rules.4.reason', 'debt {amount}')), 'rules[4].reason: unknown placeholder {amount}'],
  ['unknown announcement prompt', mutate((d) => d.set('rules.4.announcement', 'debt_warning')), "rules[4].announcement: unknown prompt 'debt_warning'"],
  ['unknown after-hours prompt', mutate((d) => d.set('rules.0.target.promptId', 'closed')), "rules[0].target.promptId: unknown prompt 'closed'"],
  ['unknown time zone', mutate((d) => d.set('businessHours.timezone', 'Europe/Atlantis')), "businessHours.timezone: unknown time zone 'Europe/Atlantis'"],
  [
    'closing before opening',
    mutate((d) => d.set('businessHours.hours.0', { weekday: 1, opens: '20:00', closes: '08:00' })),
    'businessHours.hours[0]: closes (08:00) must be after opens (20:00)',
  ],
  [
    'a holiday that is not a date',
    mutate((d) => d.push('businessHours.holidays', { date: '2026-02-30' })),
    "businessHours.holidays[3].date: '2026-02-30' is not a calendar date",
  ],
  [
    'a person as last resort',
    mutate((d) => d.set('lastResort', { kind: 'person', staffId: STAFF.sidorov })),
    "lastResort.kind: last resort must be a queue, department or after_hours, not 'person' (it must work when nobody answers)",
  ],
  [
    'schema: unknown target kind',
    mutate((d) => d.set('rules.2.target', { kind: 'team', team: 'x' })),
    'rules[2].target.kind: unknown kind "team"; expected one of queue, person, department, department_head, client_manager, manager_department_head, key_account_managers, relevant_department_head, client_override, after_hours',
  ],
  ['schema: missing reason', mutate((d) => d.remove('rules.0.reason')), 'rules[0].reason: is required'],
  ['schema: misspelt property', mutate((d) => d.set('rules.1.target.departmnet', 'finance')), 'rules[1].target.departmnet: is not an allowed property'],
  ['schema: bad intent', mutate((d) => d.set('rules.4.when.intents', ['purchase'])), 'rules[4].when.intents[0]: expected one of order, enquiry, other, operator, complaint, second_line; got "purchase"'],
  ['schema: ring timeout out of range', mutate((d) => d.set('rules.7.target.ringTimeoutSeconds', 1)), 'rules[7].target.ringTimeoutSeconds: expected integer to be greater or equal to 5; got 1'],
];

describe('routing config validator', () => {
  it.each(corpus)('refuses %s', (_name, doc, expected) => {
    expect(issuesOf(doc)).toContain(expected);
  });

  it('accepts the default config and returns it typed', () => {
    expect(issuesOf(DEFAULT_ROUTING_CONFIG)).toEqual([]);
  });

  it('reports every issue at once, not only the first', () => {
    const doc = mutate((d) => {
      d.set('rules.1.target.department', 'qc');
      d.set('rules.2.target.queue', 'tech');
    });
    expect(issuesOf(doc)).toEqual(["rules[1].target.department: unknown department 'qc'", "rules[2].target.queue: unknown queue 'tech'"]);
  });

  it('turns into the catalogue VALIDATION_FAILED error naming the path', () => {
    const result = validateRoutingConfig(mutate((d) => d.set('rules.2.target.queue', 'tech')), DIRECTORY);
    let caught: unknown;
    try {
      unwrapValidation('routing config', result);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe("routing config is invalid: rules[2].target.queue: unknown queue 'tech'");
    expect(error.details).toEqual([{ path: 'rules[2].target.queue', message: "unknown queue 'tech'" }]);
  });

  it('checks per-client override targets the same way', () => {
    const bad = validateOverrideTarget({ kind: 'person', staffId: 4, fallback: [{ kind: 'client_override' }] }, DIRECTORY);
    expect(bad.ok ? [] : bad.errors.map(formatIssue)).toEqual([
      'overrideTarget.fallback[0].kind: a client override cannot refer to the client override',
    ]);
    const schema = validateOverrideTarget({ kind: 'person' }, DIRECTORY);
    expect(schema.ok ? [] : schema.errors.map(formatIssue)).toContain('overrideTarget.staffId: is required');
    const good: RoutingConfig['lastResort'] = { kind: 'person', staffId: STAFF.orlova };
    expect(validateOverrideTarget(good, DIRECTORY).ok).toBe(true);
  });
});
