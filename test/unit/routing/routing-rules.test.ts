import type { AvailabilitySnapshot } from '../../../src/routing/availability-snapshot';
import type { CallerChoice } from '../../../src/routing/caller-choice';
import type { ClientFacts } from '../../../src/routing/client-facts';
import { decideRoute } from '../../../src/routing/decide-route';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import type { RoutingConfig } from '../../../src/routing/routing-config-schema';
import { validateRoutingConfig } from '../../../src/routing/routing-config-validator';
import { formatIssue } from '../../../src/routing/validation-result';
import { DIRECTORY, HOLIDAY_TIME, NIGHT_TIME, OPEN_TIME, STAFF, availability, client } from './routing-fixtures';
import { summarise } from './route-summary';

/**
 * One row per business rule of DESIGN.md §1 that routing decides, and one per
 * fallback step. Rules 1 (recording), 9 (consult transfer), 10 (outbound) and
 * 11 (overflow between queues at wait time) are not routing decisions; they
 * belong to the media, softphone and ACD tiers. Rule 11's decision-time part —
 * an unstaffed queue falls through to the next — is row 8b.
 */
interface Row {
  rule: string;
  client: ClientFacts | null;
  choice: CallerChoice;
  availability?: AvailabilitySnapshot;
  now?: Date;
  announcementsPlayed?: string[];
  config?: RoutingConfig;
  ruleId: string;
  target: string;
  announcement?: string | null;
  reason: string;
}

const key = (overrides: Partial<ClientFacts> = {}) => client('key', { name: 'Metro Cash', managerId: STAFF.ivanov, ...overrides });
const order: CallerChoice = { intent: 'order' };
const KAM_CHAIN = 'person:Petrov → person:Lebedev → person:Sidorov → queue:operators/p9';

