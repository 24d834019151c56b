import { Type, type Static } from '@sinclair/typebox';
import { USER_ROLES } from '../../auth/roles';
import { Id, Nullable, StringEnum, Timestamp } from './common-schemas';

export const UserRoleName = StringEnum(USER_ROLES);

/** An API user (`GET /api/auth/me`, `/api/users`); never with its password hash. */
export const User = Type.Object({
  id: Id, username: Type.String(), role: UserRoleName, staffId: Nullable(Id), active: Type.Boolean(),
  createdAt: Timestamp, lastLoginAt: Nullable(Timestamp),
});
export type User = Static<typeof User>;

/** `POST /api/auth/login`: the bearer token, when it stops working, and whose it is. */
export const Session = Type.Object({ token: Type.String(), expiresAt: Timestamp, user: User });
export type Session = Static<typeof Session>;

/** `POST /api/auth/tickets`: the path the ticket is for (exactly, without a query) and what it serves. */
export const UrlTicketRequest = Type.Object({
  path: Type.String({ pattern: '^/api/[A-Za-z0-9._~%/-]+$', maxLength: 300, description: 'the GET path, e.g. /api/recordings/<id>/audio' }),
  use: Type.Optional(Type.Union([Type.Literal('download'), Type.Literal('socket')], { default: 'download', description: 'download: any number of requests until it expires; socket: one WebSocket upgrade' })),
}, { additionalProperties: false });

export const UrlTicket = Type.Object({
  ticket: Type.String(),
  /** The path with the ticket added: what to put in <audio src>, a link or a WebSocket URL. */
  url: Type.String(),
  expiresAt: Timestamp,
});
export type UrlTicket = Static<typeof UrlTicket>;
