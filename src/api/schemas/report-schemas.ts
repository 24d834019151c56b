import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common-schemas';

/**
 * `GET /api/reports/queues` and `/api/reports/agents` as JSON (src/reports):
 * figures per queue or agent per bucket, ratios 0–1, times in ms, with the
 * metric definitions and the period as the server understood it.
 */

const Ms = Type.Number({ minimum: 0 });
const Ratio = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const Bucket = { bucketStart: Type.String({ format: 'date-time' }), bucketLocal: Type.String() };
const PeriodEcho = {
  from: Type.String(), to: Type.String(), interval: Type.String(), timeZone: Type.String(),
  definitions: Type.Record(Type.String(), Type.String()),
};

export const QueueReportRow = Type.Object({
  queue: Type.String(), ...Bucket,
  offered: Type.Integer(), answered: Type.Integer(), abandoned: Type.Integer(), shortAbandoned: Type.Integer(),
  abandonedAfterSl: Type.Integer(), answeredWithinSl: Type.Integer(),
  serviceLevelOfOffered: Ratio, serviceLevelOfAnsweredAndAbandonedAfterSl: Ratio,
  asaMs: Nullable(Ms), ahtMs: Nullable(Ms), talkMs: Ms, holdMs: Ms, wrapUpMs: Ms, longestWaitMs: Ms,
  overflowed: Type.Integer(), callbacksRequested: Type.Integer(),
});
export type QueueReportRow = Static<typeof QueueReportRow>;

export const AgentReportRow = Type.Object({
  agentId: Type.Integer(), agentName: Nullable(Type.String()), ...Bucket,
  handled: Type.Integer(), missed: Type.Integer(), talkMs: Ms, holdMs: Ms, wrapUpMs: Ms, readyMs: Ms, notReadyMs: Ms,
  occupancy: Ratio, ahtMs: Nullable(Ms),
});
export type AgentReportRow = Static<typeof AgentReportRow>;

export const QueueReport = Type.Object({
  ...PeriodEcho, slSeconds: Type.Integer(), shortAbandonSeconds: Type.Number(), rows: Type.Array(QueueReportRow),
});
export type QueueReport = Static<typeof QueueReport>;

export const AgentReport = Type.Object({ ...PeriodEcho, rows: Type.Array(AgentReportRow) });
export type AgentReport = Static<typeof AgentReport>;
