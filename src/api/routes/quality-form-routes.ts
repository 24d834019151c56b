import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { QUALITY_REVIEWERS } from '../../auth/roles';
import type { Db } from '../../db/pool';
import { listQualityCalls } from '../../db/repositories/quality-calls-repository';
import { listQualityForms, qualityFormStore } from '../../db/repositories/quality-forms-repository';
import { AppError } from '../../errors/app-error';
import { validateQualityForm } from '../../quality/quality-form';
import { decodeCallLogCursor } from '../../reports/call-log-cursor';
import { ErrorBody } from '../schemas/common-schemas';
import { QualityCallPage, QualityCallsQuery, QualityFormList, QualityFormParams } from '../schemas/quality-schemas';
import { registerVersionedConfigRoutes } from './versioned-config-routes';

/**
 * Quality forms (versioned like IVR flows: admins change them, reviewers
 * read them) and the call picker reviewers choose calls to evaluate from.
 */
export function registerQualityFormRoutes(fastify: FastifyInstance, db: Db): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  registerVersionedConfigRoutes(app, db, {
    basePath: '/api/quality/forms/:form', tag: 'quality', what: 'quality form', store: qualityFormStore, paramsSchema: QualityFormParams,
    scopeOf: (params) => params.form ?? 'standard',
    readAccess: QUALITY_REVIEWERS,
    validate: (_q, document) => Promise.resolve(validateQualityForm(document)),
    // Nothing caches forms: an evaluation reads its version when it is saved.
    onPublished: () => Promise.resolve(),
  });

  app.get('/api/quality/forms', {
    config: { access: QUALITY_REVIEWERS },
    schema: { tags: ['quality'], summary: 'Quality forms with their published version and newest draft', response: { 200: QualityFormList, 401: ErrorBody, 403: ErrorBody } },
    handler: async () => ({ items: await listQualityForms(db) }),
  });

  app.get('/api/quality/calls', {
    config: { access: QUALITY_REVIEWERS },
    schema: {
      tags: ['quality'], summary: 'Answered, recorded calls to evaluate: filtered, newest first a page at a time, or a random sample',
      querystring: QualityCallsQuery, response: { 200: QualityCallPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request) => {
      const query = request.query;
      if (query.sample !== undefined && query.cursor !== undefined) {
        throw new AppError('VALIDATION_FAILED', 'a random sample has no pages: send sample or cursor, not both', [{ path: 'querystring/cursor', message: 'not with sample' }]);
      }
      if (query.minSeconds !== undefined && query.maxSeconds !== undefined && query.minSeconds > query.maxSeconds) {
        throw new AppError('VALIDATION_FAILED', 'querystring/minSeconds is above maxSeconds', [{ path: 'querystring/minSeconds', message: 'above maxSeconds' }]);
      }
      return listQualityCalls(db, {
        from: query.from ? new Date(query.from) : null,
        to: query.to ? new Date(query.to) : null,
        queue: query.queue ?? null,
        agentId: query.agentId ?? null,
        tag: query.tag ?? null,
        minSeconds: query.minSeconds ?? null,
        maxSeconds: query.maxSeconds ?? null,
        evaluated: query.evaluated ?? null,
        sample: query.sample ?? null,
        after: query.cursor ? decodeCallLogCursor(query.cursor) : null,
        limit: query.limit ?? 50,
      });
    },
  });
}
