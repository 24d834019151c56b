import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '../auth/roles';
import { findUserByToken, type UserRecord } from '../db/repositories/users-repository';
import { AppError } from '../errors/app-error';
import type { Actor } from '../db/repositories/audit-repository';
import type { Db } from '../db/pool';

/** Every route says who may call it: `'public'` or the roles allowed. Routes that say nothing are admin-only. */
export type RouteAccess = 'public' | readonly UserRole[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    user: UserRecord | null;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  return request.user ? { userId: request.user.id, username: request.user.username } : { userId: null, username: 'system' };
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ?? null;
  }
  // Browsers cannot set headers on <audio src> or WebSocket URLs; they pass the token as a query parameter.
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.access_token === 'string' ? query.access_token : null;
}

/** Enforces each route's access on every request, before its body is read. */
export function registerAuthHook(app: FastifyInstance, db: Db): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const routeConfig = request.routeOptions.config as { access?: RouteAccess } | undefined;
    // Unknown URLs fall through to the 404 handler; documentation and health are public.
    if (!request.routeOptions.url) return;
    const access = routeConfig?.access ?? (['admin'] as const);
    if (access === 'public') return;
    const token = bearerToken(request);
    // The token is not a parameter of the route: remove it so that strict query schemas
    // (CSV downloads, audio, WebSockets opened with ?access_token=) do not refuse it.
    const query = request.query as Record<string, unknown> | undefined;
    if (query && typeof query === 'object' && 'access_token' in query) delete query.access_token;
    if (!token) throw new AppError('UNAUTHENTICATED', 'log in first: send Authorization: Bearer <token>');
    const user = await findUserByToken(db, token);
    if (!user) throw new AppError('UNAUTHENTICATED', 'the token is unknown, expired or revoked: log in again');
    request.user = user;
    if (!access.includes(user.role)) {
      throw new AppError('FORBIDDEN', `role ${user.role} may not ${request.method} ${request.routeOptions.url}`);
    }
  });
}
