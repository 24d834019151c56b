import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';

/**
 * DESIGN.md §1, one row per business rule and per fallback step, through
 * POST /api/ivr/simulate against the demo directory, the shipped IVR flow and
 * the shipped routing config, on real Postgres and Redis.
 */
const OPEN = '2026-11-24T10:00:00+03:00'; // a Tuesday morning in Moscow

interface Row {
  rule: string;
  caller: string;
  digits: string;
  at?: string;
  absent?: string[];
  unstaffedQueues?: string[];
  expect: {
    state?: string;
    ruleId?: string;
    reason?: string | RegExp;
    target?: string;
    fallback?: string[];
    pathIncludes?: string[];
    prompts?: string[];
    callbackRequested?: boolean;
  };
}

const rows: Row[] = [
  { rule: '3: operators take orders from market clients', caller: '+7 (495) 100-00-01', digits: '1',
    expect: { ruleId: 'operator_clients', reason: 'order from market client Sadovod market, stall 14 — queue operators, priority 5', target: 'queue operators', fallback: [] } },
  { rule: '3: … and from own outlets, with their priority', caller: '+7 495 100-00-03', digits: '1',
    expect: { ruleId: 'operator_clients', reason: 'order from own_point client Company outlet No. 3 — queue operators, priority 7', target: 'queue operators' } },
  { rule: '3: price/assortment/delivery enquiries from retail clients go to operators', caller: '+7 495 100-00-04', digits: '23',
    expect: { ruleId: 'operator_clients', reason: 'delivery enquiry from retail client Ugolok grocery — queue operators, priority 4', target: 'queue operators', pathIncludes: ['enquiry_menu', 'route_delivery'] } },
  { rule: '4: key client → own key-account manager, with the chain behind', caller: '8 495 100-00-02', digits: '1',
    expect: { ruleId: 'key_client', reason: 'key client Prodtorg LLC — own manager Pavel Orlov → key-account manager Elena Kuznetsova → head of Wholesale sales Irina Sokolova → queue operators, priority 9', target: 'person Pavel Orlov', fallback: ['person Elena Kuznetsova', 'person Irina Sokolova', 'queue operators'] } },
  { rule: '4 fallback 1: own manager absent → another key-account manager', caller: '8 495 100-00-02', digits: '1', absent: ['Pavel Orlov'],
    expect: { ruleId: 'key_client', reason: 'key client Prodtorg LLC — key-account manager Elena Kuznetsova → head of Wholesale sales Irina Sokolova → queue operators, priority 9 (own manager Pavel Orlov absent)', target: 'person Elena Kuznetsova' } },
  { rule: '4 fallback 2: no key-account manager free → head of wholesale sales', caller: '8 495 100-00-02', digits: '1', absent: ['Pavel Orlov', 'Elena Kuznetsova'],
    expect: { ruleId: 'key_client', target: 'person Irina Sokolova', reason: /^key client Prodtorg LLC — head of Wholesale sales Irina Sokolova → queue operators, priority 9 \(own manager Pavel Orlov absent; key-account manager Elena Kuznetsova absent\)$/ } },
  { rule: '4 fallback 3: nobody of the chain there → operators, never a dropped call', caller: '8 495 100-00-02', digits: '1', absent: ['Pavel Orlov', 'Elena Kuznetsova', 'Irina Sokolova'],
    expect: { ruleId: 'key_client', target: 'queue operators', reason: /nobody in the chain is logged in — last resort\)$/ } },
  { rule: '5: overdue debt on an order → debt notice, then own manager → finance', caller: '8 495 100-00-06', digits: '1',
    expect: { ruleId: 'debt_on_order', reason: 'overdue debt 15 000 — own manager Anna Petrova → Finance service', target: 'person Anna Petrova', fallback: ['department finance'], pathIncludes: ['debt_notice'], prompts: ['greeting', 'main_menu', 'debt_notice'] } },
  { rule: '5 fallback: manager absent → finance service', caller: '8 495 100-00-06', digits: '1', absent: ['Anna Petrova'],
    expect: { ruleId: 'debt_on_order', reason: 'overdue debt 15 000 — Finance service (own manager Anna Petrova absent)', target: 'department finance' } },
  { rule: '5: balance over the credit limit counts as debt too', caller: '+7 495 100-00-10', digits: '1',
    expect: { ruleId: 'debt_on_order', reason: 'balance 12 500 over limit 10 000 — own manager Anna Petrova → Finance service', target: 'person Anna Petrova', pathIncludes: ['debt_notice'] } },
  { rule: '5: a debtor\'s enquiry (not an order) is still served by operators', caller: '8 495 100-00-06', digits: '21',
    expect: { ruleId: 'operator_clients', target: 'queue operators', reason: 'price enquiry from market client Kolos market stall (overdue) — queue operators, priority 5' } },
  { rule: '3+6: a new caller goes to the head of the relevant department', caller: '+7 495 999-99-99', digits: '1',
    expect: { ruleId: 'new_caller', reason: 'new caller (order) for manager assignment — head of Wholesale sales Irina Sokolova → queue operators, priority 1', target: 'person Irina Sokolova' } },
  { rule: '6: a known client without a manager is a new client for its department head', caller: '+7 4872 10-00-09', digits: '1',
    expect: { ruleId: 'no_manager', reason: 'retail client New shop, no manager yet without a manager, for assignment — head of Retail sales Marek Nowak → queue operators, priority 4', target: 'person Marek Nowak' } },
  { rule: '7: other matter → the client\'s manager', caller: '+7 495 100-00-04', digits: '3',
    expect: { ruleId: 'other_matter', reason: 'other matter from retail client Ugolok grocery — own manager Olga Smirnova → head of Retail sales Marek Nowak → queue operators, priority 4', target: 'person Olga Smirnova', fallback: ['person Marek Nowak', 'queue operators'] } },
  { rule: '7 fallback: manager absent → head of that manager\'s department', caller: '+7 495 100-00-04', digits: '3', absent: ['Olga Smirnova'],
    expect: { ruleId: 'other_matter', reason: 'other matter from retail client Ugolok grocery — head of Retail sales Marek Nowak → queue operators, priority 4 (own manager Olga Smirnova absent)', target: 'person Marek Nowak' } },
  { rule: '8: regional clients → operators with the regional skill', caller: '+7 (4822) 10-00-05', digits: '1',
    expect: { ruleId: 'regional_client', reason: 'order from regional client Tver Wholesale Base — queue regional (skills regional), priority 6', target: 'queue regional' } },
  { rule: '11: nobody in the regional queue → operators help (overflow)', caller: '+7 (4822) 10-00-05', digits: '1', unstaffedQueues: ['regional'],
    expect: { ruleId: 'regional_client', reason: 'order from regional client Tver Wholesale Base — queue operators (skills regional), priority 6 (nobody logged in to queue regional)', target: 'queue operators' } },
  { rule: '12: complaints → quality control', caller: '+7 495 100-00-04', digits: '4',
    expect: { ruleId: 'complaint', reason: 'complaint from Ugolok grocery — Quality control', target: 'department quality_control' } },
  { rule: '12: technical questions → second line', caller: '+7 495 100-00-04', digits: '5',
    expect: { ruleId: 'second_line', reason: 'second-line request from Ugolok grocery — queue second_line, priority 4', target: 'queue second_line' } },
  { rule: 'per-client override wins over the type rules', caller: '+7 495 100-00-11', digits: '1',
    expect: { ruleId: 'client_override', target: 'person Elena Kuznetsova', reason: /Elena Kuznetsova/ } },
  { rule: 'menu 0: a person, by the client\'s type', caller: '+7 495 100-00-01', digits: '0',
    expect: { ruleId: 'operator_clients', reason: 'operator request from market client Sadovod market, stall 14 — queue operators, priority 5', target: 'queue operators' } },
  { rule: 'silence: retries, then an operator rather than a hang-up', caller: '+7 495 100-00-04', digits: 'ttt',
    expect: { ruleId: 'operator_clients', target: 'queue operators', prompts: ['greeting', 'main_menu', 'no_input', 'main_menu', 'no_input', 'main_menu'] } },
  { rule: 'invalid keys: retries, then an operator', caller: '+7 495 100-00-04', digits: '999',
    expect: { ruleId: 'operator_clients', target: 'queue operators', prompts: ['greeting', 'main_menu', 'invalid_choice', 'main_menu', 'invalid_choice', 'main_menu'] } },
  { rule: 'after hours: message and a callback offer, accepted', caller: '+7 495 100-00-04', digits: '1', at: '2026-11-22T03:00:00+03:00',
    expect: { state: 'hung_up', callbackRequested: true, pathIncludes: ['after_hours', 'callback_offer', 'callback_confirmed'] } },
  { rule: 'a holiday is after hours too', caller: '+7 495 100-00-04', digits: '2', at: '2027-01-01T10:00:00+03:00',
    expect: { state: 'hung_up', callbackRequested: false, pathIncludes: ['after_hours', 'callback_offer'] } },
];

