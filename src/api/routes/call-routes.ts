import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ANY_USER, QUALITY_REVIEWERS } from '../../auth/roles';
import type { LiveCalls } from '../api-context';
import type { Db } from '../../db/pool';
import { findCall, findRecording } from '../../db/repositories/call-records-repository';
import { loadCallViewExtras } from '../../db/repositories/call-log-repository';
import { AppError } from '../../errors/app-error';
import { sendFileWithRange } from '../file-response';
import { BlindTransferDone, ConsultEnded, ConsultUnderWay, StoredCallView, TransferBody } from '../schemas/call-schemas';
import { ErrorBody, FileBody } from '../schemas/common-schemas';
import { CALL_LOG_READERS } from './call-log-routes';

const CallParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** One call's whole record and timeline; recordings played back with Range, subject to role. */
export function registerCallRoutes(fastify: FastifyInstance, db: Db): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/calls/:id', {
    config: { access: CALL_LOG_READERS },
    schema: { tags: ['calls'], summary: 'One call: every stage, the IVR path, the routing reason, the timeline, the recording', params: CallParams, response: { 200: StoredCallView, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
    handler: async (request) => {
      const { id } = request.params;
      const call = await findCall(db, id);
      if (!call) throw new AppError('NOT_FOUND', `call ${id} does not exist`);
      // An operator sees the calls they took part in; supervisors, admins and quality reviewers see all.
      const user = request.user;
      if (user?.role === 'operator' && !(user.staffId !== null && call.agentIds.includes(user.staffId))) {
        throw new AppError('FORBIDDEN', 'an operator may open only the calls they took part in');
      }
      // An operator reads their own wrap-up of a call they shared, not a colleague's notes (issue 15).
      const wrapUps = user?.role === 'operator' ? call.wrapUps.filter((w) => w.staffId === user.staffId) : call.wrapUps;
      // Names for the ids and the rings summed up, so the call view needs no second request (issue 7).
      // The recording without where its file lies on the server: /api/recordings/:id/audio plays it.
      const recording = call.recording ? (({ filePath: _file, ...shown }) => shown)(call.recording) : null;
      return { ...call, recording, wrapUps, ...(await loadCallViewExtras(db, call)) };
    },
  });

  // The call log's two-channel player; quality reviewers listen to the calls they evaluate (issue 18).
  app.get('/api/recordings/:id/audio', {
    config: { access: QUALITY_REVIEWERS, urlTicket: 'download' },
    schema: { tags: ['calls'], summary: 'The recording as a stereo WAV (caller left, agent right); Range supported', params: CallParams,
      response: { 200: FileBody('the whole recording (audio/wav)'), 206: FileBody('the range asked for'), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 410: ErrorBody },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const recording = await findRecording(db, id);
      if (!recording) throw new AppError('NOT_FOUND', `recording ${id} does not exist`);
      if (recording.purgedAt) {
        return reply.code(410).send({ error: { code: 'NOT_FOUND', message: `recording ${id} was deleted on ${recording.purgedAt} under the retention period` } });
      }
      return sendFileWithRange(request, reply, recording.filePath, 'audio/wav', `call-${recording.callId}.wav`);
    },
  });
}

/**
 * Blind transfer of a call in progress, for softphones that do not send
 * REFER: to a queue, a person (then their department's queue) or a
 * department. An operator may transfer only the call they are connected to;
 * supervisors and admins any. Only the process holding the caller's leg can
 * do it: elsewhere the call is 404.
 */
export function registerCallTransferRoute(fastify: FastifyInstance, calls: LiveCalls): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/calls/:id/transfer', {
    config: { access: ANY_USER },
    schema: { tags: ['calls'], summary: 'Blind-transfer a live call to a queue, a person or a department', params: CallParams, body: TransferBody, response: { 200: BlindTransferDone, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
    handler: async (request) => {
      const { id } = request.params;
      const { target } = request.body;
      const user = request.user;
      if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
      const live = calls.live(id);
      if (!live) throw new AppError('NOT_FOUND', `call ${id} is not in progress on this server`);
      if (user.role === 'operator' && (user.staffId === null || live.connectedStaffId !== user.staffId)) {
        throw new AppError('FORBIDDEN', 'an operator may transfer only the call they are connected to');
      }
      await calls.transfer(id, target, user.staffId ?? null);
      // Done when this returns: the first agent's leg has ended and the caller waits for the target.
      return { callId: id, transfer: { kind: 'blind' as const, target } };
    },
  });

  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  app.post('/api/calls/:id/consult', {
    config: { access: ANY_USER },
    schema: {
      tags: ['calls'], summary: 'Warm transfer: put the caller on hold and ring the target (a person, a queue, a department, finance, quality, second line, the client\'s manager)',
      params: CallParams, body: TransferBody, response: { 200: ConsultUnderWay, ...errors },
    },
    handler: async (request) => {
      const { id } = request.params;
      const { target } = request.body;
      const byStaffId = mayActOnLiveCall(request.user, calls, id);
      // Returns while the target rings: GET …/consult tells when they answered.
      return { callId: id, consult: await calls.consult(id, target, byStaffId) };
    },
  });

  app.get('/api/calls/:id/consult', {
    config: { access: ANY_USER },
    schema: { tags: ['calls'], summary: 'The warm transfer under way: ringing, talking (the target answered) or failed', params: CallParams, response: { 200: ConsultUnderWay, ...errors } },
    handler: (request) => {
      const { id } = request.params;
      mayActOnLiveCall(request.user, calls, id);
      const consult = calls.live(id)?.consult ?? null;
      if (!consult) throw new AppError('NOT_FOUND', `call ${id} has no warm transfer under way`);
      return { callId: id, consult };
    },
  });

  app.post('/api/calls/:id/consult/complete', {
    config: { access: ANY_USER },
    schema: { tags: ['calls'], summary: 'Warm transfer: hand the caller to the consulted party; the agent\'s leg ends', params: CallParams, response: { 200: ConsultEnded, ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      const byStaffId = mayActOnLiveCall(request.user, calls, id);
      await calls.completeConsult(id, byStaffId);
      return { callId: id, consult: { state: 'completed' as const } };
    },
  });

  app.post('/api/calls/:id/consult/cancel', {
    config: { access: ANY_USER },
    schema: { tags: ['calls'], summary: 'Warm transfer: let the consulted party go; the caller is back with the agent', params: CallParams, response: { 200: ConsultEnded, ...errors } },
    handler: async (request) => {
      const { id } = request.params;
      const byStaffId = mayActOnLiveCall(request.user, calls, id);
      await calls.cancelConsult(id, byStaffId);
      return { callId: id, consult: { state: 'cancelled' as const } };
    },
  });
}

/**
 * The operator connected to the call, or a supervisor or admin, may act on
 * it (transfer it, consult): returns the acting staff id (null for users
 * without one). NOT_FOUND when the call is not live in this process.
 */
function mayActOnLiveCall(user: FastifyRequest['user'], calls: LiveCalls, callId: string): number | null {
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  const live = calls.live(callId);
  if (!live) throw new AppError('NOT_FOUND', `call ${callId} is not in progress on this server`);
  if (user.role === 'operator' && (user.staffId === null || live.connectedStaffId !== user.staffId)) {
    throw new AppError('FORBIDDEN', 'an operator may act only on the call they are connected to');
  }
  return user.staffId ?? null;
}
