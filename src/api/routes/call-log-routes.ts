import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { ANY_USER, QUALITY_REVIEWERS, type UserRole } from '../../auth/roles';
import { CALL_DIRECTIONS } from '../../calls/call-record';
import { CALL_OUTCOMES } from '../../calls/call-outcome';
import type { Db } from '../../db/pool';
import { listCallLog } from '../../db/repositories/call-log-repository';
import { tryNormalisePhone } from '../../directory/phone-number';
import { AppError } from '../../errors/app-error';
import { decodeCallLogCursor } from '../../reports/call-log-cursor';
import { CallLogPage } from '../schemas/call-schemas';
import { Code, ErrorBody, Id } from '../schemas/common-schemas';

export interface CallLogRoutesOptions {
  db: Db;
  /** Numbers typed without a country code are read in this country (phone.defaultCountry). */
  defaultCountry: string;
}

/** Who reads the call log and a call's record: the call workers, and quality reviewers, who pick calls to evaluate from it (issue 18). */
export const CALL_LOG_READERS: readonly UserRole[] = [...new Set([...ANY_USER, ...QUALITY_REVIEWERS])];

/** A number search needs this many digits: fewer would match a large part of the log. */
export const MIN_NUMBER_SEARCH_DIGITS = 3;

const CallLogQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  number: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'any phone format; matches the E.164 number or the last digits' })),
  clientId: Type.Optional(Id),
  client: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'part of the client name' })),
  agentId: Type.Optional(Id),
  queue: Type.Optional(Code),
  disposition: Type.Optional(Code),
  outcome: Type.Optional(Type.Union(CALL_OUTCOMES.map((o) => Type.Literal(o)))),
  direction: Type.Optional(Type.Union(CALL_DIRECTIONS.map((d) => Type.Literal(d)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });

/**
 * The call log: finished calls newest first, filtered, a page at a time
 * (keyset pagination: pass nextCursor back as cursor). Supervisors, admins and
 * quality reviewers see every call; an operator only the calls they were connected to.
 */
export function registerCallLogRoutes(fastify: FastifyInstance, options: CallLogRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/call-log', {
    config: { access: CALL_LOG_READERS },
    schema: {
      tags: ['calls'], summary: 'Finished calls, newest first, with filters and keyset pagination',
      querystring: CallLogQuery, response: { 200: CallLogPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request) => {
      const query = request.query;
      const user = request.user;
      if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
      let restrictToAgentId: number | null = null;
      if (user.role === 'operator') {
        if (user.staffId === null) throw new AppError('FORBIDDEN', 'this operator account is not linked to a staff member, so it has no calls to show');
        restrictToAgentId = user.staffId;
      }
      let callerE164: string | null = null;
      let callerDigitsSuffix: string | null = null;
      if (query.number !== undefined) {
        const digits = query.number.replace(/\D/g, '');
        if (digits.length < MIN_NUMBER_SEARCH_DIGITS) {
          throw new AppError('VALIDATION_FAILED', `querystring/number needs at least ${MIN_NUMBER_SEARCH_DIGITS} digits`, [{ path: 'querystring/number', message: `at least ${MIN_NUMBER_SEARCH_DIGITS} digits` }]);
        }
        callerE164 = tryNormalisePhone(query.number, options.defaultCountry);
        // "123-45-67" or "8 (495) 123-45-67" typed for a caller stored as +74951234567: the last digits match either way.
        // The national number drops the country code and trunk prefix, which callers' stored numbers may or may not carry.
        callerDigitsSuffix = callerE164 === null ? digits : (parsePhoneNumberFromString(callerE164)?.nationalNumber ?? digits);
      }
      return listCallLog(options.db, {
        from: query.from ? new Date(query.from) : null,
        to: query.to ? new Date(query.to) : null,
        callerE164, callerDigitsSuffix,
        clientId: query.clientId ?? null,
        clientName: query.client ?? null,
        agentId: query.agentId ?? null,
        restrictToAgentId,
        queue: query.queue ?? null,
        disposition: query.disposition ?? null,
        outcome: query.outcome ?? null,
        direction: query.direction ?? null,
        after: query.cursor ? decodeCallLogCursor(query.cursor) : null,
        limit: query.limit ?? 50,
      });
    },
  });
}
