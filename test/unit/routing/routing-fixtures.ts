import type { AvailabilitySnapshot, Presence } from '../../../src/routing/availability-snapshot';
import type { ClientFacts } from '../../../src/routing/client-facts';
import type { DirectorySnapshot, DirectoryStaff } from '../../../src/routing/directory-snapshot';

/** Staff of the test company; ids are referenced by name in the tests. */
export const STAFF = {
  ivanov: 1, // key-account manager, wholesale sales
  petrov: 2, // key-account manager, wholesale sales
  sidorov: 3, // head of wholesale sales
  smirnova: 4, // sales manager, wholesale sales
  kuznetsov: 5, // head of regional sales
  volkova: 6, // sales manager, regional sales
  orlova: 7, // head of retail sales
  morozov: 8, // head of finance
  pavlova: 9, // head of quality control
  egorov: 10, // head of second line
  fedorov: 11, // former key-account manager, inactive
  lebedev: 12, // key-account manager, wholesale sales
} as const;

const person = (
  id: number,
  name: string,
  role: string,
  departmentCode: string,
  keyAccountManager = false,
  active = true,
): DirectoryStaff => ({ id, name, role, departmentCode, keyAccountManager, active });

export const DIRECTORY: DirectorySnapshot = {
  queues: ['operators', 'regional', 'second_line', 'finance'],
  departments: [
    { code: 'wholesale_sales', name: 'Wholesale sales', headStaffId: STAFF.sidorov, queue: null },
    { code: 'regional_sales', name: 'Regional sales', headStaffId: STAFF.kuznetsov, queue: 'regional' },
    { code: 'retail_sales', name: 'Retail sales', headStaffId: STAFF.orlova, queue: null },
    { code: 'finance', name: 'Finance', headStaffId: STAFF.morozov, queue: 'finance' },
    { code: 'quality_control', name: 'Quality control', headStaffId: STAFF.pavlova, queue: null },
    { code: 'second_line', name: 'Second line', headStaffId: STAFF.egorov, queue: 'second_line' },
    { code: 'logistics', name: 'Logistics', headStaffId: null, queue: null },
  ],
  staff: [
    person(STAFF.ivanov, 'Ivanov', 'key_account_manager', 'wholesale_sales', true),
    person(STAFF.petrov, 'Petrov', 'key_account_manager', 'wholesale_sales', true),
    person(STAFF.sidorov, 'Sidorov', 'department_head', 'wholesale_sales'),
    person(STAFF.smirnova, 'Smirnova', 'operator', 'wholesale_sales'),
    person(STAFF.kuznetsov, 'Kuznetsov', 'department_head', 'regional_sales'),
    person(STAFF.volkova, 'Volkova', 'operator', 'regional_sales'),
    person(STAFF.orlova, 'Orlova', 'department_head', 'retail_sales'),
    person(STAFF.morozov, 'Morozov', 'finance', 'finance'),
    person(STAFF.pavlova, 'Pavlova', 'quality', 'quality_control'),
    person(STAFF.egorov, 'Egorov', 'department_head', 'second_line'),
    person(STAFF.fedorov, 'Fedorov', 'key_account_manager', 'wholesale_sales', true, false),
    person(STAFF.lebedev, 'Lebedev', 'key_account_manager', 'wholesale_sales', true),
  ],
  clientTypes: ['market', 'key', 'own_point', 'retail', 'regional', 'horeca'],
};

/** Everyone available, every queue staffed; `overrides` changes single people. */
export function availability(
  overrides: Partial<Record<keyof typeof STAFF, Presence>> = {},
  queues: Partial<Record<string, [loggedIn: number, available: number]>> = {},
): AvailabilitySnapshot {
  const staffPresence = (Object.keys(STAFF) as Array<keyof typeof STAFF>).map((key) => ({
    staffId: STAFF[key],
    presence: overrides[key] ?? 'available',
  }));
  const base: Record<string, [number, number]> = { operators: [5, 2], regional: [2, 1], second_line: [1, 1], finance: [1, 1] };
  const merged = { ...base, ...queues } as Record<string, [number, number]>;
  return {
    staff: staffPresence,
    queues: Object.entries(merged).map(([queue, [agentsLoggedIn, agentsAvailable]]) => ({ queue, agentsLoggedIn, agentsAvailable })),
  };
}

/** A client of the given type with a manager and no debt; fields overridable. */
export function client(type: string, overrides: Partial<ClientFacts> = {}): ClientFacts {
  return {
    id: 100,
    name: 'Romashka LLC',
    type,
    managerId: STAFF.smirnova,
    region: null,
    language: 'ru',
    overdueDebt: 0,
    creditLimit: 50000,
    balance: 0,
    overrideTarget: null,
    ...overrides,
  };
}

/** Wednesday 2026-03-11 12:00 in Moscow (09:00 UTC): open. */
export const OPEN_TIME = new Date('2026-03-11T09:00:00Z');
/** Wednesday 2026-03-11 22:30 in Moscow: closed. */
export const NIGHT_TIME = new Date('2026-03-11T19:30:00Z');
/** 2026-05-09 noon in Moscow, a Saturday and a holiday. */
export const HOLIDAY_TIME = new Date('2026-05-09T09:00:00Z');
