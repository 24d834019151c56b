import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ANY_USER, QUALITY_REVIEWERS, SIGNED_IN } from '../../auth/roles';
import { inTransaction, type Db, type DbClient } from '../../db/pool';
import type { UserRecord } from '../../db/repositories/users-repository';
import {
  acknowledgeEvaluation, addEvaluationComment, findEvaluatedCall, findEvaluation, insertEvaluation, listEvaluations, listEvaluationsOfAgent,
  loadReportedEvaluations, replaceEvaluation, type Evaluation, type EvaluationWrite,
} from '../../db/repositories/quality-evaluations-repository';
import { qualityFormStore } from '../../db/repositories/quality-forms-repository';
import { AppError } from '../../errors/app-error';
import { checkCommentOffset, checkEvaluationInput, type EvaluationInput } from '../../quality/evaluation-input';
import { aggregateQualityReport } from '../../quality/quality-report';
import { unwrapValidation, validationError } from '../../routing/validation-result';
import { requireStaffId } from '../require-staff';
import { ErrorBody } from '../schemas/common-schemas';
import {
  Evaluation as EvaluationSchema, EvaluationComment, EvaluationCreateBody, EvaluationPage, EvaluationParams, EvaluationUpdateBody, EvaluationsQuery,
  MyEvaluations, QualityReport, QualityReportQuery, TimedCommentBody,
} from '../schemas/quality-schemas';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function signedIn(request: FastifyRequest): UserRecord {
  if (!request.user) throw new AppError('UNAUTHENTICATED', 'log in first');
  return request.user;
}

const isReviewer = (user: UserRecord): boolean => QUALITY_REVIEWERS.includes(user.role);

async function mustFind(q: Db | DbClient, id: number): Promise<Evaluation> {
  const found = await findEvaluation(q, id);
  if (!found) throw new AppError('NOT_FOUND', `evaluation ${id} does not exist`);
  return found;
}

/** How long the call's recording runs: comments must fall inside it. */
async function recordingSecondsOf(q: DbClient, callId: string): Promise<{ agentId: number | null; recordingSeconds: number }> {
  const call = await findEvaluatedCall(q, callId);
  if (!call) throw new AppError('NOT_FOUND', `call ${callId} does not exist`);
  if (call.recordingSeconds === null) throw new AppError('CONFLICT', `call ${callId} has no recording to evaluate`);
  return { agentId: call.agentId, recordingSeconds: call.recordingSeconds };
}

/**
 * Checks the body against the form version it names. A draft is refused:
 * it may still change under the evaluation; published and archived versions
 * are fixed (an evaluation keeps the version it was scored with).
 */
async function checkedWrite(q: DbClient, body: EvaluationInput & { form: string; formVersion: number }, recordingSeconds: number): Promise<EvaluationWrite> {
  const version = await qualityFormStore.find(q, body.form, body.formVersion);
  if (!version) throw new AppError('NOT_FOUND', `quality form "${body.form}" version ${body.formVersion} does not exist`);
  if (version.status === 'draft') throw new AppError('CONFLICT', `quality form "${body.form}" version ${body.formVersion} is a draft: evaluate with a published version`);
  const checked = unwrapValidation('evaluation', checkEvaluationInput(version.document, body, recordingSeconds));
  return { form: body.form, formVersion: body.formVersion, checked };
}

/**
 * Evaluations of recorded calls (issue 18 point 4): reviewers score, comment
 * at moments of the recording and report; the evaluated agent reads their own
 * and acknowledges them.
 */
