import type { LoginThrottle } from '../../auth/login-throttle';
import type { Logger } from '../../logger';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADMINS, SIGNED_IN } from '../../auth/roles';
import { hashPassword, verifyPassword } from '../../auth/password-hash';
import { inTransaction, type Db } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import { findUserForLogin, getUser, hashToken, insertUser, issueToken, listUsers, revokeToken, updateUser } from '../../db/repositories/users-repository';
import type { UrlTickets } from '../../auth/url-tickets';
import { AppError } from '../../errors/app-error';
import type { AccessRevocation } from '../access-revocation';
import { actorOf, bearerToken } from '../auth-hook';
import { Session, UrlTicket, UrlTicketRequest, User, UserRoleName as Role } from '../schemas/auth-schemas';
import { ErrorBody, Id, IdParams, NoContent, Nullable } from '../schemas/common-schemas';

const Username = Type.String({ pattern: '^[A-Za-z0-9._@-]{2,64}$' });
const Password = Type.String({ minLength: 8, maxLength: 200 });

// A hash to compare against when the user does not exist, so that both answers take as long.
const DUMMY_HASH_PROMISE = hashPassword('not-a-real-password');

export interface AuthRoutesOptions {
  db: Db;
  tokenTtlHours: number;
  throttle: LoginThrottle;
  tickets: UrlTickets;
  /** Ends softphone secrets, registrations and sockets when a session or an account's access ends (issue 15). */
  revocation: AccessRevocation;
  logger: Logger;
}

