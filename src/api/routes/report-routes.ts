import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { MANAGERS } from '../../auth/roles';
import type { Db } from '../../db/pool';
import { agentReportWithSource, queueReportWithSource, withReportSession, type ReportSource } from '../../db/repositories/reports-repository';
import { AGENT_METRIC_DEFINITIONS, AGENT_REPORT_COLUMNS, type AgentReportRow } from '../../reports/agent-metrics';
import { toCsv, type CsvValue } from '../../reports/csv-export';
import {
  DEFAULT_SERVICE_LEVEL_SECONDS, QUEUE_METRIC_DEFINITIONS, QUEUE_REPORT_COLUMNS, SHORT_ABANDON_MS, type QueueReportRow,
} from '../../reports/queue-metrics';
import { REPORT_INTERVALS, reportPeriod, type ReportPeriod } from '../../reports/report-period';
import { Code, ErrorBody } from '../schemas/common-schemas';
import { AgentReport, QueueReport } from '../schemas/report-schemas';

export interface ReportRoutesOptions {
  db: Db;
  /** The zone buckets are cut in when the request names none (IANA name). */
  defaultTimeZone: string;
}

const PeriodQuery = {
  from: Type.String({ format: 'date-time', description: 'start of the period (inclusive), ISO 8601 with offset' }),
  to: Type.String({ format: 'date-time', description: 'end of the period (exclusive)' }),
  interval: Type.Optional(Type.Union(REPORT_INTERVALS.map((i) => Type.Literal(i)), { default: 'hour' })),
  tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone the buckets are cut in, e.g. Europe/Moscow' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
  // A CSV download is a plain link, which cannot send a header: a short-lived ticket for the path rides in the URL (auth-hook.ts).
  ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a ticket from POST /api/auth/tickets for this path, for download links (never the session token)' })),
};

const QueueQuery = Type.Object({
  ...PeriodQuery,
  queue: Type.Optional(Code),
  slSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, default: DEFAULT_SERVICE_LEVEL_SECONDS, description: 'service-level threshold T' })),
}, { additionalProperties: false });

const AgentQuery = Type.Object({
  ...PeriodQuery,
  agent: Type.Optional(Type.Integer({ minimum: 1, description: 'staff id' })),
}, { additionalProperties: false });

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

/**
 * `x-report-source`: `rollups` when closed hours came from the hourly rollups
 * (the figures are the same either way), else `raw`, with the reason — for
 * whoever wonders why one report is slower than another.
 */
function sourceHeader(source: ReportSource): string {
  return source.kind === 'rollups' ? 'rollups' : `raw; ${source.reason}`;
}

/** `queue-report_2025-03-01_2025-04-01.csv`: the period's dates as the request gave them. */
function csvName(kind: string, period: ReportPeriod): string {
  const day = (d: Date): string => d.toISOString().slice(0, 10);
  return `${kind}-report_${day(period.from)}_${day(period.to)}.csv`;
}

function sendCsv<T extends { [K in keyof T]: CsvValue }>(reply: FastifyReply, filename: string, columns: readonly (keyof T & string)[], rows: readonly T[]): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(toCsv(columns, rows));
}

/**
 * Queue and agent reports for supervisors (issue 7): figures per queue or
 * agent per hour, day or week of a period, as JSON or as a CSV download. The
 * metric definitions travel with every JSON answer (src/reports).
 */
export function registerReportRoutes(fastify: FastifyInstance, options: ReportRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = options;

  const periodOf = (query: Static<typeof QueueQuery> | Static<typeof AgentQuery>): ReportPeriod =>
    reportPeriod({ from: query.from, to: query.to, interval: query.interval ?? 'hour', timeZone: query.tz ?? options.defaultTimeZone });

  app.get('/api/reports/queues', {
    config: { access: MANAGERS, urlTicket: 'download' },
    schema: {
      tags: ['reports'],
      summary: 'Queue figures per bucket: offered, answered, abandoned, service level (two definitions), ASA, AHT…; format=csv for a download',
      querystring: QueueQuery,
      response: { 200: QueueReport, ...errors },
    },
    handler: async (request, reply) => {
      const query = request.query;
      const period = periodOf(query);
      const slSeconds = query.slSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS;
      const { rows, source } = await withReportSession(db, (q) => queueReportWithSource(q, period, { queue: query.queue ?? null, slSeconds }));
      void reply.header('x-report-source', sourceHeader(source));
      if (query.format === 'csv') return sendCsv<QueueReportRow>(reply, csvName('queue', period), QUEUE_REPORT_COLUMNS, rows);
      return {
        from: period.from.toISOString(), to: period.to.toISOString(), interval: period.interval, timeZone: period.timeZone,
        slSeconds, shortAbandonSeconds: SHORT_ABANDON_MS / 1000, definitions: QUEUE_METRIC_DEFINITIONS, rows,
      };
    },
  });

  app.get('/api/reports/agents', {
    config: { access: MANAGERS, urlTicket: 'download' },
    schema: {
      tags: ['reports'],
      summary: 'Agent figures per bucket: handled, missed, talk/hold/wrap-up/ready/not-ready time, occupancy, AHT; format=csv for a download',
      querystring: AgentQuery,
      response: { 200: AgentReport, ...errors },
    },
    handler: async (request, reply) => {
      const query = request.query;
      const period = periodOf(query);
      const { rows, source } = await withReportSession(db, (q) => agentReportWithSource(q, period, { agentId: query.agent ?? null }));
      void reply.header('x-report-source', sourceHeader(source));
      if (query.format === 'csv') return sendCsv<AgentReportRow>(reply, csvName('agent', period), AGENT_REPORT_COLUMNS, rows);
      return {
        from: period.from.toISOString(), to: period.to.toISOString(), interval: period.interval, timeZone: period.timeZone,
        definitions: AGENT_METRIC_DEFINITIONS, rows,
      };
    },
  });
}
