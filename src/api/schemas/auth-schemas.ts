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
