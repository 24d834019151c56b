import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADMINS, QUALITY_REVIEWERS, type UserRole } from '../../auth/roles';
import { acdLiveCallLookup } from '../../call-monitoring/acd-live-call-lookup';
import { CallMonitoringService } from '../../call-monitoring/call-monitoring-service';
import { monitoringPolicyOf } from '../../call-monitoring/monitoring-policy';
import type { MonitoringSessionListing, MonitoringUser } from '../../call-monitoring/monitoring-ports';
import type { Db } from '../../db/pool';
import { monitoringSessionsRepository } from '../../db/repositories/monitoring-sessions-repository';
import { listQueueSupervisors, queueSupervisionOf, setQueueSupervisors } from '../../db/repositories/queue-supervisors-repository';
import { AppError } from '../../errors/app-error';
import type { ApiContext } from '../api-context';
import { actorOf } from '../auth-hook';
import { MonitorModeName, MonitoringCapabilities, MonitoringSession, QueueSupervisors } from '../schemas/call-monitoring-schemas';
import { ErrorBody, Id, PageLimit, Timestamp } from '../schemas/common-schemas';

/** Who may monitor calls (issue 18 point 3): admins, supervisors and the quality role; the service narrows it per call and mode. */
export const MONITORS: readonly UserRole[] = QUALITY_REVIEWERS;

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 501: ErrorBody, 503: ErrorBody };
const SessionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

function monitoringUser(request: FastifyRequest): MonitoringUser {
  const user = request.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  return { userId: user.id, username: user.username, role: user.role, staffId: user.staffId };
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function shown(s: MonitoringSessionListing): MonitoringSession {
  return {
    id: s.id, callId: s.callId, agentStaffId: s.agentStaffId, agentName: s.agentName, callerNumber: s.callerNumber, queue: s.queue,
    supervisorUserId: s.supervisorUserId, supervisorName: s.supervisorName, supervisorStaffId: s.supervisorStaffId,
    state: s.state, mode: s.mode, modeHistory: s.modeHistory.map((c) => ({ mode: c.mode, at: new Date(c.at).toISOString() })),
    startedAt: new Date(s.startedAt).toISOString(), answeredAt: isoOrNull(s.answeredAt), endedAt: isoOrNull(s.endedAt),
    endReason: s.endReason, endDetail: s.endDetail, durationSeconds: s.durationMs === null ? null : s.durationMs / 1000,
  };
}

/**
 * Live call monitoring (issue 18): start listening to (whispering into, barging into) a live call,
 * switch the mode, stop; the audit of every session; which supervisors watch which queue.
 * Operators reach none of it.
 */
export function registerCallMonitoringRoutes(fastify: FastifyInstance, options: { db: Db; service: CallMonitoringService }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { service, db } = options;

  app.get('/api/call-monitoring/capabilities', {
    config: { access: MONITORS },
    schema: {
      tags: ['call-monitoring'], summary: 'The monitoring modes this process can carry, those I may use, and the site policy',
      response: { 200: MonitoringCapabilities, ...errors },
    },
    handler: (request) => service.capabilities(monitoringUser(request)),
  });

  app.post('/api/call-monitoring/sessions', {
    config: { access: MONITORS },
    schema: {
      tags: ['call-monitoring'],
      summary: 'Start monitoring a live call: my phone gets a call carrying it (listen: both parties, heard by nobody). 403 outside my rights, 409 CALL_NOT_LIVE, 503 without the SIP side',
      body: Type.Object({ callId: Type.String({ format: 'uuid' }), mode: MonitorModeName }, { additionalProperties: false }),
      response: { 201: MonitoringSession, ...errors },
    },
    handler: async (request, reply) => {
      const session = await service.start(monitoringUser(request), request.body.callId, request.body.mode);
      return reply.code(201).send(shown(session));
    },
  });

  app.patch('/api/call-monitoring/sessions/:id', {
    config: { access: MONITORS },
    schema: {
      tags: ['call-monitoring'], summary: 'Switch my running session to another mode (listen, whisper, barge)',
      params: SessionParams,
      body: Type.Object({ mode: MonitorModeName }, { additionalProperties: false }),
      response: { 200: MonitoringSession, ...errors },
    },
    handler: async (request) => shown(await service.changeMode(monitoringUser(request), request.params.id, request.body.mode)),
  });

  app.delete('/api/call-monitoring/sessions/:id', {
    config: { access: MONITORS },
    schema: {
      tags: ['call-monitoring'], summary: 'Stop a session (mine; an admin any): the monitoring call is hung up, the audit row closed with its duration',
      params: SessionParams,
      response: { 200: MonitoringSession, ...errors },
    },
    handler: async (request) => shown(await service.stop(monitoringUser(request), request.params.id)),
  });

  app.get('/api/call-monitoring/sessions', {
    config: { access: MONITORS },
    schema: {
      tags: ['call-monitoring'], summary: 'Monitoring sessions, newest first: who monitored whom, when, how long, in which modes (admins every session, others their own)',
      querystring: Type.Object({
        active: Type.Optional(Type.Boolean()), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp),
        supervisorUserId: Type.Optional(Id), agentId: Type.Optional(Id), limit: Type.Optional(PageLimit),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(MonitoringSession) }), ...errors },
    },
    handler: async (request) => {
      const q = request.query;
      const items = await service.list(monitoringUser(request), {
        ...(q.active !== undefined ? { active: q.active } : {}),
        ...(q.from !== undefined ? { from: Date.parse(q.from) } : {}),
        ...(q.to !== undefined ? { to: Date.parse(q.to) } : {}),
        ...(q.supervisorUserId !== undefined ? { supervisorUserId: q.supervisorUserId } : {}),
        ...(q.agentId !== undefined ? { agentStaffId: q.agentId } : {}),
        limit: q.limit ?? 200,
      });
      return { items: items.map(shown) };
    },
  });

  app.get('/api/call-monitoring/queue-supervisors', {
    config: { access: ADMINS },
    schema: {
      tags: ['call-monitoring'], summary: 'Every queue with the supervisors assigned to it (a supervisor assigned to none follows the site policy)',
      response: { 200: Type.Object({ items: Type.Array(QueueSupervisors) }), ...errors },
    },
    handler: async () => ({ items: await listQueueSupervisors(db) }),
  });

  app.put('/api/call-monitoring/queue-supervisors/:queueId', {
    config: { access: ADMINS },
    schema: {
      tags: ['call-monitoring'], summary: 'Replace the supervisors of a queue (supervisor accounts only)',
      params: Type.Object({ queueId: Id }),
      body: Type.Object({ userIds: Type.Array(Id, { maxItems: 500 }) }, { additionalProperties: false }),
      response: { 200: QueueSupervisors, ...errors },
    },
    handler: async (request) => setQueueSupervisors(db, actorOf(request), request.params.queueId, request.body.userIds),
  });
}

/** The monitoring service over this app's context (its sessions are stopped when the app closes). */
export function callMonitoringService(context: ApiContext, app: FastifyInstance): CallMonitoringService {
  const service = new CallMonitoringService({
    store: monitoringSessionsRepository(context.db),
    calls: acdLiveCallLookup(context.acd, context.calls),
    supervision: queueSupervisionOf(context.db),
    placer: context.monitorLegs ?? null,
    policy: monitoringPolicyOf(context.config.callMonitoring),
    logger: context.logger.child({ module: 'call-monitoring' }),
  });
  // Sessions a process that died left running are closed at start (and before each listing).
  app.addHook('onReady', async () => service.closeOrphans());
  app.addHook('onClose', async () => service.close());
  return service;
}
