import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ANY_USER } from '../../auth/roles';
import { CALLBACK_RESULTS, type AbandonedEntry } from '../../calls/abandoned-calls';
import type { Db } from '../../db/pool';
import {
  abandonedCallQueue, allQueueNames, listAbandonedCalls, queuesOfStaff, recordAbandonedCallback,
} from '../../db/repositories/abandoned-calls-repository';
import { AppError } from '../../errors/app-error';
import { ErrorBody, StringEnum } from '../schemas/common-schemas';
import { AbandonedItem, Attempt } from '../schemas/voicemail-schemas';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const shown = (e: AbandonedEntry): AbandonedItem => ({
  ...e, abandonedAt: e.abandonedAt.toISOString(), firstAbandonedAt: e.firstAbandonedAt.toISOString(),
  attempts: e.attempts.map((a) => ({ result: a.result, at: a.at.toISOString(), staffId: a.staffId })),
});

/** The queues whose abandoned calls the user works: an operator's own queues; every queue for supervisors and admins. */
async function queuesOf(db: Db, request: FastifyRequest): Promise<string[]> {
  const user = request.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  if (user.role !== 'operator') return allQueueNames(db);
  return user.staffId === null ? [] : queuesOfStaff(db, user.staffId);
}

/**
 * The abandoned-calls list (issue 17 point 4): callers who hung up waiting in
 * a queue, not yet called back, and the result of each call-back (reached
 * closes the entry). Operators see and work their own queues' list;
 * supervisors and admins every queue's.
 */
export function registerAbandonedCallsRoutes(fastify: FastifyInstance, db: Db): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/abandoned-calls', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Abandoned calls not yet called back, of my queues (or of one queue), oldest first',
      querystring: Type.Object({
        queue: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 })),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Array(AbandonedItem), ...errors },
    },
    handler: async (request) => {
      const mine = await queuesOf(db, request);
      const { queue, days } = request.query;
      if (queue !== undefined && !mine.includes(queue)) throw new AppError('FORBIDDEN', `you do not work queue ${queue}`);
      const entries = await listAbandonedCalls(db, queue !== undefined ? [queue] : mine, days !== undefined ? { days } : {});
      return entries.map(shown);
    },
  });

  app.post('/api/abandoned-calls/:callId/callbacks', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Record the result of calling an abandoned caller back (reached closes the entry)',
      params: Type.Object({ callId: Type.String({ format: 'uuid' }) }),
      body: Type.Object({ result: StringEnum(CALLBACK_RESULTS) }, { additionalProperties: false }),
      response: { 200: Attempt, ...errors },
    },
    handler: async (request) => {
      const { callId } = request.params;
      const queue = await abandonedCallQueue(db, callId);
      if (queue === null) throw new AppError('NOT_FOUND', `call ${callId} is not an abandoned call`);
      if (!(await queuesOf(db, request)).includes(queue)) throw new AppError('FORBIDDEN', `call ${callId} was abandoned in queue ${queue}, which you do not work`);
      const attempt = await recordAbandonedCallback(db, callId, request.user?.staffId ?? null, request.body.result);
      return { result: attempt.result, at: attempt.at.toISOString(), staffId: attempt.staffId };
    },
  });
}
