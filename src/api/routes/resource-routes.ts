import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { UserRole } from '../../auth/roles';
import { inTransaction, type Db, type DbClient } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import type { ResourceRepository, Row } from '../../db/resource-repository';
import { actorOf } from '../auth-hook';
import { ErrorBody, IdParams, Paging } from '../schemas/common-schemas';

export interface ResourceRoutesOptions<TRecord extends Row & { id: number }> {
  path: string;
  tag: string;
  repository: ResourceRepository<TRecord>;
  record: TSchema;
  create: TSchema;
  patch: TSchema;
  query?: TSchema;
  readRoles: readonly UserRole[];
  writeRoles: readonly UserRole[];
  deleteRoles: readonly UserRole[];
  /**
   * Refuses (throws AppError FORBIDDEN) a create or change this user may not
   * make, by what it touches: a route open to several roles whose fields are
   * not all for every one of them (issue 15).
   */
  authorizeWrite?: (role: UserRole | null, input: Row, action: 'create' | 'update') => void;
  /** Checks an input against other records, inside the write's transaction (e.g. references into the directory). */
  beforeWrite?: (q: DbClient, input: Row) => Promise<void>;
  /** Runs after a committed change (e.g. to announce it to other processes). */
  afterChange?: (before: TRecord | null, after: TRecord | null) => Promise<void>;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** List / get / create / patch / delete for one directory table, every change audited in its own transaction. */
export function registerResourceRoutes<TRecord extends Row & { id: number }>(app: FastifyInstance, db: Db, options: ResourceRoutesOptions<TRecord>): void {
  const { path, tag, repository, readRoles, writeRoles, deleteRoles } = options;
  const entity = repository.spec.entity;

  app.get(path, {
    config: { access: readRoles },
    schema: { tags: [tag], summary: `List ${entity} records`, querystring: options.query ?? Paging, response: { 200: Type.Array(options.record), ...errors } },
    handler: async (request) => {
      const { limit = 200, offset = 0, ...filter } = request.query as Record<string, unknown> & { limit?: number; offset?: number };
      return repository.list(db, filter, { limit, offset });
    },
  });

  app.get(`${path}/:id`, {
    config: { access: readRoles },
    schema: { tags: [tag], summary: `One ${entity}`, params: IdParams, response: { 200: options.record, ...errors } },
    handler: async (request) => repository.get(db, (request.params as { id: number }).id),
  });

  app.post(path, {
    config: { access: writeRoles },
    schema: { tags: [tag], summary: `Create a ${entity}`, body: options.create, response: { 201: options.record, ...errors } },
    handler: async (request, reply) => {
      options.authorizeWrite?.(request.user?.role ?? null, request.body as Row, 'create');
      const created = await inTransaction(db, async (client) => {
        await options.beforeWrite?.(client, request.body as Row);
        const record = await repository.create(client, request.body as Row);
        await recordAudit(client, actorOf(request), { action: 'create', entity, entityId: record.id, after: record });
        return record;
      });
      await options.afterChange?.(null, created);
      return reply.code(201).send(created);
    },
  });

  app.patch(`${path}/:id`, {
    config: { access: writeRoles },
    schema: { tags: [tag], summary: `Change a ${entity}`, params: IdParams, body: options.patch, response: { 200: options.record, ...errors } },
    handler: async (request) => {
      options.authorizeWrite?.(request.user?.role ?? null, request.body as Row, 'update');
      const { before, after } = await inTransaction(db, async (client) => {
        const id = (request.params as { id: number }).id;
        await options.beforeWrite?.(client, request.body as Row);
        const change = await repository.update(client, id, request.body as Row);
        await recordAudit(client, actorOf(request), { action: 'update', entity, entityId: id, before: change.before, after: change.after });
        return change;
      });
      await options.afterChange?.(before, after);
      return after;
    },
  });

  app.delete(`${path}/:id`, {
    config: { access: deleteRoles },
    schema: { tags: [tag], summary: `Delete a ${entity}`, params: IdParams, response: { 204: Type.Null(), ...errors } },
    handler: async (request, reply) => {
      const removed = await inTransaction(db, async (client) => {
        const id = (request.params as { id: number }).id;
        const before = await repository.remove(client, id);
        await recordAudit(client, actorOf(request), { action: 'delete', entity, entityId: id, before });
        return before;
      });
      await options.afterChange?.(removed, null);
      return reply.code(204).send();
    },
  });
}