export function registerAuthRoutes(fastify: FastifyInstance, options: AuthRoutesOptions): void {
  const { db, tokenTtlHours, throttle, tickets, revocation, logger } = options;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  /** The token is revoked already: what else the grant gave ends too, and a failure there is logged loudly, not shown to the leaver. */
  const endAccess = async (what: string, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (err) {
      logger.error({ err }, `${what}: softphone secrets, registrations or sockets may outlive the access (Redis?)`);
    }
  };
  /** How long to wait before trying; with Redis away the throttle cannot count, and logins are not refused for that. */
  const waitBeforeLogin = async (address: string, username: string): Promise<number> => {
    try {
      return await throttle.waitMs(address, username);
    } catch (err) {
      logger.warn({ err }, 'login throttle unavailable (Redis?): this attempt is not limited');
      return 0;
    }
  };
  app.post('/api/auth/login', {
    config: { access: 'public' },
    // A public route: a username and a password fit in far less than the app's 10 MiB.
    bodyLimit: 4096,
    schema: {
      tags: ['auth'], summary: 'Exchange a username and password for a bearer token (failed attempts slow the next ones down: 429 with Retry-After)',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Session, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
    },
    handler: async (request, reply) => {
      const { username, password } = request.body;
      // Refused before the password is hashed: a guesser must not cost the server an scrypt per guess either.
      const waitMs = await waitBeforeLogin(request.ip, username);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        void reply.header('Retry-After', String(seconds));
        throw new AppError('TOO_MANY_ATTEMPTS', `too many failed logins: try again in ${seconds} s`);
      }
      const user = await findUserForLogin(db, username);
      const valid = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !valid) {
        await throttle.failed(request.ip, username).catch((err: unknown) => logger.warn({ err }, 'login throttle could not count a failure'));
        throw new AppError('UNAUTHENTICATED', 'wrong username or password');
      }
      await throttle.succeeded(username).catch(() => undefined);
      const { passwordHash: _hash, ...publicUser } = user;
      return { ...(await issueToken(db, user.id, tokenTtlHours)), user: publicUser };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: SIGNED_IN },
    schema: {
      tags: ['auth'],
      summary: 'Revoke the token used for this request, with the softphone SIP secrets it was given, the browser registrations made with them (when no other session keeps one) and its open WebSockets',
      response: { 204: NoContent },
    },
    handler: async (request, reply) => {
      const token = bearerToken(request);
      if (token) await revokeToken(db, token);
      const user = request.user;
      if (user && token) await endAccess('logout', () => revocation.sessionEnded(user, hashToken(token)));
      return reply.code(204).send();
    },
  });

  app.post('/api/auth/tickets', {
    config: { access: SIGNED_IN },
    // A path and nothing else.
    bodyLimit: 4096,
    schema: {
      tags: ['auth'],
      summary: 'A short-lived ticket standing for this session on one GET path, for URLs a browser cannot send headers with: audio, CSV downloads (any number of requests until it expires), WebSockets (one use); add it as ?ticket=',
      body: UrlTicketRequest,
      response: { 201: UrlTicket, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request, reply) => {
      const user = request.user;
      // The auth hook has refused a request without a session already; this is for the compiler.
      if (!user || !request.sessionHash) throw new AppError('UNAUTHENTICATED', 'log in first');
      const path = request.body.path;
      const issued = await tickets.issue({ userId: user.id, sessionHash: request.sessionHash, path, once: request.body.use === 'socket' });
      return reply.code(201).send({ ticket: issued.ticket, url: `${path}?ticket=${issued.ticket}`, expiresAt: new Date(issued.expiresAt).toISOString() });
    },
  });

  app.get('/api/auth/me', {
    config: { access: SIGNED_IN },
    schema: { tags: ['auth'], summary: 'Who the token belongs to', response: { 200: User, 401: ErrorBody } },
    handler: (request) => {
      // The auth hook has refused a request without a user already; this is for the compiler.
      if (!request.user) throw new AppError('UNAUTHENTICATED', 'log in first');
      return request.user;
    },
  });

  app.get('/api/users', {
    config: { access: ADMINS },
    schema: { tags: ['auth'], summary: 'API users', response: { 200: Type.Array(User), 401: ErrorBody, 403: ErrorBody } },
    handler: async () => listUsers(db),
  });

  app.post('/api/users', {
    config: { access: ADMINS },
    schema: {
      tags: ['auth'], summary: 'Create an API user',
      body: Type.Object({ username: Username, password: Password, role: Role, staffId: Type.Optional(Nullable(Id)) }, { additionalProperties: false }),
      response: { 201: User, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const passwordHash = await hashPassword(body.password);
      const user = await inTransaction(db, async (client) => {
        const created = await insertUser(client, { username: body.username, passwordHash, role: body.role, staffId: body.staffId ?? null });
        await recordAudit(client, actorOf(request), { action: 'create', entity: 'user', entityId: created.id, after: created });
        return created;
      });
      return reply.code(201).send(user);
    },
  });

  app.patch('/api/users/:id', {
    config: { access: ADMINS },
    schema: {
      tags: ['auth'], summary: 'Change role, password, staff link or deactivate (a password change or deactivation revokes the user\'s tokens, softphone SIP secrets, browser registrations and open WebSockets; open WebSockets re-check a changed role at once)', params: IdParams,
      body: Type.Object({ password: Type.Optional(Password), role: Type.Optional(Role), staffId: Type.Optional(Nullable(Id)), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: User, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const id = request.params.id;
      const body = request.body;
      const passwordHash = body.password ? await hashPassword(body.password) : undefined;
      const change = await inTransaction(db, async (client) => {
        const before = await getUser(client, id);
        if (!before) throw new AppError('NOT_FOUND', `user ${id} does not exist`);
        const { password: _pw, ...rest } = body;
        const after = await updateUser(client, id, { ...rest, ...(passwordHash ? { passwordHash } : {}) });
        // Read just above in the same transaction; gone only if deleted meanwhile.
        if (!after) throw new AppError('NOT_FOUND', `user ${id} does not exist`);
        await recordAudit(client, actorOf(request), { action: 'update', entity: 'user', entityId: id, before, after: { ...after, ...(passwordHash ? { passwordChanged: true } : {}) } });
        return { before, after };
      });
      const relinked = change.before.staffId !== null && change.before.staffId !== change.after.staffId;
      await endAccess('user change', async () => {
        if (passwordHash || body.active === false) await revocation.userAccessEnded(change.after);
        // The staff member the account no longer stands for keeps no softphone secret it was given.
        if (relinked) await revocation.userAccessEnded(change.before);
        if (body.role !== undefined || body.staffId !== undefined) await revocation.userChanged(id);
      });
      return change.after;
    },
  });
}