const rows: Row[] = [
  // Rules 2 + 3: operators take orders and enquiries from every type but key and new.
  {
    rule: '3 market order → operators',
    client: client('market'),
    choice: order,
    ruleId: 'operator_clients',
    target: 'queue:operators/p5',
    reason: 'order from market client Romashka LLC — queue operators, priority 5',
  },
  {
    rule: '3 own_point order → operators, own priority',
    client: client('own_point', { name: 'Outlet 7' }),
    choice: order,
    ruleId: 'operator_clients',
    target: 'queue:operators/p7',
    reason: 'order from own_point client Outlet 7 — queue operators, priority 7',
  },
  {
    rule: '3 retail price enquiry → operators',
    client: client('retail'),
    choice: { intent: 'enquiry', topic: 'price' },
    ruleId: 'operator_clients',
    target: 'queue:operators/p4',
    reason: 'price enquiry from retail client Romashka LLC — queue operators, priority 4',
  },
  {
    rule: '3 market delivery enquiry → operators',
    client: client('market'),
    choice: { intent: 'enquiry', topic: 'delivery' },
    ruleId: 'operator_clients',
    target: 'queue:operators/p5',
    reason: 'delivery enquiry from market client Romashka LLC — queue operators, priority 5',
  },
  {
    rule: '2 admin-added client type → operators, default priority',
    client: client('horeca', { name: 'Cafe Luna' }),
    choice: order,
    ruleId: 'everyone_else',
    target: 'queue:operators/p1',
    reason: 'order from horeca client Cafe Luna — queue operators, priority 1',
  },
  // Rule 4 and each of its fallback steps.
  {
    rule: '4 key client → own key-account manager, chain to other KAMs and the head',
    client: key(),
    choice: order,
    ruleId: 'key_client',
    target: `person:Ivanov → ${KAM_CHAIN}`,
    reason:
      'key client Metro Cash — own manager Ivanov → key-account manager Petrov → key-account manager Lebedev → head of Wholesale sales Sidorov → queue operators, priority 9',
  },
  {
    rule: '4 fallback 1: own KAM absent → another (free) KAM',
    client: key(),
    choice: order,
    availability: availability({ ivanov: 'logged_out', petrov: 'busy' }),
    ruleId: 'key_client',
    target: 'person:Lebedev → person:Petrov → person:Sidorov → queue:operators/p9',
    reason:
      'key client Metro Cash — key-account manager Lebedev → key-account manager Petrov → head of Wholesale sales Sidorov → queue operators, priority 9 (own manager Ivanov absent)',
  },
  {
    rule: '4 fallback 1b: own KAM busy on another call → a free KAM, own KAM noted',
    client: key(),
    choice: order,
    availability: availability({ ivanov: 'busy' }),
    ruleId: 'key_client',
    target: 'person:Petrov → person:Lebedev → person:Sidorov → queue:operators/p9',
    reason:
      'key client Metro Cash — key-account manager Petrov → key-account manager Lebedev → head of Wholesale sales Sidorov → queue operators, priority 9 (own manager Ivanov busy)',
  },
  {
    rule: '4 fallback 2: no KAM free → head of wholesale sales',
    client: key(),
    choice: { intent: 'other' },
    availability: availability({ ivanov: 'logged_out', petrov: 'busy', lebedev: 'not_ready' }),
    ruleId: 'key_client',
    target: 'person:Sidorov → queue:operators/p9',
    reason:
      'key client Metro Cash — head of Wholesale sales Sidorov → queue operators, priority 9 (own manager Ivanov absent; key-account manager Petrov busy; key-account manager Lebedev busy)',
  },
  {
    rule: '4 fallback 3: nobody of the chain logged in → last resort queue',
    client: key(),
    choice: order,
    availability: availability({ ivanov: 'logged_out', petrov: 'logged_out', lebedev: 'logged_out', sidorov: 'logged_out' }),
    ruleId: 'key_client',
    target: 'queue:operators/p9',
    reason:
      'key client Metro Cash — queue operators, priority 9 (own manager Ivanov absent; key-account manager Petrov absent; key-account manager Lebedev absent; head of Wholesale sales Sidorov absent; nobody in the chain is logged in — last resort)',
  },
  // Rule 5 and its fallback.
  {
    rule: '5 overdue debt on order → debt notice, manager, then finance',
    client: client('market', { overdueDebt: 12000 }),
    choice: order,
    ruleId: 'debt_on_order',
    target: 'person:Smirnova → department:finance',
    announcement: 'debt_notice',
    reason: 'overdue debt 12 000 — debt notice, then own manager Smirnova → Finance',
  },
  {
    rule: '5 balance over the limit on order (key client too) → debt notice, manager, finance',
    client: key({ balance: 60000.5, creditLimit: 50000 }),
    choice: order,
    ruleId: 'debt_on_order',
    target: 'person:Ivanov → department:finance',
    announcement: 'debt_notice',
    reason: 'balance 60 000.50 over limit 50 000 — debt notice, then own manager Ivanov → Finance',
  },
  {
    rule: '5 fallback: manager absent → finance service',
    client: client('market', { overdueDebt: 500 }),
    choice: order,
    availability: availability({ smirnova: 'logged_out' }),
    ruleId: 'debt_on_order',
    target: 'department:finance',
    announcement: 'debt_notice',
    reason: 'overdue debt 500 — debt notice, then Finance (own manager Smirnova absent)',
  },
  {
    rule: '5 the IVR already played the debt notice → not announced twice',
    client: client('market', { overdueDebt: 500 }),
    choice: order,
    announcementsPlayed: ['greeting', 'debt_notice'],
    ruleId: 'debt_on_order',
    target: 'person:Smirnova → department:finance',
    announcement: null,
    reason: 'overdue debt 500 — own manager Smirnova → Finance',
  },
  {
    rule: '5 debt does not block an enquiry',
    client: client('market', { overdueDebt: 500 }),
    choice: { intent: 'enquiry', topic: 'assortment' },
    ruleId: 'operator_clients',
    target: 'queue:operators/p5',
    reason: 'assortment enquiry from market client Romashka LLC — queue operators, priority 5',
  },
  // Rule 6.
  {
    rule: '6 new caller → head of the relevant department (by IVR choice)',
    client: null,
    choice: order,
    ruleId: 'new_caller',
    target: 'person:Sidorov → queue:operators/p1',
    reason: 'new caller (order) for manager assignment — head of Wholesale sales Sidorov → queue operators, priority 1',
  },
  {
    rule: '6 known client without manager → head of the department for its type',
    client: client('regional', { managerId: null, name: 'Tomsk Foods' }),
    choice: order,
    ruleId: 'no_manager',
    target: 'person:Kuznetsov → queue:operators/p6',
    reason:
      'regional client Tomsk Foods without a manager, for assignment — head of Regional sales Kuznetsov → queue operators, priority 6',
  },
  {
    rule: '6 fallback: head absent → last resort',
    client: null,
    choice: { intent: 'operator' },
    availability: availability({ sidorov: 'logged_out' }),
    ruleId: 'new_caller',
    target: 'queue:operators/p1',
    reason:
      'new caller (operator request) for manager assignment — queue operators, priority 1 (head of Wholesale sales Sidorov absent; nobody in the chain is logged in — last resort)',
  },
  // Rule 7 and its fallback.
  {
    rule: '7 other matter → client’s manager, then head of that department',
    client: client('market'),
    choice: { intent: 'other' },
    ruleId: 'other_matter',
    target: 'person:Smirnova → person:Sidorov → queue:operators/p5',
    reason:
      'other matter from market client Romashka LLC — own manager Smirnova → head of Wholesale sales Sidorov → queue operators, priority 5',
  },
  {
    rule: '7 fallback: manager absent → head of the manager’s department',
    client: client('regional', { managerId: STAFF.volkova }),
    choice: { intent: 'other' },
    availability: availability({ volkova: 'logged_out' }),
    ruleId: 'other_matter',
    target: 'person:Kuznetsov → queue:operators/p6',
    reason:
      'other matter from regional client Romashka LLC — head of Regional sales Kuznetsov → queue operators, priority 6 (own manager Volkova absent)',
  },
  // Rule 8 (and the decision-time half of rule 11).
  {
    rule: '8 regional client → regional queue with the regional skill',
    client: client('regional', { region: 'Siberia' }),
    choice: order,
    ruleId: 'regional_client',
    target: 'queue:regional/p6[regional>=1]',
    reason: 'order from regional client Romashka LLC — queue regional (skills regional), priority 6',
  },
  {
    rule: '8b/11 regional queue unstaffed → regional-skilled operators in the main queue',
    client: client('regional'),
    choice: { intent: 'operator' },
    availability: availability({}, { regional: [0, 0] }),
    ruleId: 'regional_client',
    target: 'queue:operators/p6[regional>=1]',
    reason:
      'operator request from regional client Romashka LLC — queue operators (skills regional), priority 6 (nobody logged in to queue regional)',
  },
  // Rule 12.
  {
    rule: '12 complaint → quality control',
    client: key(),
    choice: { intent: 'complaint', text: 'damaged goods' },
    ruleId: 'complaint',
    target: 'department:quality_control',
    reason: 'complaint from Metro Cash — Quality control',
  },
  {
    rule: '12 second-line request → second line queue',
    client: null,
    choice: { intent: 'second_line' },
    ruleId: 'second_line',
    target: 'queue:second_line/p1',
    reason: 'second-line request from new caller — queue second_line, priority 1',
  },
  // Business hours (24/7 centers configure an always-open schedule).
  {
    rule: 'hours: outside business hours → after-hours callback',
    client: key(),
    choice: order,
    now: NIGHT_TIME,
    ruleId: 'after_hours',
    target: 'after_hours:callback',
    reason: 'outside business hours — after-hours message and callback offer',
  },
  {
    rule: 'hours: holiday → after-hours callback',
    client: client('market'),
    choice: order,
    now: HOLIDAY_TIME,
    ruleId: 'after_hours',
    target: 'after_hours:callback',
    reason: 'holiday Victory Day — after-hours message and callback offer',
  },
  // Per-client override wins over type rules.
  {
    rule: 'override: a named person wins over the key-client rule',
    client: key({ overrideTarget: { kind: 'person', staffId: STAFF.orlova, fallback: [{ kind: 'department', department: 'finance' }] } }),
    choice: order,
    ruleId: 'client_override',
    target: 'person:Orlova → department:finance',
    reason: 'client override for Metro Cash — Orlova (client override) → Finance',
  },
  {
    rule: 'override: a config rule by client id wins over type rules',
    client: client('market', { id: 4242 }),
    choice: order,
    config: {
      ...DEFAULT_ROUTING_CONFIG,
      rules: [
        { id: 'vip_4242', when: { clientIds: [4242] }, target: { kind: 'person', staffId: STAFF.petrov }, reason: 'VIP {clientName}' },
        ...DEFAULT_ROUTING_CONFIG.rules,
      ],
    },
    ruleId: 'vip_4242',
    target: 'person:Petrov → queue:operators/p5',
    reason: 'VIP Romashka LLC — Petrov → queue operators, priority 5',
  },
];

