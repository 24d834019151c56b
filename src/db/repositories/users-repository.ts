import { createHash, randomBytes } from 'node:crypto';
import type { UserRole } from '../../auth/roles';
import type { Queryable } from '../pool';

export interface UserRecord {
  id: number;
  username: string;
  role: UserRole;
  staffId: number | null;
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

interface UserRow {
  id: number;
  username: string;
  role: UserRole;
  staff_id: number | null;
  active: boolean;
  created_at: Date;
  last_login_at: Date | null;
  password_hash: string;
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    staffId: row.staff_id,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
  };
}

/** Tokens are stored hashed: a leaked table does not let anyone in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function findUserForLogin(q: Queryable, username: string): Promise<(UserRecord & { passwordHash: string }) | null> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE username = $1 AND active', [username]);
  return rows[0] ? { ...toUser(rows[0]), passwordHash: rows[0].password_hash } : null;
}

export async function listUsers(q: Queryable): Promise<UserRecord[]> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users ORDER BY username');
  return rows.map(toUser);
}

export async function getUser(q: Queryable, id: number): Promise<UserRecord | null> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function insertUser(q: Queryable, user: { username: string; passwordHash: string; role: UserRole; staffId?: number | null }): Promise<UserRecord> {
  const { rows } = await q.query<UserRow>(
    'INSERT INTO users (username, password_hash, role, staff_id) VALUES ($1, $2, $3, $4) RETURNING *',
    [user.username, user.passwordHash, user.role, user.staffId ?? null],
  );
  return toUser(rows[0] as UserRow);
}

export async function updateUser(
  q: Queryable,
  id: number,
  patch: { passwordHash?: string; role?: UserRole; staffId?: number | null; active?: boolean },
): Promise<UserRecord | null> {
  const { rows } = await q.query<UserRow>(
    `UPDATE users SET
       password_hash = COALESCE($2, password_hash),
       role = COALESCE($3, role),
       staff_id = CASE WHEN $4::boolean THEN $5 ELSE staff_id END,
       active = COALESCE($6, active)
     WHERE id = $1 RETURNING *`,
    [id, patch.passwordHash ?? null, patch.role ?? null, patch.staffId !== undefined, patch.staffId ?? null, patch.active ?? null],
  );
  if (patch.active === false || patch.passwordHash) await q.query('UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function countUsers(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]?.n ?? 0;
}

/** Issues a bearer token: returns the token once; only its hash is kept. */
export async function issueToken(q: Queryable, userId: number, ttlHours: number): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const { rows } = await q.query<{ expires_at: Date }>(
    "INSERT INTO api_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING expires_at",
    [hashToken(token), userId, ttlHours * 3600],
  );
  await q.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);
  return { token, expiresAt: (rows[0] as { expires_at: Date }).expires_at.toISOString() };
}

export async function findUserByToken(q: Queryable, token: string): Promise<UserRecord | null> {
  return findUserByTokenHash(q, hashToken(token));
}

/** The user of a live session named by its token's hash (what URL tickets and open sockets keep): null once revoked, expired or deactivated. */
export async function findUserByTokenHash(q: Queryable, tokenHash: string): Promise<UserRecord | null> {
  const { rows } = await q.query<UserRow>(
    `SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.active`,
    [tokenHash],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

/** The accounts linked to a staff member (whose sessions end when the person's access does). */
export async function listUserIdsOfStaff(q: Queryable, staffId: number): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>('SELECT id FROM users WHERE staff_id = $1', [staffId]);
  return rows.map((r) => r.id);
}

export async function revokeToken(q: Queryable, token: string): Promise<void> {
  await q.query('UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1', [hashToken(token)]);
}
