import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type Redis from 'ioredis';
import type { Acd } from '../../acd';
import { QUALITY_REVIEWERS } from '../../auth/roles';
import type { Db } from '../../db/pool';
import type { Logger } from '../../logger';
import { FloorFeed } from '../../supervisor/floor-feed';
import { FloorSources } from '../../supervisor/floor-sources';
import { ErrorBody } from '../schemas/common-schemas';
import { FloorSnapshot } from '../schemas/floor-schemas';
import type { SocketSessions } from '../socket-sessions';

/** A wallboard that stops reading gets no more until it catches up (its next message is a full snapshot anyway). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * The supervisors' wallboard: `GET /api/floor` (one snapshot) and
 * `GET /api/floor/live` (WebSocket; a single-use ticket as `?ticket=`, since
 * browsers cannot set headers on WebSocket URLs). Access is checked by the
 * auth hook before the upgrade, so an operator's socket is refused with 403;
 * once open, the socket re-checks its session (SocketSessions) and closes
 * with 4401 after a logout, 4403 when its user may no longer read it.
 * Read-only, so the quality role reads it too (issue 18): it is where a live
 * call to listen to is picked.
 */
export async function registerFloorRoutes(fastify: FastifyInstance, options: { db: Db; acd: Acd; redis: Redis; logger: Logger; sockets: SocketSessions }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Another module may have registered the plugin already; it must exist before any websocket route is added.
  if (!app.hasPlugin('@fastify/websocket')) await app.register(websocket);
  const logger = options.logger.child({ module: 'floor' });
  const feed = new FloorFeed(
    new FloorSources(options.db, options.acd, options.redis),
    // The API's connection refuses commands while disconnected; a subscriber should wait and resubscribe instead.
    () => {
      const subscriber = options.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      subscriber.on('error', (err: Error) => logger.debug({ err: err.message }, 'floor feed subscriber error'));
      return subscriber;
    },
    options.acd.keys,
    logger,
  );
  app.addHook('onClose', async () => feed.close());

  app.get('/api/floor', {
    config: { access: QUALITY_REVIEWERS },
    schema: {
      tags: ['supervisor'],
      summary: 'Wallboard snapshot: queues (waiting, longest wait, service level today and last 30 min in percent, agents by state), waiting callers, agents, alerts',
      response: { 200: FloorSnapshot, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async () => feed.snapshot(),
  });

  app.get('/api/floor/live', {
    websocket: true,
    config: { access: QUALITY_REVIEWERS, urlTicket: 'socket' },
    schema: { tags: ['supervisor'], summary: 'WebSocket: the wallboard snapshot at once, then at most once a second when anything changed and at least every 5 s' },
  }, async (socket, request) => {
    options.sockets.watch(socket, request);
    let remove: (() => void) | null = null;
    let gone = false;
    socket.on('close', () => {
      gone = true;
      remove?.();
    });
    socket.on('error', (err: Error) => request.log.debug({ err: err.message }, 'floor socket error'));
    try {
      const unsubscribe = await feed.subscribe((snapshot) => {
        if (socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
        socket.send(JSON.stringify(snapshot));
      });
      // The socket may have closed while the first snapshot was being built.
      if (gone) unsubscribe();
      else remove = unsubscribe;
    } catch (err) {
      logger.warn({ err }, 'floor feed unavailable');
      socket.close(1011, 'floor feed unavailable');
    }
  });
}
