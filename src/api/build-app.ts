import type { Server } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerFactory } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { Counter, Histogram, collectDefaultMetrics } from 'prom-client';
import type { ApiContext } from './api-context';
import { registerAuthHook } from './auth-hook';
import { inputProblem } from './input-guard';
import { AppError } from '../errors/app-error';
import { checkResponseContracts } from './response-contract-check';
import { toAppError } from './http-errors';
import { redactUrlSecrets } from '../logger';
import { registerAuthRoutes } from './routes/auth-routes';
import { LoginThrottle } from '../auth/login-throttle';
import { registerDirectoryRoutes } from './routes/directory-routes';
import { registerHealthRoutes } from './routes/health-routes';
import { registerClientImportRoutes } from './routes/client-import-routes';
import { DirectoryChangeFeed, StaffingChangeFeed } from '../directory/directory-change-feed';
import { ConfigPublishedFeed } from '../db/published-config-cache';
import { registerConfigRoutes } from './routes/config-routes';
import { registerSimulatorRoutes } from './routes/simulator-routes';
import { registerPromptRoutes } from './routes/prompt-routes';
import { registerAgentRoutes } from './routes/agent-routes';
import { registerCallRoutes, registerCallTransferRoute } from './routes/call-routes';
import { registerOutboundRoutes } from './routes/outbound-routes';
import { registerSoftphoneApi } from './softphone-api';
import { registerFloorRoutes } from './routes/floor-routes';
import { registerStaffingRoutes } from './routes/staffing-routes';
import { registerCampaignRoutes } from './routes/campaign-routes';
import { registerReportRoutes } from './routes/report-routes';
import { registerCallLogRoutes } from './routes/call-log-routes';
import { registerVoicemailRoutes } from './routes/voicemail-routes';
import { registerAbandonedCallsRoutes } from './routes/abandoned-calls-routes';
import { registerOutboundRulesRoutes } from './routes/outbound-rules-routes';
import { callMonitoringService, registerCallMonitoringRoutes } from './routes/call-monitoring-routes';
import { registerQualityRoutes } from './routes/quality-routes';
import { dialableTrunks } from '../sip/trunk-address';
import { trunkKey } from '../sip/outbound-calling-rules';
import { registerWebRoutes } from './web-routes';
import { createDualProtocolServer } from './dual-protocol-server';
import { registerSiteRoutes } from './routes/site-routes';
import { UrlTickets } from '../auth/url-tickets';
import { AccessChangeFeed, SocketSessions } from './socket-sessions';
import { AccessRevocation } from './access-revocation';
import { findUserByTokenHash } from '../db/repositories/users-repository';
import { SoftphoneSecrets } from '../sip/softphone-credentials';
import { RegistrationStore } from '../sip/registration-store';
import { systemClock } from '../acd/clock';

