import { AppError } from '../../errors/app-error';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADMINS, ANY_USER, MANAGERS } from '../../auth/roles';
import { inTransaction, type Db } from '../../db/pool';
import { listAudit, recordAudit } from '../../db/repositories/audit-repository';
import { createClientsRepository } from '../../db/repositories/clients-repository';
import { departmentsRepository } from '../../db/repositories/departments-repository';
import { CLIENT_TYPES, DISPOSITION_CODES, NOT_READY_REASONS, insertLookup, listLookup, type LookupTable } from '../../db/repositories/lookup-repository';
import { queuesRepository } from '../../db/repositories/queues-repository';
import { createStaffRepository } from '../../db/repositories/staff-repository';
import { actorOf } from '../auth-hook';
import { AuditEntry } from '../schemas/audit-schemas';
import { Code, ErrorBody, NonEmpty, Id, PageLimit, PageOffset } from '../schemas/common-schemas';
import { LookupEntry as Entry } from '../schemas/directory-schemas';
import * as S from '../../directory/directory-records';
import { registerResourceRoutes, type RemovalGuard } from './resource-routes';
import type { Row } from '../../db/resource-repository';
import { assertActivePeople, prepareRemoval, type PersonReference, type ReferencedKind } from '../../db/repositories/directory-references-repository';
import { loadDirectorySnapshot } from '../../db/repositories/directory-snapshot-repository';
import { validateOverrideTarget } from '../../routing/routing-config-validator';
import { unwrapValidation } from '../../routing/validation-result';

export interface DirectoryRoutesOptions {
  db: Db;
  /** Announces client changes so that caller caches everywhere drop them. */
  onClientsChanged: (e164s: string[] | null) => Promise<void>;
  /** Announces that staff, departments or queues changed, so the ACD is synchronised again. */
  onStaffingChanged: () => Promise<void>;
  /** A staff member deactivated, deleted or renamed on SIP: their softphone secrets, registrations and sockets end (issue 15). */
  onStaffAccessEnded?: (staff: { id: number; sipUsername: string | null }) => Promise<void>;
  defaultCountry: string;
  sipRealm: string;
}

function registerLookupRoutes(fastify: FastifyInstance, db: Db, path: string, lookup: LookupTable): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(path, {
    config: { access: ANY_USER },
    schema: { tags: ['directory'], summary: `List ${lookup.entity}s`, response: { 200: Type.Array(Entry) } },
    handler: async () => listLookup(db, lookup),
  });
  app.post(path, {
    config: { access: ADMINS },
    schema: {
      tags: ['directory'], summary: `Add a ${lookup.entity}`,
      body: Type.Object({ code: Code, label: NonEmpty(100) }, { additionalProperties: false }),
      response: { 201: Entry, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
    },
    handler: async (request, reply) => {
      const entry = await inTransaction(db, async (client) => {
        const created = await insertLookup(client, lookup, request.body);
        await recordAudit(client, actorOf(request), { action: 'create', entity: lookup.entity, entityId: created.code, after: created });
        return created;
      });
      return reply.code(201).send(entry);
    },
  });
}

/** Client fields an operator may not write: money, the manager and what routes the client's calls (a new card's type excepted). */
const OPERATOR_RESERVED_CLIENT_FIELDS = ['type', 'managerId', 'overdueDebt', 'creditLimit', 'balance', 'lastOrderAt', 'routingOverride'] as const;

/**
 * The rule for deleting or deactivating what others rely on (issue 15), as the
 * OpenAPI description of those operations states it.
 */
function removalGuard(kind: ReferencedKind, what: string, history: string | null, afterReassign?: () => Promise<void>): RemovalGuard {
  const deactivatable = kind !== 'department';
  const description = [
    `Refused with 409 REFERENCE_IN_USE while anything relies on this ${what}; the error's details list each reference by path`,
    '(`routing.rules[3].target.staffId`, `departments[regional_sales].headId`, `clients` with "12 clients have this manager", …).',
    `With \`replaceWith=<id of another active ${what}>\` the references the directory holds (department heads, clients' managers,`,
    "queue overflow targets, client routing overrides, queue members, a department's people and queues) are handed over in the same",
    'transaction, and the change goes through. References in the published routing config are never rewritten from here: they refuse',
    'even with a replacement, until a routing config version that no longer names the record is published. IVR flows name no',
    'person, queue or department.',
    deactivatable ? `A PATCH setting \`active: false\` is checked the same way (and takes \`replaceWith\` too).` : '',
    history ? `A ${what} with ${history} is deactivated instead of deleted, so that history stays readable: DELETE then answers 200 with the record (\`active: false\`); otherwise 204.` : '',
  ].filter(Boolean).join(' ');
  return {
    description, deactivatable,
    prepare: (q, id, intent, replaceWith) => prepareRemoval(q, kind, id, intent, replaceWith),
    ...(afterReassign ? { afterReassign } : {}),
  };
}

