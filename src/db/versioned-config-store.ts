import { AppError } from '../errors/app-error';
import type { Queryable } from './pool';
import { recordAudit, type Actor } from './repositories/audit-repository';

export type VersionStatus = 'draft' | 'published' | 'archived';

export interface ConfigVersion<TDocument = unknown> {
  version: number;
  status: VersionStatus;
  document: TDocument;
  comment: string;
  createdBy: string;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

interface Row {
  version: number;
  status: VersionStatus;
  document: unknown;
  comment: string;
  created_by: string;
  created_at: Date;
  published_by: string | null;
  published_at: Date | null;
}

export interface VersionedConfigSpec {
  /** The audit log's entity name, e.g. "routing config". */
  entity: string;
  table: 'ivr_flow_versions' | 'routing_config_versions' | 'quality_form_versions';
  /** The column that separates independent documents (IVR flows by name, quality forms by code); none for the single routing config. */
  scopeColumn: 'flow_name' | 'form_code' | null;
}

const toVersion = <T>(r: Row): ConfigVersion<T> => ({
  version: r.version, status: r.status, document: r.document as T, comment: r.comment,
  createdBy: r.created_by, createdAt: r.created_at.toISOString(),
  publishedBy: r.published_by, publishedAt: r.published_at ? r.published_at.toISOString() : null,
});

/**
 * Versions of one configuration document: drafts are edited, one version is
 * published at a time, publishing archives the previous one, a rollback
 * republishes an old document as a new version (history only grows). Every
 * change is audited in the same transaction; callers pass a transaction
 * client for writes.
 */
export class VersionedConfigStore<TDocument> {
  constructor(readonly spec: VersionedConfigSpec) {}

  /**
   * The WHERE clause for a scope plus an optional condition written with its
   * own `$1`; with a scope column that placeholder is shifted to `$2`.
   */
  private where(scope: string | null, extra = ''): { clause: string; values: unknown[] } {
    if (this.spec.scopeColumn) return { clause: `WHERE ${this.spec.scopeColumn} = $1${extra ? ` AND ${extra.replace(/\$(\d)/g, (_, n: string) => `$${Number(n) + 1}`)}` : ''}`, values: [scope] };
    return { clause: extra ? `WHERE ${extra}` : '', values: [] };
  }

  private describe(scope: string | null, version?: number): string {
    const name = this.spec.scopeColumn ? `${this.spec.entity} "${scope}"` : this.spec.entity;
    return version === undefined ? name : `${name} version ${version}`;
  }

  async list(q: Queryable, scope: string | null): Promise<Array<Omit<ConfigVersion<TDocument>, 'document'>>> {
    const { clause, values } = this.where(scope);
    const { rows } = await q.query<Row>(`SELECT * FROM ${this.spec.table} ${clause} ORDER BY version DESC`, values);
    return rows.map((r) => {
      const { document: _document, ...rest } = toVersion<TDocument>(r);
      return rest;
    });
  }

  async find(q: Queryable, scope: string | null, version: number, lock = false): Promise<ConfigVersion<TDocument> | null> {
    const { clause, values } = this.where(scope, 'version = $1');
    const { rows } = await q.query<Row>(`SELECT * FROM ${this.spec.table} ${clause}${lock ? ' FOR UPDATE' : ''}`, [...values, version]);
    return rows[0] ? toVersion<TDocument>(rows[0]) : null;
  }

  async get(q: Queryable, scope: string | null, version: number): Promise<ConfigVersion<TDocument>> {
    const found = await this.find(q, scope, version);
    if (!found) throw new AppError('NOT_FOUND', `${this.describe(scope, version)} does not exist`);
    return found;
  }

  async published(q: Queryable, scope: string | null): Promise<ConfigVersion<TDocument> | null> {
    const { clause, values } = this.where(scope, "status = 'published'");
    const { rows } = await q.query<Row>(`SELECT * FROM ${this.spec.table} ${clause}`, values);
    return rows[0] ? toVersion<TDocument>(rows[0]) : null;
  }

  /** Scopes that have any version (the IVR flow names). */
  async scopes(q: Queryable): Promise<string[]> {
    if (!this.spec.scopeColumn) return [];
    const { rows } = await q.query<{ scope: string }>(`SELECT DISTINCT ${this.spec.scopeColumn} AS scope FROM ${this.spec.table} ORDER BY 1`);
    return rows.map((r) => r.scope);
  }