describe('business rules through the IVR simulator (real Postgres and Redis, demo data)', () => {
  let h: ApiHarness;
  const staffIds = new Map<string, number>();
  const names = new Map<number, string>();

  beforeAll(async () => {
    h = await startApiHarness({ demo: true });
    const staff = await h.call('GET', '/api/staff', { token: h.tokens.admin });
    for (const s of staff.body as Array<{ id: number; fullName: string }>) {
      staffIds.set(s.fullName, s.id);
      names.set(s.id, s.fullName);
    }
    const anna = staffIds.get('Anna Petrova');
    await h.call('POST', '/api/clients', { token: h.tokens.admin, body: { name: 'Over Limit Shop', type: 'market', managerId: anna, creditLimit: 10000, balance: 12500, phones: ['+7 495 100-00-10'] } });
    const override = await h.call('POST', '/api/clients', {
      token: h.tokens.admin,
      body: { name: 'Override Client', type: 'market', managerId: anna, phones: ['+7 495 100-00-11'], routingOverride: { kind: 'person', staffId: staffIds.get('Elena Kuznetsova') } },
    });
    expect(override.status).toBe(201);
  });
  afterAll(async () => {
    await h.close();
  });

  const describeTarget = (t: Record<string, unknown>): string => {
    if (t.kind === 'queue') return `queue ${String(t.queue)}`;
    if (t.kind === 'person') return `person ${String(t.name)}`;
    if (t.kind === 'department') return `department ${String(t.department)}`;
    return `${String(t.kind)} ${typeof t.action === 'string' ? t.action : ''}`.trim();
  };

  it.each(rows.map((r) => [r.rule, r] as const))('%s', async (_rule, row) => {
    const availability = {
      ...(row.absent ? { absentStaffIds: row.absent.map((n) => staffIds.get(n) as number) } : {}),
      ...(row.unstaffedQueues ? { unstaffedQueues: row.unstaffedQueues } : {}),
    };
    const result = await h.call('POST', '/api/ivr/simulate', {
      token: h.tokens.supervisor,
      body: { callerNumber: row.caller, digits: row.digits, at: row.at ?? OPEN, availability },
    });
    expect(result.status).toBe(200);
    const body = result.body;
    expect(body.state).toBe(row.expect.state ?? 'routed');
    if (row.expect.ruleId) expect(body.decision.ruleId).toBe(row.expect.ruleId);
    if (typeof row.expect.reason === 'string') expect(body.decision.reason).toBe(row.expect.reason);
    if (row.expect.reason instanceof RegExp) expect(body.decision.reason).toMatch(row.expect.reason);
    if (row.expect.target) expect(describeTarget(body.decision.target)).toBe(row.expect.target);
    if (row.expect.fallback) expect((body.decision.target.fallback ?? []).map(describeTarget)).toEqual(row.expect.fallback);
    for (const node of row.expect.pathIncludes ?? []) expect(body.path).toContain(node);
    if (row.expect.prompts) expect(body.prompts.map((p: { promptId: string }) => p.promptId)).toEqual(row.expect.prompts);
    if (row.expect.callbackRequested !== undefined) expect(body.callbackRequested).toBe(row.expect.callbackRequested);
    if (row.expect.state === undefined) expect(body.decision).not.toBeNull();
  });

  it('plays prompts in the client\'s language', async () => {
    await h.call('POST', '/api/clients', { token: h.tokens.admin, body: { name: 'English Buyer', type: 'retail', language: 'en', phones: ['+7 495 100-00-12'] } });
    const en = await h.call('POST', '/api/ivr/simulate', { token: h.tokens.admin, body: { callerNumber: '+74951000012', digits: '1', at: OPEN } });
    expect(en.body.prompts[0]).toMatchObject({ promptId: 'greeting', language: 'en' });
    const ru = await h.call('POST', '/api/ivr/simulate', { token: h.tokens.admin, body: { callerNumber: '+74951000001', digits: '1', at: OPEN } });
    expect(ru.body.prompts[0]).toMatchObject({ promptId: 'greeting', language: 'ru' });
  });

  it('refuses a bad caller script, an unknown version and an operator', async () => {
    const script = await h.call('POST', '/api/ivr/simulate', { token: h.tokens.admin, body: { callerNumber: '+74951000001', digits: '1x' } });
    expect(script.status).toBe(400);
    expect(script.body.error.message).toMatch(/body\/digits must match pattern/);
    const version = await h.call('POST', '/api/ivr/simulate', { token: h.tokens.admin, body: { callerNumber: '+74951000001', flowVersion: 99 } });
    expect(version.status).toBe(404);
    expect(version.body.error.message).toBe('IVR flow "main" version 99 does not exist');
    expect((await h.call('POST', '/api/ivr/simulate', { token: h.tokens.operator, body: { callerNumber: '+74951000001' } })).status).toBe(403);
  });
});
