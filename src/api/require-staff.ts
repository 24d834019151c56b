import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';

/**
 * The staff member behind the logged-in user: softphone features (a phone,
 * an agent state, "my calls") need one. NO_STAFF (409) for an account that is
 * not linked to a staff member, e.g. the bootstrap admin.
 */
export function requireStaffId(request: FastifyRequest): number {
  const user = request.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
  if (user.staffId === null) {
    throw new AppError('NO_STAFF', `user ${user.username} is not linked to a staff member: link the account to a person (PATCH /api/users/:id, staffId) to use the softphone`);
  }
  return user.staffId;
}
