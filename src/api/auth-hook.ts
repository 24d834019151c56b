import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '../auth/roles';
import type { UrlTickets } from '../auth/url-tickets';
import { findUserByTokenHash, hashToken, type UserRecord } from '../db/repositories/users-repository';
import { AppError } from '../errors/app-error';
import type { Actor } from '../db/repositories/audit-repository';
import type { Db } from '../db/pool';

/** Every route says who may call it: `'public'` or the roles allowed. Routes that say nothing are admin-only. */
export type RouteAccess = 'public' | readonly UserRole[];

/**
 * Whether a route also takes a URL ticket (`?ticket=`, auth/url-tickets.ts)
 * instead of the Authorization header, for what browsers cannot send headers
 * with: `'download'` (audio, CSV: the ticket serves every request to its path
 * until it expires, as an audio element asks for ranges) or `'socket'` (a
 * WebSocket upgrade: the ticket is spent by its first use).
 */
export type UrlTicketUse = 'download' | 'socket';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    urlTicket?: UrlTicketUse;
  }
  interface FastifyRequest {
    user: UserRecord | null;
    /** The hash of the session token the request came with (directly or through a ticket): open sockets re-check it. */
    sessionHash: string | null;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  return request.user ? { userId: request.user.id, username: request.user.username } : { userId: null, username: 'system' };
}

/** The bearer token of the Authorization header, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? null;
}

/**
 * Enforces each route's access on every request, before its body is read. The
 * session token is taken from the Authorization header only (issue 15: a
 * token in a URL ends up in logs, history and Referer headers); the routes
 * that declare `urlTicket` also take a short-lived ticket for their own path.
 */
export function registerAuthHook(app: FastifyInstance, db: Db, tickets: UrlTickets): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionHash', null);
  app.addHook('onRequest', async (request) => {
    const routeConfig = request.routeOptions.config as { access?: RouteAccess; urlTicket?: UrlTicketUse } | undefined;
    // Unknown URLs fall through to the 404 handler; documentation and health are public.
    if (!request.routeOptions.url) return;
    const access = routeConfig?.access ?? (['admin'] as const);
    if (access === 'public') return;
    const query = request.query as Record<string, unknown> | undefined;
    if (query && typeof query === 'object' && 'access_token' in query) {
      throw new AppError('UNAUTHENTICATED', 'a session token is not accepted in a URL: send Authorization: Bearer <token>, or use a ticket from POST /api/auth/tickets');
    }
    const ticket = typeof query?.ticket === 'string' ? query.ticket : null;
    // The ticket is not a parameter of the route: removed so that strict query schemas do not refuse it.
    if (query && typeof query === 'object' && 'ticket' in query) delete query.ticket;
    const token = bearerToken(request);
    let sessionHash: string;
    if (token) {
      sessionHash = hashToken(token);
    } else if (ticket !== null && routeConfig?.urlTicket) {
      const grant = await tickets.redeem(ticket, request.url.split('?')[0] ?? '');
      // A socket takes single-use tickets only: a download ticket seen in a URL must not open sockets for a minute.
      if (!grant || request.method !== 'GET' || (routeConfig.urlTicket === 'socket' && !grant.once)) throw new AppError('UNAUTHENTICATED', 'the ticket is unknown, expired, spent or for another path: ask POST /api/auth/tickets for a new one');
      sessionHash = grant.sessionHash;
    } else {
      throw new AppError('UNAUTHENTICATED', ticket !== null ? `${request.routeOptions.url} takes no ticket: send Authorization: Bearer <token>` : 'log in first: send Authorization: Bearer <token>');
    }
    const user = await findUserByTokenHash(db, sessionHash);
    if (!user) throw new AppError('UNAUTHENTICATED', 'the token is unknown, expired or revoked: log in again');
    request.user = user;
    request.sessionHash = sessionHash;
    if (!access.includes(user.role)) {
      throw new AppError('FORBIDDEN', `role ${user.role} may not ${request.method} ${request.routeOptions.url}`);
    }
  });
}
