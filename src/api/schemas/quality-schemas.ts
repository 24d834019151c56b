import { Type, type Static } from '@sinclair/typebox';
import { Code, Id, Nullable } from './common-schemas';

/** Quality evaluation (issue 18 point 4): the shapes the API and the quality screens share. */

export const QualityFormEntry = Type.Object({
  code: Type.String(), name: Type.String(), publishedVersion: Nullable(Type.Integer()), draftVersion: Nullable(Type.Integer()),
});
export const QualityFormList = Type.Object({ items: Type.Array(QualityFormEntry) });
export const QualityFormParams = Type.Object({ form: Code });

const CallsSortKey = Type.String({ minLength: 1, maxLength: 200 });

export const QualityCallsQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  queue: Type.Optional(Code),
  agentId: Type.Optional(Id),
  tag: Type.Optional(Code),
  minSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
  maxSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
  evaluated: Type.Optional(Type.Boolean()),
  sample: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'this many calls drawn at random from the filtered set (no cursor then)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(CallsSortKey),
}, { additionalProperties: false });

export const QualityCallItem = Type.Object({
  callId: Type.String({ format: 'uuid' }),
  startedAt: Type.String({ format: 'date-time' }),
  queue: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  talkSeconds: Type.Number(),
  disposition: Nullable(Type.String()),
  tags: Type.Array(Type.String(), { description: 'the disposition codes of the call and its wrap-ups (e.g. complaint)' }),
  hasRecording: Type.Boolean(),
  evaluations: Type.Integer(),
});
export const QualityCallPage = Type.Object({ items: Type.Array(QualityCallItem), nextCursor: Nullable(Type.String()) });

const CommentText = Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' });
const AtSeconds = Type.Number({ minimum: 0, maximum: 86_400, description: 'seconds from the start of the recording' });

export const TimedCommentBody = Type.Object({ atSeconds: AtSeconds, text: CommentText }, { additionalProperties: false });

const EvaluationFields = {
  form: Code,
  formVersion: Id,
  scores: Type.Array(Type.Object({
    criterionId: Type.String({ minLength: 1, maxLength: 64 }),
    score: Type.Number({ minimum: 0, maximum: 10 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  }, { additionalProperties: false }), { maxItems: 30 }),
  comments: Type.Array(TimedCommentBody, { maxItems: 200 }),
  summary: Type.Optional(Type.String({ maxLength: 5000 })),
};
export const EvaluationCreateBody = Type.Object({ callId: Type.String({ format: 'uuid' }), ...EvaluationFields }, { additionalProperties: false });
export const EvaluationUpdateBody = Type.Object(EvaluationFields, { additionalProperties: false });

export const EvaluationComment = Type.Object({
  id: Type.Integer(), atSeconds: Type.Number(), text: Type.String(), authorName: Type.String(), createdAt: Type.String({ format: 'date-time' }),
});

export const Evaluation = Type.Object({
  id: Type.Integer(),
  callId: Type.String({ format: 'uuid' }),
  form: Type.String(),
  formVersion: Type.Integer(),
  formName: Type.String(),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  evaluatorUserId: Nullable(Type.Integer()),
  evaluatorName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  scores: Type.Array(Type.Object({
    criterionId: Type.String(), label: Type.String(), weight: Type.Number(), maxScore: Type.Integer(), score: Type.Number(), note: Nullable(Type.String()),
  })),
  comments: Type.Array(EvaluationComment),
  summary: Nullable(Type.String()),
  totalPercent: Type.Number({ minimum: 0, maximum: 100, description: 'weighted percent of the maximum, one decimal' }),
  passed: Type.Boolean(),
  criticalFailed: Type.Boolean({ description: 'a critical criterion scored 0: failed whatever the total' }),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type EvaluationView = Static<typeof Evaluation>;

export const EvaluationParams = Type.Object({ id: Id });

export const EvaluationsQuery = Type.Object({
  agentId: Type.Optional(Id),
  form: Type.Optional(Code),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,9}$' })),
}, { additionalProperties: false });
export const EvaluationPage = Type.Object({ items: Type.Array(Evaluation), nextCursor: Nullable(Type.String()) });
export const MyEvaluations = Type.Object({ items: Type.Array(Evaluation) });

export const QualityReportQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  form: Type.Optional(Code),
  agentId: Type.Optional(Id),
  bucket: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week')], { default: 'week' })),
}, { additionalProperties: false });

export const QualityReport = Type.Object({
  rows: Type.Array(Type.Object({
    agentId: Nullable(Type.Integer()),
    agentName: Nullable(Type.String()),
    bucketStart: Type.String({ format: 'date-time', description: 'UTC day, or ISO week from Monday 00:00 UTC' }),
    evaluations: Type.Integer(),
    averagePercent: Type.Number(),
    passRate: Type.Number({ minimum: 0, maximum: 1, description: 'share of evaluations that passed, 0..1' }),
    criteria: Type.Array(Type.Object({ criterionId: Type.String(), label: Type.String(), averagePercentOfMax: Type.Number() })),
  })),
});
