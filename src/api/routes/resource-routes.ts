import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { UserRole } from '../../auth/roles';
import { inTransaction, type Db, type DbClient } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import { lockDirectoryReferences, type RemovalPlan } from '../../db/repositories/directory-references-repository';
import { AppError } from '../../errors/app-error';
import type { ResourceRepository, Row } from '../../db/resource-repository';
import { actorOf } from '../auth-hook';
import { ErrorBody, Id, IdParams, Paging } from '../schemas/common-schemas';

/**
 * Deleting or deactivating a record others rely on (issue 15): the check runs
 * in the change's transaction, with the directory's reference lock held
 * exclusively, and may hand the references to a replacement the admin names
 * (`?replaceWith=<id>`) or turn a delete into a deactivation.
 */
export interface RemovalGuard {
  /** The rule, for the OpenAPI description of DELETE and PATCH. */
  description: string;
  /** The record has an `active` flag: a PATCH clearing it is checked like a delete, and a delete may become one. */
  deactivatable: boolean;
  prepare: (q: DbClient, id: number, intent: 'delete' | 'deactivate', replaceWith: number | null) => Promise<RemovalPlan>;
  /** After a commit that handed references over (e.g. clients' managers changed: caller caches drop them). */
  afterReassign?: () => Promise<void>;
}

const ReplaceQuery = Type.Object({
  replaceWith: Type.Optional({ ...Id, description: 'a record of the same kind that takes over the references (department heads, clients, overflow targets, members)' }),
});

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
  /** Refuses, hands over or turns into a deactivation a delete (or deactivation) of a record others rely on. */
  removal?: RemovalGuard;
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
        await lockDirectoryReferences(client, 'shared');
        await options.beforeWrite?.(client, request.body as Row);
        const record = await repository.create(client, request.body as Row);
        await recordAudit(client, actorOf(request), { action: 'create', entity, entityId: record.id, after: record });
        return record;
      });
      await options.afterChange?.(null, created);
      return reply.code(201).send(created);
    },
  });

  const removal = options.removal;
  app.patch(`${path}/:id`, {
    config: { access: writeRoles },
    schema: {
      tags: [tag], summary: `Change a ${entity}`,
      ...(removal?.deactivatable ? { description: removal.description, querystring: ReplaceQuery } : {}),
      params: IdParams, body: options.patch, response: { 200: options.record, ...errors },
    },
    handler: async (request) => {
      options.authorizeWrite?.(request.user?.role ?? null, request.body as Row, 'update');
      const body = request.body as Row;
      const replaceWith = (request.query as { replaceWith?: number } | undefined)?.replaceWith ?? null;
      const deactivating = removal?.deactivatable === true && body.active === false;
      if (replaceWith !== null && !deactivating) {
        throw new AppError('VALIDATION_FAILED', 'replaceWith goes with a deactivation (active: false) only', [{ path: 'querystring/replaceWith', message: 'only with active: false' }]);
      }
      const { before, after, plan } = await inTransaction(db, async (client) => {
        const id = (request.params as { id: number }).id;
        await lockDirectoryReferences(client, deactivating ? 'exclusive' : 'shared');
        const plan = deactivating && removal ? await removal.prepare(client, id, 'deactivate', replaceWith) : null;
        await options.beforeWrite?.(client, body);
        const change = await repository.update(client, id, body);
        await recordAudit(client, actorOf(request), { action: 'update', entity, entityId: id, before: change.before, after: replaced(change.after, plan) });
        return { ...change, plan };
      });
      await options.afterChange?.(before, after);
      if (plan?.replacedWith != null) await removal?.afterReassign?.();
      return after;
    },
  });

  app.delete(`${path}/:id`, {
    config: { access: deleteRoles },
    schema: {
      tags: [tag], summary: `Delete a ${entity}`,
      ...(removal ? { description: removal.description, querystring: ReplaceQuery } : {}),
      params: IdParams,
      response: { 204: Type.Null(), ...(removal?.deactivatable ? { 200: options.record } : {}), ...errors },
    },
    handler: async (request, reply) => {
      const replaceWith = (request.query as { replaceWith?: number } | undefined)?.replaceWith ?? null;
      const outcome = await inTransaction(db, async (client) => {
        const id = (request.params as { id: number }).id;
        await lockDirectoryReferences(client, removal ? 'exclusive' : 'shared');
        const plan = removal ? await removal.prepare(client, id, 'delete', replaceWith) : null;
        if (plan?.action === 'deactivate') {
          const change = await repository.update(client, id, { active: false });
          await recordAudit(client, actorOf(request), { action: 'update', entity, entityId: id, before: change.before, after: replaced(change.after, plan) });
          return { plan, before: change.before, after: change.after };
        }
        const before = await repository.remove(client, id);
        await recordAudit(client, actorOf(request), { action: 'delete', entity, entityId: id, before, ...(plan?.replacedWith != null ? { after: replaced(null, plan) } : {}) });
        return { plan, before, after: null };
      });
      await options.afterChange?.(outcome.before, outcome.after);
      if (outcome.plan?.replacedWith != null) await removal?.afterReassign?.();
      // A record with history stays, deactivated: the answer shows it as it now is.
      if (outcome.after) return reply.code(200).send(outcome.after);
      return reply.code(204).send();
    },
  });
}

/** The audit's "after" of a change that handed references over: who took them, and which. */
function replaced(after: Row | null, plan: RemovalPlan | null): unknown {
  if (!plan || plan.replacedWith === null) return after;
  return { ...(after ?? {}), replacedWith: plan.replacedWith, reassigned: plan.reassigned };
}
