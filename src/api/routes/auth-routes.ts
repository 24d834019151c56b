import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ADMINS, ANY_USER, USER_ROLES } from '../../auth/roles';
import { hashPassword, verifyPassword } from '../../auth/password-hash';
import { inTransaction, type Db } from '../../db/pool';
import { recordAudit } from '../../db/repositories/audit-repository';
import { findUserForLogin, getUser, insertUser, issueToken, listUsers, revokeToken, updateUser } from '../../db/repositories/users-repository';
import { AppError } from '../../errors/app-error';
import { actorOf } from '../auth-hook';
import { ErrorBody, Id, IdParams, Nullable } from '../schemas/common-schemas';

const Role = Type.Union(USER_ROLES.map((r) => Type.Literal(r)));
const User = Type.Object({
  id: Id, username: Type.String(), role: Role, staffId: Nullable(Id), active: Type.Boolean(),
  createdAt: Type.String(), lastLoginAt: Nullable(Type.String()),
});
const Username = Type.String({ pattern: '^[A-Za-z0-9._@-]{2,64}$' });
const Password = Type.String({ minLength: 8, maxLength: 200 });

// A hash to compare against when the user does not exist, so that both answers take as long.
const DUMMY_HASH_PROMISE = hashPassword('not-a-real-password');

export function registerAuthRoutes(app: FastifyInstance, db: Db, tokenTtlHours: number): void {
  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: 'Exchange a username and password for a bearer token',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: User }), 400: ErrorBody, 401: ErrorBody },
    },
    handler: async (request) => {
      const { username, password } = request.body as { username: string; password: string };
      const user = await findUserForLogin(db, username);
      const valid = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !valid) throw new AppError('UNAUTHENTICATED', 'wrong username or password');
      const { passwordHash: _hash, ...publicUser } = user;
      return { ...(await issueToken(db, user.id, tokenTtlHours)), user: publicUser };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: ANY_USER },
    schema: { tags: ['auth'], summary: 'Revoke the token used for this request', response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (token) await revokeToken(db, token);
      return reply.code(204).send();
    },
  });

  app.get('/api/auth/me', {
    config: { access: ANY_USER },
    schema: { tags: ['auth'], summary: 'Who the token belongs to', response: { 200: User, 401: ErrorBody } },
    handler: (request, reply) => reply.send(request.user),
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
      const body = request.body as { username: string; password: string; role: (typeof USER_ROLES)[number]; staffId?: number | null };
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
      tags: ['auth'], summary: 'Change role, password, staff link or deactivate (revokes the user\'s tokens)', params: IdParams,
      body: Type.Object({ password: Type.Optional(Password), role: Type.Optional(Role), staffId: Type.Optional(Nullable(Id)), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: User, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const id = (request.params as { id: number }).id;
      const body = request.body as { password?: string; role?: (typeof USER_ROLES)[number]; staffId?: number | null; active?: boolean };
      const passwordHash = body.password ? await hashPassword(body.password) : undefined;
      return inTransaction(db, async (client) => {
        const before = await getUser(client, id);
        if (!before) throw new AppError('NOT_FOUND', `user ${id} does not exist`);
        const { password: _pw, ...rest } = body;
        const after = await updateUser(client, id, { ...rest, ...(passwordHash ? { passwordHash } : {}) });
        await recordAudit(client, actorOf(request), { action: 'update', entity: 'user', entityId: id, before, after: { ...after, ...(passwordHash ? { passwordChanged: true } : {}) } });
        return after;
      });
    },
  });
}
