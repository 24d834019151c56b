import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ANY_USER } from '../../auth/roles';
import { AppError } from '../../errors/app-error';
import type { OutboundCalls } from '../api-context';
import { OutboundCallPlaced } from '../schemas/call-schemas';
import { ErrorBody } from '../schemas/common-schemas';

const OutboundBody = Type.Object({
  number: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'as people write it; normalised to E.164' })),
  clientId: Type.Optional(Type.Integer({ minimum: 1, description: "the client to call (its first number unless `number` is given)" })),
  staffId: Type.Optional(Type.Integer({ minimum: 1, description: 'supervisors and admins: place the call for this staff member (default: your own)' })),
  campaignCallId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'a campaign call assigned to the caller (GET /api/me/assignments): its client is dialled as a campaign call' })),
  overrideDoNotCall: Type.Optional(Type.Boolean({ description: 'supervisors and admins: call a number on the do-not-call list this once (logged, said back in `notice`)' })),
}, { additionalProperties: false });

/**
 * Click-to-call through the server (design rule 10): the staff member's own
 * registered phones ring first, and when one answers the number is dialled
 * out through the trunk. Only for a user linked to a staff member allowed to
 * dial out; an operator only for themselves. Every call meets the outbound
 * policy (issue 15): a number it refuses gets 403 DESTINATION_NOT_ALLOWED, a
 * person with as many outbound calls as one may have gets 429
 * CALL_LIMIT_REACHED; `error.details` names the reason code
 * (`{path: "reason", message: "premium_rate"}`).
 */
export function registerOutboundRoutes(fastify: FastifyInstance, outbound: OutboundCalls): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/calls/outbound', {
    config: { access: ANY_USER },
    schema: {
      tags: ['calls'], summary: 'Click-to-call: ring my phone, then the number, client or campaign call',
      description: 'The outbound destination policy applies: 403 DESTINATION_NOT_ALLOWED (denied prefix, international, premium rate; the reason code in error.details), 403 FORBIDDEN without the dial-out right, 429 CALL_LIMIT_REACHED when the person already has as many outbound calls as one may have at once. A number on the do-not-call list gets 403 DESTINATION_NOT_ALLOWED (reason do_not_call) unless a supervisor or admin sets overrideDoNotCall; outside the client\'s calling window a person\'s own call is placed with a `notice` saying so, a campaign call is refused (reason outside_calling_window).',
      body: OutboundBody,
      response: { 202: OutboundCallPlaced, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 503: ErrorBody },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const user = request.user;
      if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
      if (body.number === undefined && body.clientId === undefined && body.campaignCallId === undefined) {
        throw new AppError('BAD_PHONE_NUMBER', 'give a number, a clientId or a campaignCallId', [{ path: 'body/number', message: 'missing' }]);
      }
      const staffId = body.staffId ?? user.staffId;
      if (staffId === null) throw new AppError('FORBIDDEN', 'this account is not linked to a staff member: it has no phone to call from');
      if (user.role === 'operator' && staffId !== user.staffId) throw new AppError('FORBIDDEN', 'an operator may place calls only from their own phone');
      const placed = await outbound.clickToCall({
        staffId, ...(body.number !== undefined ? { number: body.number } : {}), ...(body.clientId !== undefined ? { clientId: body.clientId } : {}),
        ...(body.campaignCallId !== undefined ? { campaignCallId: body.campaignCallId } : {}),
        overrideDoNotCall: body.overrideDoNotCall === true, mayOverrideDoNotCall: user.role === 'admin' || user.role === 'supervisor',
      });
      const { outsideWindow, ...rest } = placed;
      const shown: OutboundCallPlaced = outsideWindow
        ? { ...rest, outsideWindow: { ...outsideWindow, timeZones: [...outsideWindow.timeZones], nextAllowedAt: outsideWindow.nextAllowedAt === null ? null : new Date(outsideWindow.nextAllowedAt).toISOString() } }
        : rest;
      return reply.code(202).send(shown);
    },
  });
}