/** Builds the HTTP API (not listening yet): main listens, tests use real HTTP on a random port. */
export async function buildApp(context: ApiContext): Promise<FastifyInstance> {
  // Typed as the base logger so that the instance keeps fastify's plain instance type.
  const httpLogger: FastifyBaseLogger = context.logger.child({ module: 'http' });
  const httpsFront = context.https;
  // fastify types its raw server as http.Server throughout; an https.Server has the same shape.
  const serverFactory: FastifyServerFactory<Server> | null = httpsFront ? (handler) => createDualProtocolServer(httpsFront, handler) : null;
  const app = Fastify({
    ...(serverFactory ? { serverFactory } : {}),
    loggerInstance: httpLogger,
    // Per-request access logs would drown call logs; request metrics cover traffic instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 10 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
  });

  collectDefaultMetrics({ register: context.metrics });
  const requests = new Counter({ name: 'switchboard_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [context.metrics] });
  const durations = new Histogram({ name: 'switchboard_http_request_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [context.metrics] });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unknown';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    durations.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  // Before any schema runs: a NUL in a string or a document nested thousands deep is a clear 400 (input-guard.ts).
  app.addHook('preValidation', (request, _reply, done) => {
    const problem = inputProblem(request.query, 'query') ?? inputProblem(request.params, 'path') ?? inputProblem(request.body, 'body');
    done(problem ? new AppError('VALIDATION_FAILED', problem) : undefined);
  });

  // Documentation is public; every other route declares its access (auth-hook.ts).
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), access: 'public' };
  });

  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err);
    if (appError.code === 'INTERNAL' || appError.code === 'DEPENDENCY_DOWN') {
      // The URL without its credentials (the logger's `url` serializer redacts them too): tokens are never logged.
      request.log.error({ err, method: request.method, url: redactUrlSecrets(request.url) }, 'request failed');
    }
    return reply.code(appError.httpStatus).send({ error: { code: appError.code, message: appError.message, ...(appError.details.length > 0 ? { details: appError.details } : {}) } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
  // Tests run every JSON answer past its response schema; see response-contract-check.ts.
  if (context.config.mode === 'test') checkResponseContracts(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Switchboard API', version: '0.1.0', description: 'Directory, configuration, calls and live state of the Switchboard call center.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // One registration serves every WebSocket route (agent events, wallboard): registering the plugin twice throws.
  // Browsers pass a single-use ticket as ?ticket= (auth-hook.ts); the auth hook runs before the upgrade, so a refusal is a plain HTTP 401/403.
  if (!app.hasDecorator('websocketServer')) await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const tickets = new UrlTickets({ redis: context.redis, ttlMs: context.config.auth.urlTicketTtlSeconds * 1000 });
  registerAuthHook(app, context.db, tickets);
  // Every WebSocket route has its socket watched (socket-sessions.ts); a change of anyone's access, in any process, re-checks theirs at once.
  const sockets = new SocketSessions({ findSession: (hash) => findUserByTokenHash(context.db, hash), recheckMs: context.config.auth.socketRecheckSeconds * 1000, logger: context.logger.child({ module: 'socket-sessions' }) });
  const accessFeed = new AccessChangeFeed(context.redis, context.logger);
  app.addHook('onReady', (done) => {
    // Not awaited: the subscription waits for Redis, the app does not (sockets still re-check on their timer).
    accessFeed.subscribe((change) => void sockets.recheck(change.userIds)).catch((err: unknown) => context.logger.warn({ err }, 'access changes from other processes not followed'));
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    accessFeed.close();
    sockets.close();
    done();
  });
  const revocation = new AccessRevocation({
    db: context.db,
    secrets: new SoftphoneSecrets({ redis: context.redis }),
    registrations: new RegistrationStore({ redis: context.redis, clock: systemClock, logger: context.logger }),
    sockets, feed: accessFeed, acd: context.acd, logger: context.logger.child({ module: 'access-revocation' }),
  });
  registerHealthRoutes(app, context);
  registerSiteRoutes(app, { ca: context.siteCa ?? null });
  registerAuthRoutes(app, { db: context.db, tokenTtlHours: context.config.auth.tokenTtlHours, throttle: new LoginThrottle(context.redis), tickets, revocation, logger: context.logger });
  const directoryFeed = new DirectoryChangeFeed(context.redis, context.logger);
  const onClientsChanged = (e164s: string[] | null): Promise<void> => directoryFeed.publish({ e164s });
  const staffingFeed = new StaffingChangeFeed(context.redis, context.logger);
  // Every process, this one included, resynchronises its ACD when it hears this.
  const onStaffingChanged = (): Promise<void> => staffingFeed.publish({});
  registerDirectoryRoutes(app, {
    db: context.db, defaultCountry: context.config.phone.defaultCountry, sipRealm: context.config.sip.realm, onClientsChanged, onStaffingChanged,
    onStaffAccessEnded: (staff) => revocation.staffAccessEnded(staff),
  });
  registerClientImportRoutes(app, { db: context.db, defaultCountry: context.config.phone.defaultCountry, onClientsChanged });
  registerConfigRoutes(app, context.db, new ConfigPublishedFeed(context.redis, context.logger));
  registerSimulatorRoutes(app, context.db, context.redis, context.config.phone.defaultCountry);
  registerPromptRoutes(app, context.db, context.config.dataDir);
  registerCallRoutes(app, context.db);
  registerReportRoutes(app, { db: context.db, defaultTimeZone: context.config.reports?.timeZone ?? 'UTC' });
  registerCallLogRoutes(app, { db: context.db, defaultCountry: context.config.phone.defaultCountry });
  registerVoicemailRoutes(app, context.db);
  registerAbandonedCallsRoutes(app, context.db);
  registerQualityRoutes(app, context.db);
  if (context.calls) registerCallTransferRoute(app, context.calls);
  if (context.outbound) registerOutboundRoutes(app, context.outbound);
  if (context.acd) registerAgentRoutes(app, context.db, context.acd, context.config.sip.realm);
  registerSoftphoneApi(app, context, onClientsChanged, sockets);
  registerStaffingRoutes(app);
  registerCampaignRoutes(app, context.db);
  registerOutboundRulesRoutes(app, { db: context.db, trunks: dialableTrunks(context.config.sip.trunks).map(trunkKey), defaultCountry: context.config.phone.defaultCountry });
  if (context.acd) await registerFloorRoutes(app, { db: context.db, acd: context.acd, redis: context.redis, logger: context.logger, sockets });
  registerCallMonitoringRoutes(app, { db: context.db, service: callMonitoringService(context, app) });
  await registerWebRoutes(app);
  return app;
}
