import type { Queryable } from './pool';
import { AppError } from '../errors/app-error';

/** How one API field is stored: its column, and whether it is a jsonb column (pg would turn JS arrays into SQL arrays). */
export interface FieldSpec {
  column: string;
  json?: boolean;
  /** Read-only fields are returned but never written from a request (ids, timestamps). */
  readOnly?: boolean;
  /** A `numeric` column: pg hands it over as a string (to keep its precision); the API shows a number. */
  numeric?: boolean;
}

export type FieldMap = Record<string, FieldSpec>;
export type Row = Record<string, unknown>;

/** Adds a bound value and returns its `$n` placeholder. */
export type BindParam = (value: unknown) => string;

export interface ResourceSpec<TRecord extends Row> {
  /** Name used in the audit log and in error messages, e.g. "client". */
  entity: string;
  table: string;
  fields: FieldMap;
  orderBy: string;
  /** Turns list query parameters into WHERE clauses. */
  filter?: (query: Record<string, unknown>, param: BindParam) => string[];
  /** Fields computed from the input before writing (e.g. a SIP password → HA1). */
  prepare?: (input: Row, existing: TRecord | null) => Row;
  /** Child rows that travel with the record (phones, members, hours). */
  loadExtras?: (q: Queryable, records: TRecord[]) => Promise<void>;
  writeExtras?: (q: Queryable, id: number, input: Row) => Promise<void>;
  /** Fields never shown outside (hashes). */
  hidden?: string[];
}

export function fromRow<T extends Row>(fields: FieldMap, row: Row): T {
  const out: Row = {};
  for (const [field, spec] of Object.entries(fields)) {
    const value = row[spec.column];
    out[field] = value instanceof Date ? value.toISOString() : spec.numeric && typeof value === 'string' ? Number(value) : value;
  }
  return out as T;
}

function writableColumns(fields: FieldMap, input: Row): { columns: string[]; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [field, spec] of Object.entries(fields)) {
    if (spec.readOnly || !(field in input) || input[field] === undefined) continue;
    columns.push(spec.column);
    const value = input[field];
    values.push(spec.json && value !== null ? JSON.stringify(value) : value);
  }
  return { columns, values };
}

/**
 * Plain CRUD over one table plus its child rows. Only SQL lives here; who may
 * call it, validation and auditing belong to the caller.
 */
export class ResourceRepository<TRecord extends Row & { id: number }> {
  constructor(readonly spec: ResourceSpec<TRecord>) {}

  private strip(record: TRecord): TRecord {
    for (const field of this.spec.hidden ?? []) delete record[field];
    return record;
  }

  async list(q: Queryable, query: Record<string, unknown> = {}, page: { limit: number; offset: number } = { limit: 500, offset: 0 }): Promise<TRecord[]> {
    const values: unknown[] = [];
    const param: BindParam = (value) => {
      values.push(value);
      return `$${values.length}`;
    };
    const clauses = this.spec.filter ? this.spec.filter(query, param) : [];
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    const { rows } = await q.query<Row>(
      `SELECT * FROM ${this.spec.table} ${where} ORDER BY ${this.spec.orderBy} LIMIT ${param(page.limit)} OFFSET ${param(page.offset)}`,
      values,
    );
    const records = rows.map((row) => fromRow<TRecord>(this.spec.fields, row));
    if (this.spec.loadExtras && records.length > 0) await this.spec.loadExtras(q, records);
    return records.map((r) => this.strip(r));
  }

  /** The record as stored, hidden fields included (for prepare/audit); null when absent. */
  async findRaw(q: Queryable, id: number, lock = false): Promise<TRecord | null> {
    const { rows } = await q.query<Row>(`SELECT * FROM ${this.spec.table} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!rows[0]) return null;
    const record = fromRow<TRecord>(this.spec.fields, rows[0]);
    if (this.spec.loadExtras) await this.spec.loadExtras(q, [record]);
    return record;
  }

  async get(q: Queryable, id: number): Promise<TRecord> {
    const record = await this.findRaw(q, id);
    if (!record) throw new AppError('NOT_FOUND', `${this.spec.entity} ${id} does not exist`);
    return this.strip(record);
  }

  async create(q: Queryable, input: Row): Promise<TRecord> {
    const prepared = this.spec.prepare ? this.spec.prepare(input, null) : input;
    const { columns, values } = writableColumns(this.spec.fields, prepared);
    const placeholders = values.map((_, i) => `$${i + 1}`);
    const { rows } = await q.query<{ id: number }>(
      columns.length > 0
        ? `INSERT INTO ${this.spec.table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id`
        : `INSERT INTO ${this.spec.table} DEFAULT VALUES RETURNING id`,
      values,
    );
    const id = (rows[0] as { id: number }).id;
    if (this.spec.writeExtras) await this.spec.writeExtras(q, id, prepared);
    return this.get(q, id);
  }

  async update(q: Queryable, id: number, patch: Row): Promise<{ before: TRecord; after: TRecord }> {
    const before = await this.findRaw(q, id, true);
    if (!before) throw new AppError('NOT_FOUND', `${this.spec.entity} ${id} does not exist`);
    const prepared = this.spec.prepare ? this.spec.prepare(patch, before) : patch;
    const { columns, values } = writableColumns(this.spec.fields, prepared);
    if (columns.length > 0) {
      const sets = columns.map((column, i) => `${column} = $${i + 2}`);
      if ('updatedAt' in this.spec.fields) sets.push('updated_at = now()');
      await q.query(`UPDATE ${this.spec.table} SET ${sets.join(', ')} WHERE id = $1`, [id, ...values]);
    }
    if (this.spec.writeExtras) await this.spec.writeExtras(q, id, prepared);
    return { before: this.strip({ ...before }), after: await this.get(q, id) };
  }

  async remove(q: Queryable, id: number): Promise<TRecord> {
    const before = await this.findRaw(q, id, true);
    if (!before) throw new AppError('NOT_FOUND', `${this.spec.entity} ${id} does not exist`);
    await q.query(`DELETE FROM ${this.spec.table} WHERE id = $1`, [id]);
    return this.strip(before);
  }
}
