import type { RoutingConfig } from './routing-config-schema';

/**
 * Queue names and department codes the default config refers to; the seed
 * must create them (with department heads) before this config validates.
 */
export const DEFAULT_ROUTING_REFERENCES = {
  queues: ['operators', 'regional', 'second_line'],
  departments: ['wholesale_sales', 'regional_sales', 'retail_sales', 'finance', 'quality_control', 'second_line'],
  prompts: ['after_hours', 'debt_notice'],
} as const;

const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '20:00' }));

/**
 * The seed routing config: the operator instruction of DESIGN.md §1 as
 * ordered rules. Order matters — first match wins:
 *  - after hours first: nobody is there to take anything else;
 *  - complaints and second line before the client override, so quality
 *    control hears complaints even about a client's favourite contact;
 *  - the debt check before the type rules, because rule 5 applies to every
 *    order, key clients' included;
 *  - new callers before key clients: a key client without a manager is
 *    still a client to be assigned one (rule 6).
 */
export const DEFAULT_ROUTING_CONFIG: RoutingConfig = {
  schemaVersion: 1,
  businessHours: {
    timezone: 'Europe/Moscow',
    hours: [...weekdays, { weekday: 6, opens: '09:00', closes: '17:00' }],
    holidays: [
      { date: '2026-01-01', name: 'New Year' },
      { date: '2026-01-07', name: 'Orthodox Christmas' },
      { date: '2026-05-09', name: 'Victory Day' },
    ],
  },
  defaults: { ringTimeoutSeconds: 20, priority: 1 },
  priorityByClientType: { key: 9, own_point: 7, regional: 6, market: 5, retail: 4 },
  rules: [
    {
      id: 'after_hours',
      when: { businessHours: 'closed' },
      target: { kind: 'after_hours', action: 'callback', promptId: 'after_hours' },
      reason: '{closedBecause}',
    },
    {
      id: 'complaint',
      when: { intents: ['complaint'] },
      target: { kind: 'department', department: 'quality_control' },
      reason: 'complaint from {clientName}',
    },
    {
      id: 'second_line',
      when: { intents: ['second_line'] },
      target: { kind: 'queue', queue: 'second_line' },
      reason: 'second-line request from {clientName}',
    },
    {
      id: 'client_override',
      when: { hasOverride: true },
      target: { kind: 'client_override' },
      reason: 'client override for {clientName}',
    },
    {
      id: 'debt_on_order',
      when: { intents: ['order'], inDebt: true },
      announcement: 'debt_notice',
      target: { kind: 'client_manager', fallback: [{ kind: 'department', department: 'finance' }] },
      reason: '{debt}',
    },
    {
      id: 'new_caller',
      when: { known: false },
      target: newClientHead(),
      reason: 'new caller ({intent}) for manager assignment',
    },
    {
      id: 'no_manager',
      when: { hasManager: false },
      target: newClientHead(),
      reason: '{clientType} client {clientName} without a manager, for assignment',
    },
    {
      id: 'key_client',
      when: { clientTypes: ['key'] },
      target: {
        kind: 'client_manager',
        fallback: [{ kind: 'key_account_managers' }, { kind: 'department_head', department: 'wholesale_sales' }],
      },
      reason: 'key client {clientName}',
    },
    {
      id: 'other_matter',
      when: { intents: ['other'] },
      target: { kind: 'client_manager', fallback: [{ kind: 'manager_department_head' }] },
      reason: 'other matter from {clientType} client {clientName}',
    },
    {
      id: 'regional_client',
      when: { clientTypes: ['regional'], intents: ['order', 'enquiry', 'operator'] },
      // Without anyone in the regional queue, a regional-skilled operator in the main queue will do.
      target: {
        kind: 'queue',
        queue: 'regional',
        requiredSkills: { regional: 1 },
        fallback: [{ kind: 'queue', queue: 'operators', requiredSkills: { regional: 1 } }],
      },
      reason: '{intent} from regional client {clientName}',
    },
    {
      id: 'operator_clients',
      when: { clientTypes: ['market', 'own_point', 'retail'], intents: ['order', 'enquiry', 'operator'] },
      target: { kind: 'queue', queue: 'operators' },
      reason: '{intent} from {clientType} client {clientName}',
    },
    {
      // Client types an admin adds later land with the operators until a rule names them.
      id: 'everyone_else',
      when: {},
      target: { kind: 'queue', queue: 'operators' },
      reason: '{intent} from {clientType} client {clientName}',
    },
  ],
  lastResort: { kind: 'queue', queue: 'operators' },
};

function newClientHead(): RoutingConfig['rules'][number]['target'] {
  return {
    kind: 'relevant_department_head',
    byClientType: { regional: 'regional_sales', retail: 'retail_sales', own_point: 'retail_sales' },
    byIntent: { order: 'wholesale_sales', enquiry: 'wholesale_sales', other: 'wholesale_sales' },
    default: 'wholesale_sales',
  };
}