export function registerQualityEvaluationRoutes(fastify: FastifyInstance, db: Db): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/api/quality/evaluations', {
    config: { access: QUALITY_REVIEWERS },
    schema: { tags: ['quality'], summary: 'Score a recorded call against a form version; the agent evaluated is the call\'s', body: EvaluationCreateBody, response: { 201: EvaluationSchema, ...errors } },
    handler: async (request, reply) => {
      const user = signedIn(request);
      const body = request.body;
      const id = await inTransaction(db, async (client) => {
        const call = await recordingSecondsOf(client, body.callId);
        if (call.agentId === null) throw new AppError('CONFLICT', `call ${body.callId} was not answered by an agent: nobody to evaluate`);
        const write = await checkedWrite(client, body, call.recordingSeconds);
        return insertEvaluation(client, body.callId, call.agentId, user.id, write);
      });
      return reply.code(201).send(await mustFind(db, id));
    },
  });

  app.get('/api/quality/evaluations', {
    config: { access: QUALITY_REVIEWERS },
    schema: { tags: ['quality'], summary: 'Evaluations, newest first, a page at a time', querystring: EvaluationsQuery, response: { 200: EvaluationPage, ...errors } },
    handler: async (request) => {
      const query = request.query;
      const page = await listEvaluations(db, {
        agentId: query.agentId ?? null, form: query.form ?? null,
        from: query.from ? new Date(query.from) : null, to: query.to ? new Date(query.to) : null,
        beforeId: query.cursor ? Number(query.cursor) : null, limit: query.limit ?? 50,
      });
      return { items: page.items, nextCursor: page.nextBeforeId === null ? null : String(page.nextBeforeId) };
    },
  });

  app.get('/api/quality/evaluations/:id', {
    // Reviewers see every evaluation; anyone else only one of a call they took.
    config: { access: SIGNED_IN },
    schema: { tags: ['quality'], summary: 'One evaluation (reviewers, or the agent evaluated)', params: EvaluationParams, response: { 200: EvaluationSchema, ...errors } },
    handler: async (request) => {
      const user = signedIn(request);
      const evaluation = await mustFind(db, request.params.id);
      if (!isReviewer(user) && (user.staffId === null || user.staffId !== evaluation.agentId)) {
        throw new AppError('FORBIDDEN', 'only quality reviewers and the agent evaluated may read an evaluation');
      }
      return evaluation;
    },
  });

  app.put('/api/quality/evaluations/:id', {
    config: { access: QUALITY_REVIEWERS },
    schema: { tags: ['quality'], summary: 'Rescore an evaluation (its evaluator or an admin); the agent\'s acknowledgement is cleared', params: EvaluationParams, body: EvaluationUpdateBody, response: { 200: EvaluationSchema, ...errors } },
    handler: async (request) => {
      const user = signedIn(request);
      const { id } = request.params;
      await inTransaction(db, async (client) => {
        const evaluation = await mustFind(client, id);
        if (user.role !== 'admin' && evaluation.evaluatorUserId !== user.id) {
          throw new AppError('FORBIDDEN', 'only the evaluator or an admin may change an evaluation');
        }
        const call = await recordingSecondsOf(client, evaluation.callId);
        await replaceEvaluation(client, id, user.id, await checkedWrite(client, request.body, call.recordingSeconds));
      });
      return mustFind(db, id);
    },
  });

  app.post('/api/quality/evaluations/:id/comments', {
    config: { access: QUALITY_REVIEWERS },
    schema: { tags: ['quality'], summary: 'Comment on a moment of the evaluated recording', params: EvaluationParams, body: TimedCommentBody, response: { 201: EvaluationComment, ...errors } },
    handler: async (request, reply) => {
      const user = signedIn(request);
      const comment = await inTransaction(db, async (client) => {
        const evaluation = await mustFind(client, request.params.id);
        const call = await recordingSecondsOf(client, evaluation.callId);
        const issue = checkCommentOffset(request.body.atSeconds, call.recordingSeconds, 'atSeconds');
        if (issue) throw validationError('comment', [issue]);
        return addEvaluationComment(client, evaluation.id, request.body, user.id);
      });
      return reply.code(201).send(comment);
    },
  });

  app.get('/api/my/evaluations', {
    config: { access: ANY_USER },
    schema: { tags: ['quality'], summary: 'Evaluations of the calls I took, newest first', response: { 200: MyEvaluations, ...errors } },
    handler: async (request) => ({ items: await listEvaluationsOfAgent(db, requireStaffId(request)) }),
  });

  app.post('/api/my/evaluations/:id/acknowledge', {
    config: { access: ANY_USER },
    schema: { tags: ['quality'], summary: 'Mark one of my evaluations as read', params: EvaluationParams, response: { 200: EvaluationSchema, ...errors } },
    handler: async (request) => {
      const staffId = requireStaffId(request);
      const { id } = request.params;
      if (!(await acknowledgeEvaluation(db, id, staffId))) throw new AppError('NOT_FOUND', `evaluation ${id} is not one of yours`);
      return mustFind(db, id);
    },
  });

  app.get('/api/quality/reports', {
    config: { access: QUALITY_REVIEWERS },
    schema: { tags: ['quality'], summary: 'Per agent and day or week of the calls evaluated (from/to select calls by start): evaluations, average total, pass rate, average per criterion', querystring: QualityReportQuery, response: { 200: QualityReport, ...errors } },
    handler: async (request) => {
      const query = request.query;
      const evaluations = await loadReportedEvaluations(db, {
        from: query.from ? new Date(query.from) : null, to: query.to ? new Date(query.to) : null, form: query.form ?? null, agentId: query.agentId ?? null,
      });
      return { rows: aggregateQualityReport(evaluations, query.bucket ?? 'week') };
    },
  });
}
