import type { ClientRecord } from '../../directory/directory-records';
import { normalisePhone, tryNormalisePhone } from '../../directory/phone-number';
import { AppError } from '../../errors/app-error';
import type { Queryable } from '../pool';
import { ResourceRepository, type Row } from '../resource-repository';

export interface PhoneEntry {
  number: string;
  label: string;
}

/** Phone input as the API takes it: a string or {number, label}; normalised to E.164, duplicates refused. */
export function normalisePhoneList(input: unknown, defaultCountry: string): PhoneEntry[] {
  const list = input as Array<string | { number: string; label?: string }>;
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const raw = typeof entry === 'string' ? entry : entry.number;
    const label = typeof entry === 'string' ? '' : entry.label ?? '';
    const number = normalisePhone(raw, defaultCountry, `/phones/${i}`);
    if (seen.has(number)) {
      throw new AppError('VALIDATION_FAILED', `phone ${number} is listed twice`, [{ path: `/phones/${i}`, message: `${raw} is the same number as an earlier entry (${number})` }]);
    }
    seen.add(number);
    return { number, label };
  });
}

async function loadPhones(q: Queryable, records: ClientRecord[]): Promise<void> {
  const { rows } = await q.query<{ client_id: number; e164: string; label: string }>(
    'SELECT client_id, e164, label FROM client_phones WHERE client_id = ANY($1) ORDER BY position, id',
    [records.map((r) => r.id)],
  );
  for (const record of records) {
    record.phones = rows.filter((r) => r.client_id === record.id).map((r) => ({ number: r.e164, label: r.label }));
    const overdue = record.overdueDebt > 0;
    const overLimit = record.balance > record.creditLimit;
    record.debt = { overdue, overLimit, ordersAllowed: !overdue && !overLimit };
  }
}

/** Refuses numbers that belong to another client, naming that client (the unique index is the last line of defence). */
export async function assertPhonesFree(q: Queryable, phones: PhoneEntry[], clientId: number | null): Promise<void> {
  if (phones.length === 0) return;
  const { rows } = await q.query<{ e164: string; client_id: number; name: string }>(
    'SELECT p.e164, p.client_id, c.name FROM client_phones p JOIN clients c ON c.id = p.client_id WHERE p.e164 = ANY($1) AND p.client_id <> $2',
    [phones.map((p) => p.number), clientId ?? 0],
  );
  const taken = rows[0];
  if (taken) {
    throw new AppError('CONFLICT', `phone ${taken.e164} already belongs to client ${taken.client_id} (${taken.name})`, [
      { path: `/phones/${phones.findIndex((p) => p.number === taken.e164)}`, message: `${taken.e164} already belongs to client ${taken.client_id} (${taken.name})` },
    ]);
  }
}

async function writePhones(q: Queryable, clientId: number, input: Row): Promise<void> {
  const phones = input.phones as PhoneEntry[] | undefined;
  if (phones === undefined) return;
  await assertPhonesFree(q, phones, clientId);
  await q.query('DELETE FROM client_phones WHERE client_id = $1', [clientId]);
  for (const [position, phone] of phones.entries()) {
    await q.query('INSERT INTO client_phones (client_id, e164, label, position) VALUES ($1, $2, $3, $4)', [clientId, phone.number, phone.label, position]);
  }
}

/** The client directory; every phone is stored in E.164 so that any written form finds the same client. */
export function createClientsRepository(defaultCountry: string): ResourceRepository<ClientRecord> {
  return new ResourceRepository<ClientRecord>({
    entity: 'client',
    table: 'clients',
    orderBy: 'name, id',
    fields: {
      id: { column: 'id', readOnly: true },
      name: { column: 'name' },
      type: { column: 'type' },
      managerId: { column: 'manager_id' },
      region: { column: 'region' },
      language: { column: 'language' },
      overdueDebt: { column: 'overdue_debt' },
      creditLimit: { column: 'credit_limit' },
      balance: { column: 'balance' },
      lastOrderAt: { column: 'last_order_at' },
      notes: { column: 'notes' },
      routingOverride: { column: 'routing_override', json: true },
      createdAt: { column: 'created_at', readOnly: true },
      updatedAt: { column: 'updated_at', readOnly: true },
    },
    filter: (query, param) => {
      const clauses: string[] = [];
      if (typeof query.q === 'string') clauses.push(`lower(name) LIKE ${param(`%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
      if (typeof query.type === 'string') clauses.push(`type = ${param(query.type)}`);
      if (typeof query.managerId === 'number') clauses.push(`manager_id = ${param(query.managerId)}`);
      if (typeof query.phone === 'string') {
        // An unreadable number matches nobody rather than everybody.
        const e164 = tryNormalisePhone(query.phone, defaultCountry);
        clauses.push(`id IN (SELECT client_id FROM client_phones WHERE e164 = ${param(e164 ?? '')})`);
      }
      return clauses;
    },
    prepare: (input) => (input.phones === undefined ? input : { ...input, phones: normalisePhoneList(input.phones, defaultCountry) }),
    loadExtras: loadPhones,
    writeExtras: writePhones,
  });
}
