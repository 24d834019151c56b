import type { FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import type { WebSocket } from 'ws';
import type { UserRecord } from '../db/repositories/users-repository';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { ChangeFeed } from '../platform/change-feed';
import type { RouteAccess } from './auth-hook';

/** The default of config auth.socketRecheckSeconds. */
export const DEFAULT_SOCKET_RECHECK_MS = 30_000;

/**
 * The WebSocket close a refusal maps to (the socket boundary's one mapping of
 * the catalogue): 4000 + the HTTP status, the private-use range of RFC 6455
 * §7.4.2 — 4401 the session is over (log in again), 4403 the role or account
 * no longer allows this socket. The reason is cut to the 123 bytes a close
 * frame holds.
 */
export function socketCloseOf(error: AppError): { code: number; reason: string } {
  let reason = error.message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return { code: 4000 + error.httpStatus, reason };
}

/** "Look at these users' sockets again now": sent by whichever process ended or changed their access. */
export interface AccessChange {
  userIds: number[];
}

function parseAccessChange(message: unknown): AccessChange {
  const ids = (message as { userIds?: unknown } | null)?.userIds;
  return { userIds: Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [] };
}

/** Tells every process that some users' access changed (logout, password change, deactivation, role change). */
export class AccessChangeFeed extends ChangeFeed<AccessChange> {
  constructor(redis: Redis, logger: Logger) {
    super(redis, 'sb:auth:access-changed', logger, parseAccessChange);
  }
}

interface Watched {
  socket: WebSocket;
  userId: number;
  staffId: number | null;
  sessionHash: string;
  access: RouteAccess;
  url: string;
  timer: NodeJS.Timeout;
}

export interface SocketSessionsOptions {
  /** The live user of a session by its token's hash (users-repository findUserByTokenHash). */
  findSession: (sessionHash: string) => Promise<UserRecord | null>;
  recheckMs?: number;
  logger: Logger;
}

/**
 * The open WebSockets of this process and the session each was opened with
 * (issue 15: access must not outlive its grant). Every socket re-checks its
 * session every `recheckMs`, and at once when told its user's access changed
 * (`recheck`, fed by AccessChangeFeed from any process); a session logged out,
 * expired or deactivated closes it with 4401, a role or staff link that no
 * longer fits the route with 4403 (socketCloseOf).
 */
export class SocketSessions {
  private readonly watched = new Set<Watched>();
  readonly recheckMs: number;

  constructor(private readonly options: SocketSessionsOptions) {
    this.recheckMs = options.recheckMs ?? DEFAULT_SOCKET_RECHECK_MS;
  }

  get size(): number {
    return this.watched.size;
  }

  /** Follows the socket a route just accepted, until it closes. The auth hook has set the request's user and session. */
  watch(socket: WebSocket, request: FastifyRequest): void {
    const user = request.user;
    const sessionHash = request.sessionHash;
    if (!user || !sessionHash) return;
    const entry: Watched = {
      socket, userId: user.id, staffId: user.staffId, sessionHash,
      access: (request.routeOptions.config as { access?: RouteAccess } | undefined)?.access ?? ['admin'],
      url: request.routeOptions.url ?? '',
      timer: setInterval(() => void this.check(entry), this.recheckMs),
    };
    this.watched.add(entry);
    const release = (): void => {
      clearInterval(entry.timer);
      this.watched.delete(entry);
    };
    socket.once('close', release);
    // The socket may already be gone by the time the route's handler runs.
    if (socket.readyState === socket.CLOSED || socket.readyState === socket.CLOSING) release();
  }

  /** Re-checks at once the sockets of these users (their access just changed, maybe in another process). */
  async recheck(userIds: readonly number[]): Promise<void> {
    const ids = new Set(userIds);
    await Promise.all([...this.watched].filter((w) => ids.has(w.userId)).map((w) => this.check(w)));
  }

  /** Stops following every socket (the app is closing; the sockets close with the server). */
  close(): void {
    for (const entry of this.watched) clearInterval(entry.timer);
    this.watched.clear();
  }

  private async check(entry: Watched): Promise<void> {
    let user: UserRecord | null;
    try {
      user = await this.options.findSession(entry.sessionHash);
    } catch (err) {
      // Postgres away: the socket keeps going; the next check decides.
      this.options.logger.warn({ err, userId: entry.userId }, 'could not re-check a socket\'s session');
      return;
    }
    const refusal = !user
      ? new AppError('UNAUTHENTICATED', 'session ended (logged out, expired, password changed or account deactivated): log in again')
      : entry.access !== 'public' && !entry.access.includes(user.role)
        ? new AppError('FORBIDDEN', `role ${user.role} may no longer use ${entry.url}`)
        : user.staffId !== entry.staffId
          ? new AppError('FORBIDDEN', 'the account is linked to another staff member now: reconnect')
          : null;
    if (!refusal || !this.watched.has(entry)) return;
    const { code, reason } = socketCloseOf(refusal);
    this.options.logger.info({ userId: entry.userId, route: entry.url, code }, 'closing a socket whose access ended');
    clearInterval(entry.timer);
    this.watched.delete(entry);
    entry.socket.close(code, reason);
  }
}
