import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ANY_USER, MANAGERS } from '../../auth/roles';
import type { BlindTransferTarget } from '../../sip/inbound-call';
import type { LiveCalls } from '../api-context';
import type { Db } from '../../db/pool';
import { findCall, findRecording } from '../../db/repositories/call-records-repository';
import { AppError } from '../../errors/app-error';
import { sendFileWithRange } from '../file-response';
import { ErrorBody } from '../schemas/common-schemas';

const CallParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** One call's whole record and timeline; recordings played back with Range, subject to role. */
export function registerCallRoutes(app: FastifyInstance, db: Db): void {
  app.get('/api/calls/:id', {
    config: { access: ANY_USER },
    schema: { tags: ['calls'], summary: 'One call: every stage, the IVR path, the routing reason, the timeline, the recording', params: CallParams, response: { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const call = await findCall(db, id);
      if (!call) throw new AppError('NOT_FOUND', `call ${id} does not exist`);
      // An operator sees the calls they took part in; supervisors and admins see all.
      const user = request.user;
      if (user?.role === 'operator' && !(user.staffId !== null && call.agentIds.includes(user.staffId))) {
        throw new AppError('FORBIDDEN', 'an operator may open only the calls they took part in');
      }
      return call;
    },
  });

  app.get('/api/recordings/:id/audio', {
    config: { access: MANAGERS },
    schema: { tags: ['calls'], summary: 'The recording as a stereo WAV (caller left, agent right); Range supported', params: CallParams, response: { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 410: ErrorBody } },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const recording = await findRecording(db, id);
      if (!recording) throw new AppError('NOT_FOUND', `recording ${id} does not exist`);
      if (recording.purgedAt) {
        return reply.code(410).send({ error: { code: 'NOT_FOUND', message: `recording ${id} was deleted on ${recording.purgedAt} under the retention period` } });
      }
      return sendFileWithRange(request, reply, recording.filePath, 'audio/wav', `call-${recording.callId}.wav`);
    },
  });
}

const TransferBody = Type.Object({
  target: Type.Union([
    Type.Object({ kind: Type.Literal('queue'), queue: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('person'), staffId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('department'), department: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  ]),
}, { additionalProperties: false });

/**
 * Blind transfer of a call in progress, for softphones that do not send
 * REFER: to a queue, a person (then their department's queue) or a
 * department. An operator may transfer only the call they are connected to;
 * supervisors and admins any. Only the process holding the caller's leg can
 * do it: elsewhere the call is 404.
 */
export function registerCallTransferRoute(app: FastifyInstance, calls: LiveCalls): void {
  app.post('/api/calls/:id/transfer', {
    config: { access: ANY_USER },
    schema: { tags: ['calls'], summary: 'Blind-transfer a live call to a queue, a person or a department', params: CallParams, body: TransferBody, response: { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const { target } = request.body as { target: BlindTransferTarget };
      const user = request.user;
      if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
      const live = calls.live(id);
      if (!live) throw new AppError('NOT_FOUND', `call ${id} is not in progress on this server`);
      if (user.role === 'operator' && (user.staffId === null || live.connectedStaffId !== user.staffId)) {
        throw new AppError('FORBIDDEN', 'an operator may transfer only the call they are connected to');
      }
      await calls.transfer(id, target, user.staffId ?? null);
      // Done when this returns: the first agent's leg has ended and the caller waits for the target.
      return { callId: id, transfer: { kind: 'blind', target } };
    },
  });
}
