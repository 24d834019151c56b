import type { FastifyInstance } from 'fastify';
import { systemClock } from '../acd/clock';
import { RegistrationStore } from '../sip/registration-store';
import { AgentEventHub } from './agent-event-hub';
import type { ApiContext } from './api-context';
import { callCardOf } from './call-card';
import { registerAgentEventsRoutes } from './routes/agent-events-routes';
import { registerCallCardRoutes } from './routes/call-card-routes';
import { registerMyWorkRoutes } from './routes/my-work-routes';
import { registerSeedWorkflowRoutes } from './routes/seed-workflow-routes';
import { registerSoftphoneRoutes } from './routes/softphone-routes';
import type { SocketSessions } from './socket-sessions';
import { StaffNotificationFeed } from './staff-notification-feed';

/** Longest the start waits for the live-event subscription; later, ioredis subscribes once Redis answers. */
const SUBSCRIBE_WAIT_MS = 5000;

/**
 * Everything the operator softphone needs from the server (issue 6): its
 * configuration with a short-lived SIP secret, the live agent channel, the
 * client card, the wrap-up form, "my calls", "my shift", assignments and
 * transfer targets. The live channel needs the ACD; without it the other
 * routes still answer from Postgres.
 */
export function registerSoftphoneApi(app: FastifyInstance, context: ApiContext, onClientsChanged: (e164s: string[] | null) => Promise<void>, sockets: SocketSessions): void {
  const { db, acd } = context;
  registerSoftphoneRoutes(app, {
    db, redis: context.redis, acd, realm: context.config.sip.realm,
    sipWebSocket: context.config.tls.enabled ? { scheme: 'wss', port: context.config.drachtio.wssPort } : { scheme: 'ws', port: context.config.drachtio.wsPort },
    iceServers: context.config.sip.iceServers,
    registrations: new RegistrationStore({ redis: context.redis, clock: systemClock }),
    sipEnabled: () => !context.components().some((c) => c.name === 'sip' && c.state === 'disabled'),
  });
  // Heads' new clients, managers' notifications and orders (issue 17 point 8).
  const notifications = new StaffNotificationFeed(context.redis, context.logger);
  registerSeedWorkflowRoutes(app, { db, notifications, onClientsChanged });
  registerCallCardRoutes(app, { db, acd, defaultCountry: context.config.phone.defaultCountry, onClientsChanged, notifications, timeZone: acd?.settings.timeZone });
  registerMyWorkRoutes(app, { db, acd, timeZone: acd?.settings.timeZone ?? 'UTC' });
  if (!acd) return;
  const hub = new AgentEventHub({ redis: context.redis, acd, logger: context.logger, card: (callId) => callCardOf({ db, acd }, callId, Date.now()) });
  registerAgentEventsRoutes(app, hub, { sockets });
  app.addHook('onReady', async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.all([hub.start(), notifications.subscribe((n) => hub.deliver(n.staffId, { type: 'staff.notification', notification: n }))]),
        new Promise<void>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Redis in ${SUBSCRIBE_WAIT_MS} ms`)), SUBSCRIBE_WAIT_MS);
        }),
      ]);
    } catch (err) {
      context.logger.warn({ err }, 'agent live events not subscribed yet; softphones get their state on (re)connection until Redis answers');
    } finally {
      clearTimeout(timer);
    }
  });
  app.addHook('onClose', async () => {
    notifications.close();
    await hub.stop();
  });
}
