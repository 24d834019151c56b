import { hashPassword } from '../auth/password-hash';
import type { Db } from './pool';
import { findUserForLogin, insertUser } from './repositories/users-repository';

/** Creates the first admin account when it does not exist yet; an existing account is never touched. */
export async function ensureAdminUser(db: Db, username: string, password: string): Promise<'created' | 'exists'> {
  if (await findUserForLogin(db, username)) return 'exists';
  await insertUser(db, { username, passwordHash: await hashPassword(password), role: 'admin' });
  return 'created';
}
