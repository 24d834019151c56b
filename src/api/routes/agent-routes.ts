import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Acd } from '../../acd';
import { ANY_USER, MANAGERS } from '../../auth/roles';
import type { Db } from '../../db/pool';
import { createStaffRepository } from '../../db/repositories/staff-repository';
import { AppError } from '../../errors/app-error';
import { AgentListItem, AgentStateChanged, AgentView, QueueLiveStats, WrapUpExtended } from '../schemas/agent-schemas';
import { ErrorBody, Id } from '../schemas/common-schemas';

const AgentParams = Type.Object({ staffId: Id });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Operators act on their own agent only; supervisors and admins on anyone's. */
function assertMayAct(request: FastifyRequest, staffId: number): void {
  const user = request.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  if (user.role === 'operator' && user.staffId !== staffId) {
    throw new AppError('FORBIDDEN', 'an operator may change only their own state');
  }
}

/** Agent state for softphones and supervisors; the ACD (Redis) is the truth. */
export function registerAgentRoutes(fastify: FastifyInstance, db: Db, acd: Acd, sipRealm: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const staffRepository = createStaffRepository(sipRealm);

  app.get('/api/agents', {
    config: { access: MANAGERS },
    schema: { tags: ['agents'], summary: 'Every agent with their live state', response: { 200: Type.Array(AgentListItem), 401: ErrorBody, 403: ErrorBody } },
    handler: async () => {
      const staff = await staffRepository.list(db, { active: true }, { limit: 10_000, offset: 0 });
      const agents = await Promise.all(staff.map((s) => acd.getAgent(String(s.id))));
      return agents.filter((a) => a !== null).map((a) => ({ staffId: Number(a.id), name: a.profile.name, kind: a.profile.kind, state: a.state, reason: a.reason, since: a.since, callId: a.callId, queues: a.profile.queues, wrapUntil: a.wrapUntil }));
    },
  });

  app.get('/api/queues/:queue/live', {
    config: { access: MANAGERS },
    schema: {
      tags: ['agents'], summary: 'Live queue statistics: waiting now, longest wait, agents by state, today and the last N minutes (service level both ways, ASA, AHT, abandon rate)',
      params: Type.Object({ queue: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }) }),
      querystring: Type.Object({ windowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, default: 30 })) }),
      response: { 200: QueueLiveStats, ...errors },
    },
    handler: async (request) => {
      const { queue } = request.params;
      const { windowMinutes = 30 } = request.query;
      return acd.stats(queue, { windowMinutes });
    },
  });

  app.get('/api/agents/:staffId', {
    config: { access: ANY_USER },
    schema: { tags: ['agents'], summary: 'One agent\'s live state', params: AgentParams, response: { 200: AgentView, ...errors } },
    handler: async (request) => {
      const { staffId } = request.params;
      assertMayAct(request, staffId);
      const agent = await acd.getAgent(String(staffId));
      if (!agent) throw new AppError('NOT_FOUND', `staff member ${staffId} is not an agent`);
      return { staffId, state: agent.state, reason: agent.reason, since: agent.since, callId: agent.callId, wrapUntil: agent.wrapUntil, wrapExtended: agent.wrapExtended, callsToday: agent.callsToday };
    },
  });

  app.post('/api/agents/:staffId/state', {
    config: { access: ANY_USER },
    schema: {
      tags: ['agents'], summary: 'Ready, Not ready (with a reason) or logged out',
      params: AgentParams,
      body: Type.Object({ state: Type.Union([Type.Literal('ready'), Type.Literal('not_ready'), Type.Literal('logged_out')]), reason: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 })) }, { additionalProperties: false }),
      response: { 200: AgentStateChanged, ...errors },
    },
    handler: async (request) => {
      const { staffId } = request.params;
      assertMayAct(request, staffId);
      const { state, reason } = request.body;
      if (state === 'not_ready' && reason) {
        const known = await db.query('SELECT 1 FROM not_ready_reasons WHERE code = $1 AND active', [reason]);
        if (known.rowCount === 0) throw new AppError('VALIDATION_FAILED', `unknown not-ready reason "${reason}"`, [{ path: 'body/reason', message: 'not in /api/not-ready-reasons' }]);
      }
      await acd.transition(String(staffId), state, { ...(reason ? { reason } : {}), by: request.user?.username ?? 'api' });
      const agent = await acd.getAgent(String(staffId));
      return { staffId, state: agent?.state, reason: agent?.reason };
    },
  });

  app.post('/api/agents/:staffId/wrap-up/end', {
    config: { access: ANY_USER },
    schema: { tags: ['agents'], summary: 'End wrap-up early', params: AgentParams, response: { 200: AgentStateChanged, ...errors } },
    handler: async (request) => {
      const { staffId } = request.params;
      assertMayAct(request, staffId);
      await acd.endWrapUp(String(staffId), request.user?.username);
      return { staffId, state: (await acd.getAgent(String(staffId)))?.state };
    },
  });

  app.post('/api/agents/:staffId/wrap-up/extend', {
    config: { access: ANY_USER },
    schema: { tags: ['agents'], summary: 'Extend wrap-up once', params: AgentParams, body: Type.Object({ seconds: Type.Integer({ minimum: 5, maximum: 600 }) }, { additionalProperties: false }), response: { 200: WrapUpExtended, ...errors } },
    handler: async (request) => {
      const { staffId } = request.params;
      assertMayAct(request, staffId);
      return acd.extendWrapUp(String(staffId), request.body.seconds * 1000, request.user?.username);
    },
  });
}
