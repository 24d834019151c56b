import type { ClientFacts } from '../../routing/client-facts';
import type { TargetSpec } from '../../routing/target-spec';
import type { Queryable } from '../pool';

interface Row {
  id: number;
  name: string;
  type: string;
  manager_id: number | null;
  region: string | null;
  language: string;
  overdue_debt: number;
  credit_limit: number;
  balance: number;
  routing_override: TargetSpec | null;
}

/** The routing-relevant facts of the client owning an E.164 number, or null when none does. */
export async function findClientFactsByPhone(q: Queryable, e164: string): Promise<ClientFacts | null> {
  const { rows } = await q.query<Row>(
    `SELECT c.id, c.name, c.type, c.manager_id, c.region, c.language, c.overdue_debt, c.credit_limit, c.balance, c.routing_override
     FROM client_phones p JOIN clients c ON c.id = p.client_id WHERE p.e164 = $1`,
    [e164],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id, name: row.name, type: row.type, managerId: row.manager_id, region: row.region, language: row.language,
    overdueDebt: row.overdue_debt, creditLimit: row.credit_limit, balance: row.balance, overrideTarget: row.routing_override,
  };
}
