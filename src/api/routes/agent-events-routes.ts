import type { FastifyInstance } from 'fastify';
import '@fastify/websocket';
import type { WebSocket } from 'ws';
import { ANY_USER } from '../../auth/roles';
import type { AgentEventHub, AgentMessage } from '../agent-event-hub';
import { requireStaffId } from '../require-staff';
import type { SocketSessions } from '../socket-sessions';

/** How often the server checks the socket is alive (protocol ping) and sends a JSON ping the page can watch. */
export const AGENT_SOCKET_KEEPALIVE_MS = 20_000;

/**
 * `GET /api/agent/events` — the softphone's live channel (WebSocket, with a
 * single-use ticket as `?ticket=`, POST /api/auth/tickets). For the logged-in user's staff member: a `hello` with the
 * full current state on every (re)connection — the server is the truth —
 * then `agent.state`, `call.offered` (with the client card) and `call.ended`
 * as the ACD moves, from whichever process made the change.
 *
 * Keep-alive every AGENT_SOCKET_KEEPALIVE_MS: a WebSocket ping (browsers
 * answer it themselves; a socket that missed the previous one is closed) and
 * a JSON `{type:"ping"}` so the page can tell a silent drop. The page may send
 * `{type:"ping"}` and gets `{type:"pong"}`. A user with no staff member is
 * refused before the upgrade (409 NO_STAFF), like any auth failure (401/403).
 * Once open, the socket re-checks its session (SocketSessions) and is closed
 * with 4401 after a logout, password change or deactivation, 4403 when the
 * account's staff link changed.
 */
export function registerAgentEventsRoutes(app: FastifyInstance, hub: AgentEventHub, options: { sockets: SocketSessions; keepaliveMs?: number }): void {
  const keepaliveMs = options.keepaliveMs ?? AGENT_SOCKET_KEEPALIVE_MS;
  app.get('/api/agent/events', {
    websocket: true,
    config: { access: ANY_USER, urlTicket: 'socket' },
    preHandler: (request, _reply, done) => {
      // Before the upgrade, so that the refusal is a plain HTTP 409.
      try {
        requireStaffId(request);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    schema: { tags: ['softphone'], summary: 'Live agent events for the softphone (WebSocket): hello, agent.state, call.offered, call.ended, ping' },
  }, (socket: WebSocket, request) => {
    const staffId = requireStaffId(request);
    const log = request.log.child({ staffId, module: 'agent-socket' });
    const send = (message: AgentMessage): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    let alive = true;
    const detach = hub.attach(staffId, send);
    options.sockets.watch(socket, request);
    const keepalive = setInterval(() => {
      if (!alive) {
        log.info('agent socket missed a ping: closing it');
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
      send({ type: 'ping', at: Date.now() });
    }, keepaliveMs);
    const release = (): void => {
      clearInterval(keepalive);
      detach();
    };
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      alive = true;
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString('utf8'));
      } catch {
        return;
      }
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ping') send({ type: 'pong', at: Date.now() });
    });
    socket.once('close', release);
    socket.on('error', (err) => log.debug({ err: err.message }, 'agent socket error'));
    // The socket may already be gone by the time the handler runs.
    if (socket.readyState === socket.CLOSED) release();
  });
}
