import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADMINS, MANAGERS } from '../../auth/roles';
import type { Queryable } from '../../db/pool';
import { findClientDialFacts } from '../../db/repositories/dialer-repository';
import {
  addDoNotCall, clientTimeZone, deleteTrunkIdentity, listDoNotCall, listTrunkIdentities, removeDoNotCall, saveTrunkIdentity, setClientTimeZone,
} from '../../db/repositories/outbound-rules-repository';
import { normalisePhone } from '../../directory/phone-number';
import { AppError } from '../../errors/app-error';
import { isTimeZone, numberTimeZones } from '../../routing/calling-window';
import { trunkIdentityProblems, TRUNK_PRIVACIES, type TrunkCallerIdentity } from '../../sip/trunk-caller-identity';
import { ErrorBody, Id, IdParams, NoContent, PageLimit, PageOffset } from '../schemas/common-schemas';

const E164 = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' });
const Privacy = Type.Union(TRUNK_PRIVACIES.map((p) => Type.Literal(p)));

const TrunkIdentityBody = Type.Object({
  fromNumber: Type.String({ minLength: 1, maxLength: 32, description: 'the number the called party sees (E.164)' }),
  displayName: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'shown with the number; empty or null: none' })),
  assertedNumber: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()], { description: 'P-Asserted-Identity number (RFC 3325); null: the From number' })),
  privacy: Privacy,
}, { additionalProperties: false });

const TrunkIdentityView = Type.Object({
  fromNumber: E164, displayName: Type.Union([Type.String(), Type.Null()]), assertedNumber: Type.Union([E164, Type.Null()]), privacy: Privacy,
});

const TrunkView = Type.Object({
  trunk: Type.String({ description: 'host:port, as SIP_TRUNKS dials it' }),
  identity: Type.Union([TrunkIdentityView, Type.Null()], { description: 'null: calls go out as switchboard@switchboard.invalid' }),
});

const TrunkParams = Type.Object({ trunk: Type.String({ minLength: 3, maxLength: 100, pattern: '^[0-9A-Za-z.:\\[\\]-]+$' }) });

const DoNotCallView = Type.Object({
  e164: E164, reason: Type.String(), addedBy: Type.Union([Id, Type.Null()]), addedByName: Type.Union([Type.String(), Type.Null()]), addedAt: Type.String({ format: 'date-time' }),
});

/**
 * Outbound calling rules an admin or supervisor keeps (issue 17): each
 * trunk's caller identity (From, P-Asserted-Identity, privacy), the
 * do-not-call list campaigns and callbacks respect, and a client's time zone
 * for the calling window.
 */
