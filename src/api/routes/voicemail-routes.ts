import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ANY_USER, isCallWorkerRole } from '../../auth/roles';
import { mayReadVoicemail, type VoicemailReader } from '../../calls/voicemail';
import type { Db } from '../../db/pool';
import { countOpenVoicemails, findVoicemail, listVoicemails, markVoicemailDone, voicemailReader } from '../../db/repositories/voicemails-repository';
import { AppError } from '../../errors/app-error';
import { sendFileWithRange } from '../file-response';
import { ErrorBody, FileBody, PageLimit } from '../schemas/common-schemas';
import { VoicemailItem, VoicemailList } from '../schemas/voicemail-schemas';

const VoicemailParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

async function readerOf(db: Db, request: FastifyRequest): Promise<VoicemailReader> {
  const user = request.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  // The routes are open to ANY_USER only; the auth hook has refused every other role.
  if (!isCallWorkerRole(user.role)) throw new AppError('FORBIDDEN', `role ${user.role} has no voicemail`);
  return voicemailReader(db, { role: user.role, staffId: user.staffId });
}

/**
 * Voicemail (issue 17): the messages a user owns — their queues' (every
 * queue's for supervisors and admins) and their own — played back from a
 * header-authenticated fetch (or a URL ticket), and marked done with who and
 * when. A message of a queue the operator does not work is 403.
 */
export function registerVoicemailRoutes(fastify: FastifyInstance, db: Db): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/voicemails', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Voicemail messages I may handle, newest first, and how many are open',
      querystring: Type.Object({ includeDone: Type.Optional(Type.Boolean()), limit: Type.Optional(PageLimit) }, { additionalProperties: false }),
      response: { 200: VoicemailList, ...errors },
    },
    handler: async (request) => {
      const reader = await readerOf(db, request);
      const [items, open] = await Promise.all([
        listVoicemails(db, reader, { includeDone: request.query.includeDone ?? false, limit: request.query.limit ?? 100 }),
        countOpenVoicemails(db, reader),
      ]);
      return { open, items };
    },
  });

  async function readable(request: FastifyRequest, id: string): Promise<NonNullable<Awaited<ReturnType<typeof findVoicemail>>>> {
    const reader = await readerOf(db, request);
    const message = await findVoicemail(db, id);
    if (!message) throw new AppError('NOT_FOUND', `voicemail ${id} does not exist`);
    if (!mayReadVoicemail(reader, message.owner)) throw new AppError('FORBIDDEN', `voicemail ${id} is for ${message.owner.kind === 'queue' ? `queue ${message.owner.queue}` : 'another person'}`);
    return message;
  }

  app.get('/api/voicemails/:id/audio', {
    config: { access: ANY_USER, urlTicket: 'download' },
    schema: {
      tags: ['softphone'], summary: 'The message as a WAV (the call\'s recording; Range supported)', params: VoicemailParams,
      response: { 200: FileBody('the whole message (audio/wav)'), 206: FileBody('the range asked for'), ...errors, 409: ErrorBody, 410: ErrorBody },
    },
    handler: async (request, reply) => {
      const message = await readable(request, request.params.id);
      if (message.purged) {
        return reply.code(410).send({ error: { code: 'NOT_FOUND', message: `the audio of voicemail ${message.id} was deleted under the retention period` } });
      }
      if (!message.filePath) throw new AppError('CONFLICT', `the audio of voicemail ${message.id} is saved when its call ends: try again shortly`);
      return sendFileWithRange(request, reply, message.filePath, 'audio/wav', `voicemail-${message.id}.wav`);
    },
  });

  app.post('/api/voicemails/:id/done', {
    config: { access: ANY_USER },
    schema: {
      tags: ['softphone'], summary: 'Mark a message done (or open again); who and when are kept', params: VoicemailParams,
      body: Type.Object({ done: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: VoicemailItem, ...errors },
    },
    handler: async (request) => {
      const message = await readable(request, request.params.id);
      await markVoicemailDone(db, message.id, request.user?.staffId ?? null, request.body.done);
      const updated = await findVoicemail(db, message.id);
      if (!updated) throw new AppError('NOT_FOUND', `voicemail ${message.id} does not exist`);
      const { filePath: _file, ...shown } = updated;
      return shown;
    },
  });
}
