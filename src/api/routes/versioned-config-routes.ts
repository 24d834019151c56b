import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import { ADMINS, MANAGERS, type UserRole } from '../../auth/roles';
import { inTransaction, type Db, type DbClient } from '../../db/pool';
import type { VersionedConfigStore } from '../../db/versioned-config-store';
import { AppError } from '../../errors/app-error';
import { validationError, type ValidationResult } from '../../routing/validation-result';
import { actorOf } from '../auth-hook';
import { ErrorBody, Id } from '../schemas/common-schemas';
import { ConfigVersion as VersionWithDocument, ConfigVersionSummary as Version, ValidationReport } from '../schemas/config-schemas';

export interface VersionedConfigRoutesOptions<TDocument> {
  /** e.g. /api/routing-config or /api/ivr/flows/:flow */
  basePath: string;
  tag: string;
  /** What the validator and messages call it, e.g. "routing config". */
  what: string;
  store: VersionedConfigStore<TDocument>;
  /** The scope of a request (the flow name), or null for a single document. */
  scopeOf: (params: Record<string, string>) => string | null;
  paramsSchema?: TSchema;
  /** Checks a document against the schema and the current directory; run on save, publish and rollback. */
  validate: (q: DbClient | Db, document: unknown, scope: string | null) => Promise<ValidationResult<TDocument>>;
  onPublished: (scope: string | null) => Promise<void>;
  /** Who may read versions and validate (MANAGERS unless given); changes stay with ADMINS. */
  readAccess?: readonly UserRole[];
}

const DraftBody = Type.Object({ document: Type.Unknown(), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

async function mustBeValid<T>(what: string, result: Promise<ValidationResult<T>>): Promise<T> {
  const checked = await result;
  if (!checked.ok) throw validationError(what, checked.errors);
  return checked.value;
}

/**
 * The draft → validate → publish → rollback cycle for one versioned document,
 * the same for the routing config and every IVR flow. Supervisors read,
 * admins change; the validator runs again at publish and rollback because the
 * directory may have changed since the draft was saved.
 */
export function registerVersionedConfigRoutes<TDocument>(fastify: FastifyInstance, db: Db, o: VersionedConfigRoutesOptions<TDocument>): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const withVersion = o.paramsSchema ? Type.Composite([o.paramsSchema as never, Type.Object({ version: Id })]) : Type.Object({ version: Id });
  const params = (request: { params: unknown }): Record<string, string> => request.params as Record<string, string>;
  const versionOf = (request: { params: unknown }): number => (request.params as { version: number }).version;
  const readAccess = o.readAccess ?? MANAGERS;

  app.get(`${o.basePath}/versions`, {
    config: { access: readAccess },
    schema: { tags: [o.tag], summary: `Versions of the ${o.what}, newest first`, ...(o.paramsSchema ? { params: o.paramsSchema } : {}), response: { 200: Type.Array(Version), ...errors } },
    handler: async (request) => o.store.list(db, o.scopeOf(params(request))),
  });

  app.get(`${o.basePath}/versions/:version`, {
    config: { access: readAccess },
    schema: { tags: [o.tag], summary: `One version of the ${o.what} with its document`, params: withVersion, response: { 200: VersionWithDocument, ...errors } },
    handler: async (request) => o.store.get(db, o.scopeOf(params(request)), versionOf(request)),
  });

  app.get(`${o.basePath}/published`, {
    config: { access: readAccess },
    schema: { tags: [o.tag], summary: `The published ${o.what}`, ...(o.paramsSchema ? { params: o.paramsSchema } : {}), response: { 200: VersionWithDocument, ...errors } },
    handler: async (request) => {
      const scope = o.scopeOf(params(request));
      const published = await o.store.published(db, scope);
      if (!published) throw new AppError('NOT_FOUND', `no ${o.what}${scope ? ` "${scope}"` : ''} is published`);
      return published;
    },
  });

  app.post(`${o.basePath}/validate`, {
    config: { access: readAccess },
    schema: {
      tags: [o.tag], summary: `Check a ${o.what} document without saving it`, ...(o.paramsSchema ? { params: o.paramsSchema } : {}),
      body: Type.Object({ document: Type.Unknown() }, { additionalProperties: false }),
      response: { 200: ValidationReport, ...errors },
    },
    handler: async (request) => {
      const result = await o.validate(db, request.body.document, o.scopeOf(params(request)));
      return result.ok ? { ok: true, errors: [] } : { ok: false, errors: [...result.errors] };
    },
  });

  app.post(`${o.basePath}/versions`, {
    config: { access: ADMINS },
    schema: { tags: [o.tag], summary: `Save a new draft of the ${o.what} (refused with every problem when invalid)`, ...(o.paramsSchema ? { params: o.paramsSchema } : {}), body: DraftBody, response: { 201: VersionWithDocument, ...errors } },
    handler: async (request, reply) => {
      const body = request.body;
      const created = await inTransaction(db, async (client) => {
        const document = await mustBeValid(o.what, o.validate(client, body.document, o.scopeOf(params(request))));
        return o.store.createDraft(client, o.scopeOf(params(request)), document, body.comment ?? '', actorOf(request));
      });
      return reply.code(201).send(created);
    },
  });

  app.put(`${o.basePath}/versions/:version`, {
    config: { access: ADMINS },
    schema: { tags: [o.tag], summary: `Replace the document of a draft`, params: withVersion, body: DraftBody, response: { 200: VersionWithDocument, ...errors } },
    handler: async (request) => {
      const body = request.body;
      return inTransaction(db, async (client) => {
        const document = await mustBeValid(o.what, o.validate(client, body.document, o.scopeOf(params(request))));
        return o.store.updateDraft(client, o.scopeOf(params(request)), versionOf(request), document, body.comment, actorOf(request));
      });
    },
  });

  app.post(`${o.basePath}/versions/:version/publish`, {
    config: { access: ADMINS },
    schema: { tags: [o.tag], summary: `Publish a draft: new calls use it at once, calls in progress keep theirs`, params: withVersion, response: { 200: VersionWithDocument, ...errors } },
    handler: async (request) => {
      const scope = o.scopeOf(params(request));
      const published = await inTransaction(db, async (client) => {
        const draft = await o.store.get(client, scope, versionOf(request));
        await mustBeValid(`${o.what} version ${draft.version}`, o.validate(client, draft.document, scope));
        return o.store.publish(client, scope, draft.version, actorOf(request));
      });
      await o.onPublished(scope);
      return published;
    },
  });

  app.post(`${o.basePath}/rollback`, {
    config: { access: ADMINS },
    schema: {
      tags: [o.tag], summary: `Publish an earlier version's document again, as a new version`, ...(o.paramsSchema ? { params: o.paramsSchema } : {}),
      body: Type.Object({ version: Id }, { additionalProperties: false }), response: { 200: VersionWithDocument, ...errors },
    },
    handler: async (request) => {
      const scope = o.scopeOf(params(request));
      const target = request.body.version;
      const published = await inTransaction(db, async (client) => {
        const old = await o.store.get(client, scope, target);
        await mustBeValid(`${o.what} version ${target}`, o.validate(client, old.document, scope));
        return o.store.rollback(client, scope, target, actorOf(request));
      });
      await o.onPublished(scope);
      return published;
    },
  });
}