export function registerOutboundRulesRoutes(fastify: FastifyInstance, options: { db: Queryable; trunks: readonly string[]; defaultCountry: string }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, defaultCountry } = options;
  const requireTrunk = (trunk: string): void => {
    if (!options.trunks.includes(trunk)) throw new AppError('NOT_FOUND', `no trunk ${trunk} is configured for outbound calls (SIP_TRUNKS): ${options.trunks.join(', ') || 'none'}`);
  };

  app.get('/api/trunks', {
    config: { access: ADMINS },
    schema: { tags: ['directory'], summary: 'The trunks outbound calls go through, with their caller identity', response: { 200: Type.Array(TrunkView), 401: ErrorBody, 403: ErrorBody } },
    handler: async () => {
      const identities = await listTrunkIdentities(db);
      return options.trunks.map((trunk) => ({ trunk, identity: identities.get(trunk) ?? null }));
    },
  });

  app.put('/api/trunks/:trunk/caller-id', {
    config: { access: ADMINS },
    schema: {
      tags: ['directory'], summary: 'Set the caller identity of a trunk\'s outbound calls',
      description: 'privacy "id" sends the From as anonymous@anonymous.invalid and keeps the number in P-Asserted-Identity with Privacy: id (RFC 3323/3325); emergency calls always show it.',
      params: TrunkParams, body: TrunkIdentityBody, response: { 200: TrunkView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const { trunk } = request.params;
      requireTrunk(trunk);
      const body = request.body;
      const text = (value: string | null | undefined): string | null => (value?.trim() ? value.trim() : null);
      const fromNumber = normalisePhone(body.fromNumber, defaultCountry, 'body/fromNumber');
      const asserted = text(body.assertedNumber);
      const identity: TrunkCallerIdentity = {
        fromNumber, displayName: text(body.displayName), privacy: body.privacy,
        assertedNumber: asserted === null ? null : normalisePhone(asserted, defaultCountry, 'body/assertedNumber'),
      };
      const problems = trunkIdentityProblems(identity);
      if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'the caller identity cannot be used', problems.map((p) => ({ path: `body/${p.path}`, message: p.message })));
      await saveTrunkIdentity(db, trunk, identity);
      return { trunk, identity };
    },
  });

  app.delete('/api/trunks/:trunk/caller-id', {
    config: { access: ADMINS },
    schema: { tags: ['directory'], summary: 'Remove a trunk\'s caller identity', params: TrunkParams, response: { 204: NoContent, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
    handler: async (request, reply) => {
      requireTrunk(request.params.trunk);
      await deleteTrunkIdentity(db, request.params.trunk);
      return reply.code(204).send();
    },
  });

  app.get('/api/do-not-call', {
    config: { access: MANAGERS },
    schema: {
      tags: ['directory'], summary: 'The do-not-call list (newest first)',
      querystring: Type.Object({ search: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(PageLimit), offset: Type.Optional(PageOffset) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(DoNotCallView), total: Type.Integer() }), 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request) => listDoNotCall(db, { ...(request.query.search ? { search: request.query.search } : {}), limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 }),
  });

  app.post('/api/do-not-call', {
    config: { access: MANAGERS },
    schema: {
      tags: ['directory'], summary: 'Put numbers on the do-not-call list, with the reason',
      description: 'Numbers as people write them (read in the site\'s country); up to 10,000 at once (an imported list). A number already listed gets the new reason.',
      body: Type.Object({ numbers: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 10_000 }), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ added: Type.Integer(), numbers: Type.Array(E164) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request, reply) => {
      const reason = request.body.reason.trim();
      if (reason === '') throw new AppError('VALIDATION_FAILED', 'say why the numbers may not be called', [{ path: 'body/reason', message: 'empty' }]);
      const numbers = [...new Set(request.body.numbers.map((n, i) => normalisePhone(n, defaultCountry, `body/numbers/${i}`)))];
      const added = await addDoNotCall(db, numbers.map((e164) => ({ e164, reason })), request.user?.staffId ?? null);
      return reply.code(201).send({ added, numbers });
    },
  });

  app.delete('/api/do-not-call/:e164', {
    config: { access: MANAGERS },
    schema: { tags: ['directory'], summary: 'Take a number off the do-not-call list', params: Type.Object({ e164: E164 }), response: { 204: NoContent, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
    handler: async (request, reply) => {
      if (!(await removeDoNotCall(db, request.params.e164))) throw new AppError('NOT_FOUND', `${request.params.e164} is not on the do-not-call list`);
      return reply.code(204).send();
    },
  });

  app.get('/api/clients/:id/time-zone', {
    config: { access: MANAGERS },
    schema: {
      tags: ['directory'], summary: 'A client\'s time zone, and the zones the calling window uses for them',
      params: IdParams,
      response: { 200: Type.Object({ id: Id, timeZone: Type.Union([Type.String(), Type.Null()]), effectiveTimeZones: Type.Array(Type.String(), { description: 'the card\'s zone, else every zone of the first number\'s country' }) }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const facts = await findClientDialFacts(db, request.params.id);
      if (!facts) throw new AppError('NOT_FOUND', `client ${request.params.id} does not exist`);
      const timeZone = await clientTimeZone(db, facts.id);
      const effectiveTimeZones = timeZone ? [timeZone] : facts.e164 ? [...(numberTimeZones(facts.e164) ?? [])] : [];
      return { id: facts.id, timeZone, effectiveTimeZones };
    },
  });

  app.put('/api/clients/:id/time-zone', {
    config: { access: MANAGERS },
    schema: {
      tags: ['directory'], summary: 'Set a client\'s time zone (for the calling window); null: derived from their number',
      params: IdParams, body: Type.Object({ timeZone: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]) }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Id, timeZone: Type.Union([Type.String(), Type.Null()]) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const { timeZone } = request.body;
      if (timeZone !== null && (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timeZone) || !isTimeZone(timeZone))) {
        throw new AppError('VALIDATION_FAILED', `"${timeZone}" is not an IANA time zone (e.g. Asia/Vladivostok)`, [{ path: 'body/timeZone', message: 'unknown time zone' }]);
      }
      if (!(await setClientTimeZone(db, request.params.id, timeZone))) throw new AppError('NOT_FOUND', `client ${request.params.id} does not exist`);
      return { id: request.params.id, timeZone };
    },
  });
}
