import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp } from './common-schemas';

/** One line of `GET /api/audit`: who changed what and when. */
export const AuditEntry = Type.Object({
  id: Type.Integer(), at: Timestamp, userId: Nullable(Type.Integer()), username: Type.String(),
  action: StringEnum(['create', 'update', 'delete', 'import', 'publish', 'rollback']),
  entity: Type.String(), entityId: Nullable(Type.String()),
  /** The record before and after, as the change wrote them (null for a create or a delete). */
  before: Type.Unknown(), after: Type.Unknown(),
});
export type AuditEntry = Static<typeof AuditEntry>;
