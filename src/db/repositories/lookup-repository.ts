import type { Queryable } from '../pool';

/** Small admin-extensible code lists: client types, disposition codes, not-ready reasons. */
export interface LookupTable {
  entity: string;
  table: 'client_types' | 'disposition_codes' | 'not_ready_reasons';
}

export const CLIENT_TYPES: LookupTable = { entity: 'client type', table: 'client_types' };
export const DISPOSITION_CODES: LookupTable = { entity: 'disposition code', table: 'disposition_codes' };
export const NOT_READY_REASONS: LookupTable = { entity: 'not-ready reason', table: 'not_ready_reasons' };

export interface LookupEntry {
  code: string;
  label: string;
  builtIn?: boolean;
  active?: boolean;
}

export async function listLookup(q: Queryable, lookup: LookupTable): Promise<LookupEntry[]> {
  const { rows } = await q.query<Record<string, unknown>>(`SELECT * FROM ${lookup.table} ORDER BY code`);
  return rows.map((r) => ({
    code: r.code as string,
    label: r.label as string,
    ...('built_in' in r ? { builtIn: r.built_in as boolean } : {}),
    ...('active' in r ? { active: r.active as boolean } : {}),
  }));
}

export async function insertLookup(q: Queryable, lookup: LookupTable, entry: { code: string; label: string }): Promise<LookupEntry> {
  await q.query(`INSERT INTO ${lookup.table} (code, label) VALUES ($1, $2)`, [entry.code, entry.label]);
  const all = await listLookup(q, lookup);
  return all.find((e) => e.code === entry.code) as LookupEntry;
}
