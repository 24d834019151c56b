import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Acd } from '../../acd';
import { ANY_USER } from '../../auth/roles';
import type { Db } from '../../db/pool';
import { recordCampaignCallResult } from '../../db/repositories/campaigns-repository';
import {
  callbackOwner, campaignsInstalled, listCallbackAssignments, listCampaignAssignments, listMyCalls, myStats, recordCallbackResult, type Period,
} from '../../db/repositories/my-calls-repository';
import { AppError } from '../../errors/app-error';
import { sessionIdOfAcdCall } from '../../acd/session-call-ids';
import { requireStaffId } from '../require-staff';
import { ErrorBody } from '../schemas/common-schemas';
import { Assignment, AssignmentResult, MyCall, MyStats } from '../schemas/softphone-schemas';

export interface MyWorkRoutesOptions {
  db: Db;
  acd?: Acd | undefined;
  /** "Today" is the calendar day in this zone (the ACD's, for the same day as its statistics). */
  timeZone: string;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date' })]);
const PeriodQuery = Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) }, { additionalProperties: false });

const ResultBody = Type.Object({
  result: Type.String({ minLength: 1, maxLength: 500, description: 'campaign calls: done | no_answer | failed | skipped, or free text (then done); callbacks: free text' }),
  notes: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });

/**
 * The logged-in person's own work: their calls, today's shift figures, and
 * what they have been given to do (callbacks, campaign calls). Every route
 * needs a user linked to a staff member (409 NO_STAFF otherwise).
 */
export function registerMyWorkRoutes(fastify: FastifyInstance, options: MyWorkRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, acd } = options;
  const periodOf = (query: { from?: string; to?: string }): Period => ({ from: query.from ?? null, to: query.to ?? null, timeZone: options.timeZone });

  app.get('/api/me/calls', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'My calls in a period (default: today), newest first', querystring: PeriodQuery, response: { 200: Type.Array(MyCall), ...errors } },
    handler: async (request) => listMyCalls(db, requireStaffId(request), periodOf(request.query)),
  });

  app.get('/api/me/stats', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'My shift: calls handled and missed, talk, hold, wrap-up, ready and not-ready time, dispositions', querystring: PeriodQuery, response: { 200: MyStats, ...errors } },
    handler: async (request) => myStats(db, requireStaffId(request), periodOf(request.query)),
  });

  app.get('/api/me/assignments', {
    config: { access: ANY_USER },
    schema: { tags: ['softphone'], summary: 'Callbacks and campaign calls assigned to me', response: { 200: Type.Array(Assignment), ...errors } },
    handler: async (request) => {
      const staffId = requireStaffId(request);
      // A callback the ACD has handed to me right now is mine whoever manages the client.
      const agent = acd ? await acd.getAgent(String(staffId)) : null;
      const current = agent?.callId && acd ? await acd.getCall(agent.callId) : null;
      const live = current?.kind === 'callback' ? [sessionIdOfAcdCall(current.id)] : [];
      const [callbacks, campaign] = await Promise.all([listCallbackAssignments(db, staffId, live), listCampaignAssignments(db, staffId)]);
      return [...callbacks, ...campaign];
    },
  });

  app.post('/api/me/assignments/:kind/:id/result', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Record the result of a callback or campaign call',
      params: Type.Object({ kind: Type.Union([Type.Literal('callback'), Type.Literal('campaign')]), id: Type.String({ minLength: 1, maxLength: 64 }) }),
      body: ResultBody, response: { 200: AssignmentResult, ...errors },
    },
    handler: async (request) => {
      const { kind, id } = request.params;
      const body = request.body;
      const staffId = requireStaffId(request);
      if (kind === 'campaign') {
        if (!/^\d{1,9}$/.test(id)) throw new AppError('VALIDATION_FAILED', 'a campaign call id is a number', [{ path: 'params/id', message: 'must be an integer' }]);
        if (!(await campaignsInstalled(db))) throw new AppError('NOT_FOUND', 'campaigns are not installed on this server');
        // The campaigns repository owns the call's lifecycle: only its assignee, only in an active campaign, no final outcome twice.
        const recorded = await recordCampaignCallResult(db, Number(id), staffId, body);
        return { kind, id: recorded.id, result: recorded.result, status: recorded.status };
      }
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new AppError('VALIDATION_FAILED', 'a callback id is the requesting call\'s id (uuid)', [{ path: 'params/id', message: 'must be a uuid' }]);
      }
      const owner = await callbackOwner(db, id);
      if (!owner) throw new AppError('NOT_FOUND', `call ${id} is not a callback request`);
      if (request.user?.role === 'operator' && owner.managerId !== staffId && !owner.agentIds.includes(staffId)) {
        const agent = acd ? await acd.getAgent(String(staffId)) : null;
        if (!agent?.callId || sessionIdOfAcdCall(agent.callId) !== id) throw new AppError('FORBIDDEN', `the callback of call ${id} is not assigned to you`);
      }
      if ((await recordCallbackResult(db, id, staffId, body)) === 'not_found') throw new AppError('NOT_FOUND', `call ${id} is not a callback request`);
      return { kind, id, result: body.result, status: 'done' };
    },
  });
}
