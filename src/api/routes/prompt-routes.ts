import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADMINS, MANAGERS } from '../../auth/roles';
import { inTransaction, type Db } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import { findPrompt, upsertPrompt } from '../../db/repositories/prompts-repository';
import { AppError } from '../../errors/app-error';
import { convertForMediaServer, PROMPT_UPLOAD_LIMITS } from '../../media/prompt-audio';
import { promptFilePath, uploadedPromptFile } from '../../media/prompt-files';
import { actorOf } from '../auth-hook';
import { sendFileWithRange } from '../file-response';
import { ErrorBody, FileBody } from '../schemas/common-schemas';
import { Prompt } from '../schemas/config-schemas';

const PromptParams = Type.Object({ id: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 }), language: Type.String({ pattern: '^[a-z]{2,3}$' }) });

/** Listening to prompts in the browser and replacing them with an admin's own recording. */
export function registerPromptRoutes(fastify: FastifyInstance, db: Db, dataDir: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  for (const type of ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: PROMPT_UPLOAD_LIMITS.maxBytes + 1024 }, (_request, body, done) => done(null, body));
  }

  app.get('/api/prompts/:id/:language/audio', {
    config: { access: MANAGERS, urlTicket: 'download' },
    schema: {
      tags: ['ivr'], summary: 'The prompt\'s audio (WAV, Range requests supported)', params: PromptParams,
      response: { 200: FileBody('the whole prompt (audio/wav)'), 206: FileBody('the range asked for'), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request, reply) => {
      const { id, language } = request.params;
      const prompt = await findPrompt(db, id, language);
      if (!prompt) throw new AppError('NOT_FOUND', `prompt ${id} has no ${language} version`);
      return sendFileWithRange(request, reply, promptFilePath(prompt, dataDir), 'audio/wav', `${id}-${language}.wav`);
    },
  });

  app.put('/api/prompts/:id/:language/audio', {
    config: { access: ADMINS },
    schema: {
      tags: ['ivr'],
      summary: 'Upload a WAV for a prompt (new or existing); it is checked and converted to 8 kHz mono for the media server',
      description: `Body: the WAV file (Content-Type audio/wav). Up to ${PROMPT_UPLOAD_LIMITS.maxBytes} bytes. A new prompt needs ?text= (what it says).`,
      params: PromptParams,
      querystring: Type.Object({ text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) }),
      response: { 200: Prompt, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request) => {
      const { id, language } = request.params;
      const { text } = request.query;
      if (!Buffer.isBuffer(request.body)) throw new AppError('VALIDATION_FAILED', 'send the WAV file as the request body with Content-Type audio/wav');
      const existing = await findPrompt(db, id, language);
      const promptText = text ?? existing?.text;
      if (!promptText) throw new AppError('VALIDATION_FAILED', `prompt ${id} (${language}) is new: say what it says with ?text=`, [{ path: 'querystring/text', message: 'required for a new prompt' }]);
      const sha256 = createHash('sha256').update(request.body).digest('hex');
      const audioFile = uploadedPromptFile(id, language, sha256);
      const converted = await convertForMediaServer(request.body, path.join(path.resolve(dataDir), 'prompts', audioFile));
      return inTransaction(db, async (client) => {
        const { before, after } = await upsertPrompt(client, { id, language, text: promptText, audioFile, source: 'upload', durationMs: converted.durationMs, updatedBy: actorOf(request).username });
        await recordAudit(client, actorOf(request), { action: before ? 'update' : 'create', entity: 'prompt', entityId: `${id}/${language}`, before, after });
        return after;
      });
    },
  });
}