/** A person id a write names in `field`, when it names one (a number, or a staff overflow target's). */
function personAt(input: Row, field: 'headStaffId' | 'managerId' | 'overflowTarget'): PersonReference[] {
  const value = input[field];
  if (typeof value === 'number') return [{ path: `body/${field}`, staffId: value }];
  const target = value as { kind?: unknown; staffId?: unknown } | null | undefined;
  if (target?.kind === 'staff' && typeof target.staffId === 'number') return [{ path: `body/${field}/staffId`, staffId: target.staffId }];
  return [];
}

/** Departments, staff, clients, queues, business hours, code lists and the audit log. */
export function registerDirectoryRoutes(fastify: FastifyInstance, options: DirectoryRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = options;
  registerResourceRoutes(app, db, {
    path: '/api/departments', tag: 'directory', repository: departmentsRepository,
    record: S.Department, create: S.DepartmentCreate, patch: S.DepartmentPatch,
    readRoles: ANY_USER, writeRoles: ADMINS, deleteRoles: ADMINS,
    removal: removalGuard('department', 'department', null),
    beforeWrite: (q, input) => assertActivePeople(q, personAt(input, 'headStaffId')),
    afterChange: () => options.onStaffingChanged(),
  });
  registerResourceRoutes(app, db, {
    path: '/api/staff', tag: 'directory', repository: createStaffRepository(options.sipRealm),
    record: S.Staff, create: S.StaffCreate, patch: S.StaffPatch,
    query: Type.Object({
      role: Type.Optional(Type.Union(S.STAFF_ROLES.map((r) => Type.Literal(r)))),
      departmentId: Type.Optional(Id),
      active: Type.Optional(Type.Boolean()),
      limit: Type.Optional(PageLimit),
      offset: Type.Optional(PageOffset),
    }),
    readRoles: ANY_USER, writeRoles: ADMINS, deleteRoles: ADMINS,
    // Clients' managers may change hands: caller caches everywhere drop what they hold.
    removal: removalGuard('staff', 'staff member', 'call history (calls, wrap-ups, callback results)', () => options.onClientsChanged(null)),
    afterChange: async (before, after) => {
      await options.onStaffingChanged();
      // Access must not outlive its grant (issue 15): what the old SIP name or the person's account was given ends.
      if (before && (!after || (before.active && !after.active) || before.sipUsername !== after.sipUsername)) await options.onStaffAccessEnded?.(before);
    },
  });
  registerResourceRoutes(app, db, {
    path: '/api/clients', tag: 'directory', repository: createClientsRepository(options.defaultCountry),
    record: S.Client, create: S.ClientCreate, patch: S.ClientPatch, query: S.ClientQuery,
    // Operators create "new client" cards from the softphone and keep notes and contact details up to date; money,
    // the manager, the type and the routing override (what decides where a client's calls go) are not theirs (issue 15).
    readRoles: ANY_USER, writeRoles: ANY_USER, deleteRoles: ADMINS,
    authorizeWrite: (role, input, action) => {
      if (role !== 'operator') return;
      const reserved = OPERATOR_RESERVED_CLIENT_FIELDS.filter((field) => input[field] !== undefined && !(action === 'create' && field === 'type'));
      if (reserved.length > 0) throw new AppError('FORBIDDEN', `an operator may not set ${reserved.join(', ')} of a client: ask a supervisor or an admin`);
    },
    beforeWrite: async (q, input) => {
      await assertActivePeople(q, personAt(input, 'managerId'));
      if (input.routingOverride === undefined || input.routingOverride === null) return;
      unwrapValidation('routingOverride', validateOverrideTarget(input.routingOverride, await loadDirectorySnapshot(q), 'routingOverride'));
    },
    afterChange: (before, after) => {
      const numbers = new Set([...(before?.phones ?? []), ...(after?.phones ?? [])].map((p) => p.number));
      return options.onClientsChanged([...numbers]);
    },
  });
  registerResourceRoutes(app, db, {
    path: '/api/queues', tag: 'directory', repository: queuesRepository,
    record: S.Queue, create: S.QueueCreate, patch: S.QueuePatch,
    readRoles: ANY_USER, writeRoles: ADMINS, deleteRoles: ADMINS,
    removal: removalGuard('queue', 'queue', 'calls'),
    beforeWrite: (q, input) => assertActivePeople(q, personAt(input, 'overflowTarget')),
    afterChange: () => options.onStaffingChanged(),
  });
  registerLookupRoutes(app, db, '/api/client-types', CLIENT_TYPES);
  registerLookupRoutes(app, db, '/api/disposition-codes', DISPOSITION_CODES);
  registerLookupRoutes(app, db, '/api/not-ready-reasons', NOT_READY_REASONS);

  app.get('/api/audit', {
    config: { access: MANAGERS },
    schema: {
      tags: ['audit'], summary: 'Who changed what and when, newest first',
      querystring: Type.Object({
        entity: Type.Optional(Type.String()), entityId: Type.Optional(Type.String()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), before: Type.Optional(Id),
      }),
      response: { 200: Type.Array(AuditEntry), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request) => {
      const query = request.query;
      return listAudit(db, { ...query, limit: query.limit ?? 100 });
    },
  });
}