describe('routing: one row per business rule and fallback step', () => {
  it('the shipped config is valid against the test directory', () => {
    const result = validateRoutingConfig(DEFAULT_ROUTING_CONFIG, DIRECTORY, { promptIds: ['after_hours', 'debt_notice'] });
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([]);
  });

  it.each(rows.map((r) => [r.rule, r] as const))('%s', (_name, row) => {
    const decision = decideRoute({
      call: { callerNumber: '+74951234567', dialledNumber: '+74950000000' },
      client: row.client,
      choice: row.choice,
      availability: row.availability ?? availability(),
      directory: DIRECTORY,
      now: row.now ?? OPEN_TIME,
      config: row.config ?? DEFAULT_ROUTING_CONFIG,
      ...(row.announcementsPlayed ? { announcementsPlayed: row.announcementsPlayed } : {}),
    });
    expect({ ruleId: decision.ruleId, target: summarise(decision.target), reason: decision.reason }).toEqual({
      ruleId: row.ruleId,
      target: row.target,
      reason: row.reason,
    });
    expect(decision.announcement).toBe(row.announcement ?? null);
  });

  it('a person target carries ring timeouts and ids the ACD needs', () => {
    const decision = decideRoute({
      call: { callerNumber: null, dialledNumber: null },
      client: key(),
      choice: order,
      availability: availability(),
      directory: DIRECTORY,
      now: OPEN_TIME,
      config: DEFAULT_ROUTING_CONFIG,
    });
    expect(decision.target).toMatchObject({ kind: 'person', staffId: STAFF.ivanov, role: 'client_manager', ringTimeoutSeconds: 20 });
    if (decision.target.kind !== 'person') throw new Error('expected a person');
    expect(decision.target.fallback.map((s) => (s.kind === 'person' ? s.staffId : s.kind))).toEqual([
      STAFF.petrov,
      STAFF.lebedev,
      STAFF.sidorov,
      'queue',
    ]);
  });

  it('is pure: the same input gives the same decision, inputs untouched', () => {
    const input = {
      call: { callerNumber: null, dialledNumber: null },
      client: key(),
      choice: order,
      availability: availability({ ivanov: 'busy' }),
      directory: DIRECTORY,
      now: OPEN_TIME,
      config: DEFAULT_ROUTING_CONFIG,
    };
    const before = JSON.stringify(input);
    expect(decideRoute(input)).toEqual(decideRoute(input));
    expect(JSON.stringify(input)).toBe(before);
  });
});