  /** Serialises writers of one scope, so version numbers and the one-published rule never race. */
  private async lockScope(q: Queryable, scope: string | null): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.spec.table}:${scope ?? ''}`]);
  }

  async createDraft(q: Queryable, scope: string | null, document: TDocument, comment: string, actor: Actor): Promise<ConfigVersion<TDocument>> {
    await this.lockScope(q, scope);
    const { clause, values } = this.where(scope);
    const { rows } = await q.query<{ next: number }>(`SELECT COALESCE(max(version), 0) + 1 AS next FROM ${this.spec.table} ${clause}`, values);
    const version = (rows[0] as { next: number }).next;
    const columns = ['version', 'status', 'document', 'comment', 'created_by', ...(this.spec.scopeColumn ? [this.spec.scopeColumn] : [])];
    const inserted = await q.query<Row>(
      `INSERT INTO ${this.spec.table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
      [version, 'draft', JSON.stringify(document), comment, actor.username, ...(this.spec.scopeColumn ? [scope] : [])],
    );
    const created = toVersion<TDocument>(inserted.rows[0] as Row);
    await recordAudit(q, actor, { action: 'create', entity: this.spec.entity, entityId: this.auditId(scope, version), after: created });
    return created;
  }

  async updateDraft(q: Queryable, scope: string | null, version: number, document: TDocument, comment: string | undefined, actor: Actor): Promise<ConfigVersion<TDocument>> {
    const before = await this.find(q, scope, version, true);
    if (!before) throw new AppError('NOT_FOUND', `${this.describe(scope, version)} does not exist`);
    if (before.status !== 'draft') {
      throw new AppError('CONFLICT', `${this.describe(scope, version)} is ${before.status}: only drafts can be edited; create a new draft from it`);
    }
    const { clause, values } = this.where(scope, 'version = $1');
    const { rows } = await q.query<Row>(
      `UPDATE ${this.spec.table} SET document = $${values.length + 2}, comment = COALESCE($${values.length + 3}, comment) ${clause} RETURNING *`,
      [...values, version, JSON.stringify(document), comment ?? null],
    );
    const after = toVersion<TDocument>(rows[0] as Row);
    await recordAudit(q, actor, { action: 'update', entity: this.spec.entity, entityId: this.auditId(scope, version), before, after });
    return after;
  }

  /** Publishes a draft; the previously published version is archived. */
  async publish(q: Queryable, scope: string | null, version: number, actor: Actor): Promise<ConfigVersion<TDocument>> {
    await this.lockScope(q, scope);
    const target = await this.find(q, scope, version, true);
    if (!target) throw new AppError('NOT_FOUND', `${this.describe(scope, version)} does not exist`);
    if (target.status !== 'draft') {
      throw new AppError('CONFLICT', `${this.describe(scope, version)} is ${target.status}: only a draft can be published (use rollback for an old version)`);
    }
    const previous = await this.published(q, scope);
    await this.archivePublished(q, scope);
    const published = await this.markPublished(q, scope, version, actor.username);
    await recordAudit(q, actor, {
      action: 'publish', entity: this.spec.entity, entityId: this.auditId(scope, version),
      before: previous ? { version: previous.version } : null, after: { version },
    });
    return published;
  }

  /** Republishes an old version's document as a new version, so the history shows what happened. */
  async rollback(q: Queryable, scope: string | null, toVersion: number, actor: Actor): Promise<ConfigVersion<TDocument>> {
    const source = await this.get(q, scope, toVersion);
    const draft = await this.createDraft(q, scope, source.document, `rollback to version ${toVersion}`, actor);
    const previous = await this.published(q, scope);
    await this.archivePublished(q, scope);
    const published = await this.markPublished(q, scope, draft.version, actor.username);
    await recordAudit(q, actor, {
      action: 'rollback', entity: this.spec.entity, entityId: this.auditId(scope, draft.version),
      before: previous ? { version: previous.version } : null, after: { version: draft.version, copiedFrom: toVersion },
    });
    return published;
  }

  private async archivePublished(q: Queryable, scope: string | null): Promise<void> {
    const { clause, values } = this.where(scope, "status = 'published'");
    await q.query(`UPDATE ${this.spec.table} SET status = 'archived' ${clause}`, values);
  }

  private async markPublished(q: Queryable, scope: string | null, version: number, publishedBy: string): Promise<ConfigVersion<TDocument>> {
    const { clause, values } = this.where(scope, 'version = $1');
    const { rows } = await q.query<Row>(
      `UPDATE ${this.spec.table} SET status = 'published', published_by = $${values.length + 2}, published_at = now() ${clause} RETURNING *`,
      [...values, version, publishedBy],
    );
    return toVersion<TDocument>(rows[0] as Row);
  }

  private auditId(scope: string | null, version: number): string {
    return scope === null ? String(version) : `${scope}@${version}`;
  }
}
