import { hashPassword } from '../auth/password-hash';
import type { Logger } from '../logger';
import { inTransaction, type Db, type DbClient } from './pool';
import { recordAudit } from './repositories/audit-repository';
import { createClientsRepository } from './repositories/clients-repository';
import { setClientTimeZone } from './repositories/outbound-rules-repository';
import { seedDemoOrders } from './demo-orders';
import { departmentsRepository } from './repositories/departments-repository';
import { queuesRepository } from './repositories/queues-repository';
import { createStaffRepository } from './repositories/staff-repository';
import { insertUser } from './repositories/users-repository';
import type { BusinessHoursSchedule } from '../routing/business-hours-schedule';
import { ivrFlowStore, routingConfigStore } from './config-stores';
import { validateFlowForScope, validateRoutingAgainstDirectory } from './config-validation';
import { DEFAULT_FLOW } from '../ivr/default-flow';
import { DEFAULT_ROUTING_CONFIG } from '../routing/default-routing-config';
import { unwrapValidation } from '../routing/validation-result';

/** The shipped IVR flow and routing config as version 1, validated against the demo directory just written. */
async function publishDefaultConfig(client: DbClient, businessHours: BusinessHoursSchedule): Promise<void> {
  const system = { userId: null, username: 'system' };
  // The hotline's hours travel with the routing config (versioned, published): their one source of truth (issue 17).
  const routing = unwrapValidation('the default routing config', await validateRoutingAgainstDirectory(client, { ...DEFAULT_ROUTING_CONFIG, businessHours }));
  const routingDraft = await routingConfigStore.createDraft(client, null, routing, 'shipped default', system);
  await routingConfigStore.publish(client, null, routingDraft.version, system);
  const flow = unwrapValidation('the default IVR flow', await validateFlowForScope(client, DEFAULT_FLOW.name, DEFAULT_FLOW));
  const flowDraft = await ivrFlowStore.createDraft(client, flow.name, flow, 'shipped default', system);
  await ivrFlowStore.publish(client, flow.name, flowDraft.version, system);
}

/** The demo clients' regions and the IANA zone each lies in. */
const DEMO_TIME_ZONES: Readonly<Record<string, string>> = {
  Moscow: 'Europe/Moscow', Tver: 'Europe/Moscow', Tula: 'Europe/Moscow', Cluj: 'Europe/Bucharest',
};

/** Password of every demo account (API login and SIP softphone): development only, printed by `npm start`. */
export const DEMO_PASSWORD = 'demo-pass-1';

/** The web logins the demo data creates, all with DEMO_PASSWORD (SIP usernames are the staff keys, same password). */
export const DEMO_LOGINS: readonly string[] = ['supervisor', 'anna', 'ion', 'olga', 'pavel', 'elena', 'tatiana', 'svetlana', 'dmitri', 'head_wholesale', 'head_retail'];

export interface DemoSeedOptions {
  defaultCountry: string;
  sipRealm: string;
  logger: Logger;
  /** Open around the clock instead of office hours: end-to-end tests must not depend on the time of day they run at. */
  alwaysOpen?: boolean;
  /** Extra seeding steps (default IVR flow, routing config) contributed by other domains. */
  extraSteps?: Array<(client: DbClient, ids: DemoIds) => Promise<void>>;
}

export interface DemoIds {
  departments: Record<string, number>;
  staff: Record<string, number>;
  queues: Record<string, number>;
}

/**
 * The demo data set, loaded once on the first start of an empty database: two
 * departments' heads, three operators (one regional), two key-account
 * managers, one finance person, and clients of every type.
 */
