import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Acd } from '../../acd';
import { ANY_USER } from '../../auth/roles';
import type { Db } from '../../db/pool';
import { quickCreateClient } from '../../db/repositories/client-card-repository';
import { findWrapUps, isActiveDisposition, saveWrapUp } from '../../db/repositories/wrap-up-repository';
import { normalisePhone } from '../../directory/phone-number';
import { AppError } from '../../errors/app-error';
import { actorOf } from '../auth-hook';
import { buildCallCard, clientCardWithCalls } from '../call-card';
import { assertOrderDetails, calendarDay, notifyOrderTaken, orderClientOf } from '../order-wrap-up';
import type { StaffNotificationFeed } from '../staff-notification-feed';
import { assertMaySeeCall, requireCallView } from '../live-call-view';
import { ErrorBody, IdParams } from '../schemas/common-schemas';
import { CallCard, ClientCardPart, QuickClientBody, WrapUpBody, WrapUpList, WrapUpSaved } from '../schemas/softphone-schemas';

export interface CallCardRoutesOptions {
  db: Db;
  acd?: Acd | undefined;
  defaultCountry: string;
  /** Announces new client numbers so that caller caches everywhere see them. */
  onClientsChanged: (e164s: string[] | null) => Promise<void>;
  /** Tells a client's manager of an order taken on a call (issue 17 point 8). */
  notifications?: StaffNotificationFeed | undefined;
  /** The call centre's zone: a delivery date may not be before its today. */
  timeZone?: string | undefined;
}

const CallParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/**
 * The client card (design §3 step 6: on screen before the call is answered),
 * the "new client" quick create, and the wrap-up form. A call is looked up
 * in Postgres and, while it is live, in the ACD; an operator reaches only
 * calls offered to them or taken by them, supervisors and admins every call.
 */
export function registerCallCardRoutes(fastify: FastifyInstance, options: CallCardRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, acd } = options;

  app.get('/api/calls/:id/card', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'The client card of a call: who calls, their debt, last calls, IVR path, why it was routed here', params: CallParams, response: { 200: CallCard, ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      const view = await requireCallView({ db, acd }, id);
      assertMaySeeCall(request, view);
      return buildCallCard(db, view, Date.now());
    },
  });

  app.get('/api/clients/:id/card', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'A client\'s card and last calls (click-to-call from the directory)', params: IdParams, response: { 200: ClientCardPart, ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      const card = await clientCardWithCalls(db, id);
      if (!card) throw new AppError('NOT_FOUND', `client ${id} does not exist`);
      return card;
    },
  });

  app.post('/api/clients/quick', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'Create a client from the softphone\'s "new client" card (audited)', body: QuickClientBody, response: { 201: ClientCardPart, ...errors } },
    handler: async (request, reply) => {
      const body = request.body;
      // Normalised here so that an unreadable number is reported against the field the form sent.
      const e164 = normalisePhone(body.phone, options.defaultCountry, 'body/phone');
      const created = await quickCreateClient(db, actorOf(request), { ...body, phone: e164 }, options.defaultCountry);
      await options.onClientsChanged([e164]);
      const card = await clientCardWithCalls(db, created.id);
      // Created just above; gone only if an admin deleted it in between.
      if (!card) throw new AppError('NOT_FOUND', `client ${created.id} does not exist`);
      return reply.code(201).send(card);
    },
  });

  app.post('/api/calls/:id/wrap-up', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'Store the wrap-up form (disposition, notes, order); works before the call row is written', params: CallParams, body: WrapUpBody, response: { 200: WrapUpSaved, ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      const body = request.body;
      const user = request.user;
      if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
      if (!(await isActiveDisposition(db, body.dispositionCode))) {
        throw new AppError('VALIDATION_FAILED', `unknown disposition code "${body.dispositionCode}"`, [{ path: 'body/dispositionCode', message: 'not in /api/disposition-codes' }]);
      }
      const view = await requireCallView({ db, acd }, id);
      assertMaySeeCall(request, view);
      // Whose form: the user's own when they were on the call; a supervisor writes it for the call's last agent.
      const staffId = user.staffId !== null && view.participants.has(user.staffId) ? user.staffId : view.lastAgentId ?? user.staffId;
      if (staffId === null) throw new AppError('CONFLICT', `call ${id} has no agent to write a wrap-up for`);
      const client = await orderClientOf(db, view);
      assertOrderDetails(client, body, calendarDay(new Date(), options.timeZone ?? 'UTC'));
      const { wrapUp, callRecorded } = await saveWrapUp(db, { callId: id, staffId, ...body });
      await notifyOrderTaken(db, options.notifications, { callId: id, client, takenByStaffId: staffId, form: body });
      return { ...wrapUp, callRecorded };
    },
  });

  app.get('/api/calls/:id/wrap-up', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'The wrap-up forms of a call (an operator: their own)', params: CallParams, response: { 200: WrapUpList, ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      const view = await requireCallView({ db, acd }, id);
      assertMaySeeCall(request, view);
      const user = request.user;
      const own = user?.role === 'operator' ? user.staffId ?? undefined : undefined;
      return { callId: id, wrapUps: await findWrapUps(db, id, own) };
    },
  });
}
