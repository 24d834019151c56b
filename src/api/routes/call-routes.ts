import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ANY_USER, MANAGERS } from '../../auth/roles';
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