export async function seedDemoData(db: Db, options: DemoSeedOptions): Promise<'seeded' | 'skipped'> {
  return inTransaction(db, async (client) => {
    // Serialises concurrent first starts of several processes.
    await client.query('SELECT pg_advisory_xact_lock(4242001)');
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM departments');
    if ((rows[0]?.n ?? 0) > 0) return 'skipped';

    const staffRepo = createStaffRepository(options.sipRealm);
    const clientsRepo = createClientsRepository(options.defaultCountry);
    const ids: DemoIds = { departments: {}, staff: {}, queues: {} };

    const departments: Array<[string, string]> = [
      ['wholesale_sales', 'Wholesale sales'],
      ['retail_sales', 'Retail sales'],
      ['regional_sales', 'Regional sales'],
      ['finance', 'Finance service'],
      ['quality_control', 'Quality control'],
      ['second_line', 'Second line support'],
    ];
    for (const [code, name] of departments) ids.departments[code] = (await departmentsRepository.create(client, { code, name })).id;

    const people: Array<{ key: string; fullName: string; role: string; department: string; skills?: Record<string, number>; languages?: string[] }> = [
      { key: 'head_wholesale', fullName: 'Irina Sokolova', role: 'department_head', department: 'wholesale_sales' },
      { key: 'head_retail', fullName: 'Marek Nowak', role: 'department_head', department: 'retail_sales', languages: ['pl', 'ru', 'en'] },
      { key: 'anna', fullName: 'Anna Petrova', role: 'operator', department: 'wholesale_sales', skills: { orders: 3 }, languages: ['ru', 'en'] },
      { key: 'ion', fullName: 'Ion Popescu', role: 'operator', department: 'regional_sales', skills: { orders: 3, regional: 3 }, languages: ['ro', 'ru'] },
      { key: 'olga', fullName: 'Olga Smirnova', role: 'operator', department: 'retail_sales', skills: { orders: 2 }, languages: ['ru'] },
      { key: 'pavel', fullName: 'Pavel Orlov', role: 'key_account_manager', department: 'wholesale_sales' },
      { key: 'elena', fullName: 'Elena Kuznetsova', role: 'key_account_manager', department: 'wholesale_sales', languages: ['ru', 'en'] },
      { key: 'tatiana', fullName: 'Tatiana Volkova', role: 'finance', department: 'finance' },
      { key: 'svetlana', fullName: 'Svetlana Belova', role: 'quality', department: 'quality_control' },
      { key: 'dmitri', fullName: 'Dmitri Lebedev', role: 'department_head', department: 'second_line', skills: { second_line: 3 } },
    ];
    for (const p of people) {
      const created = await staffRepo.create(client, {
        fullName: p.fullName, role: p.role, departmentId: ids.departments[p.department],
        skills: p.skills ?? {}, languages: p.languages ?? ['ru'], sipUsername: p.key, sipPassword: DEMO_PASSWORD,
        // Operators call clients back and dormant clients out (rule 10); managers and heads call their clients.
        canDialOut: ['operator', 'key_account_manager', 'department_head'].includes(p.role),
      });
      ids.staff[p.key] = created.id;
    }
    await departmentsRepository.update(client, ids.departments.wholesale_sales as number, { headStaffId: ids.staff.head_wholesale });
    await departmentsRepository.update(client, ids.departments.retail_sales as number, { headStaffId: ids.staff.head_retail });
    // The default routing config names a head for every department it can send a caller to.
    const otherHeads: Array<[string, string]> = [['regional_sales', 'head_wholesale'], ['finance', 'tatiana'], ['quality_control', 'svetlana'], ['second_line', 'dmitri']];
    for (const [department, head] of otherHeads) {
      await departmentsRepository.update(client, ids.departments[department] as number, { headStaffId: ids.staff[head] });
    }

    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const username of DEMO_LOGINS) {
      if (username === 'supervisor') await insertUser(client, { username, passwordHash, role: 'supervisor' });
      else await insertUser(client, { username, passwordHash, role: 'operator', staffId: ids.staff[username] ?? null });
    }

    const businessHours: BusinessHoursSchedule = {
      timezone: 'Europe/Moscow',
      hours: options.alwaysOpen
        ? [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' }))
        : DEFAULT_ROUTING_CONFIG.businessHours.hours.map((h) => ({ ...h })),
      holidays: [{ date: '2027-01-01', name: 'New Year' }, { date: '2027-01-07', name: 'Orthodox Christmas' }],
    };
    // No queue sets its own priority by client type: the routing config's (key 9 … retail 4) orders every queue's callers,
    // and a queue's own would now override it (issue 17), as the operators queue's old flat 3/2/2/2 silently would have.
    const queues = [
      { name: 'operators', label: 'Operators (orders and enquiries)', departmentId: ids.departments.wholesale_sales, memberIds: [ids.staff.anna, ids.staff.ion, ids.staff.olga] },
      { name: 'regional', label: 'Regional orders', departmentId: ids.departments.regional_sales, requiredSkills: { regional: 1 }, memberIds: [ids.staff.ion], overflowTarget: { kind: 'queue', queue: 'operators' }, maxWaitSeconds: 120 },
      { name: 'key_accounts', label: 'Key-account managers', departmentId: ids.departments.wholesale_sales, memberIds: [ids.staff.pavel, ids.staff.elena], strategy: 'linear' },
      { name: 'finance', label: 'Finance service', departmentId: ids.departments.finance, memberIds: [ids.staff.tatiana] },
      { name: 'quality_control', label: 'Quality control', departmentId: ids.departments.quality_control, memberIds: [ids.staff.svetlana] },
      { name: 'second_line', label: 'Second line support', departmentId: ids.departments.second_line, requiredSkills: { second_line: 1 }, memberIds: [ids.staff.dmitri] },
    ];
    for (const q of queues) ids.queues[q.name] = (await queuesRepository.create(client, q)).id;

    const clients = [
      { name: 'Sadovod market, stall 14', type: 'market', managerId: ids.staff.anna, region: 'Moscow', phones: ['+7 (495) 100-00-01'], lastOrderAt: '2026-11-02' },
      { name: 'Dormant stall 31', type: 'market', managerId: ids.staff.anna, region: 'Moscow', phones: ['+7 (495) 100-00-07'], lastOrderAt: '2026-03-15', notes: 'No order for two quarters: dormant-client call list.' },
      { name: 'Prodtorg LLC', type: 'key', managerId: ids.staff.pavel, region: 'Moscow', phones: ['+7 (495) 100-00-02', '+7 (916) 100-00-02'], creditLimit: 2_000_000, balance: 350_000, lastOrderAt: '2026-11-20' },
      { name: 'Company outlet No. 3', type: 'own_point', managerId: ids.staff.head_retail, region: 'Moscow', phones: ['+7 (495) 100-00-03'] },
      { name: 'Ugolok grocery', type: 'retail', managerId: ids.staff.olga, region: 'Moscow', phones: ['+7 (495) 100-00-04'], creditLimit: 100_000, balance: 20_000 },
      { name: 'Tver Wholesale Base', type: 'regional', managerId: ids.staff.ion, region: 'Tver', phones: ['+7 (4822) 10-00-05'], language: 'ru' },
      { name: 'Kolos market stall (overdue)', type: 'market', managerId: ids.staff.anna, region: 'Moscow', phones: ['+7 (495) 100-00-06'], overdueDebt: 15_000, creditLimit: 50_000, balance: 62_000, notes: 'Overdue since October.' },
      { name: 'Cluj Distribution SRL', type: 'regional', managerId: ids.staff.ion, region: 'Cluj', phones: ['0040 264 100 008'], language: 'ro' },
      { name: 'New shop, no manager yet', type: 'retail', managerId: null, region: 'Tula', phones: ['+7 (4872) 10-00-09'] },
    ];
    for (const c of clients) {
      const created = await clientsRepo.create(client, c);
      // Campaigns and callbacks call within 09:00–21:00 of the client's own zone; a card without one gets the hours all of
      // the number's country shares (for Russia only 07:00–09:00 UTC), so the demo would hardly ever dial.
      await setClientTimeZone(client, created.id, DEMO_TIME_ZONES[c.region] ?? null);
    }
    // Order history for the dormant-clients campaign list (issue 7), dated relative to today.
    await seedDemoOrders(client, clientsRepo, { operatorId: ids.staff.anna as number, queueId: ids.queues.operators });

    await publishDefaultConfig(client, businessHours);
    for (const step of options.extraSteps ?? []) await step(client, ids);
    await recordAudit(client, { userId: null, username: 'system' }, { action: 'import', entity: 'demo data', entityId: null, after: { departments: departments.length, staff: people.length, clients: clients.length } });
    options.logger.info({ staff: people.length, clients: clients.length }, 'demo data loaded');
    return 'seeded';
  });
}
