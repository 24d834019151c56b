import { verifyPassword } from '../auth/password-hash';
import { sipHa1 } from '../auth/sip-digest';
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo-seed';
import type { Queryable } from './pool';

/** Accounts that still open with the demo password everyone who read the README knows. */
export interface DemoCredentials {
  webLogins: string[];
  sipUsernames: string[];
}

/**
 * Finds the active accounts a production site must not run with (issue 15):
 * demo web logins and any staff SIP account whose password is the demo one.
 * Cheap enough for every start: the demo logins share one scrypt hash (one
 * verification per distinct hash), and SIP accounts keep an MD5 HA1.
 */
export async function findDemoCredentials(db: Queryable): Promise<DemoCredentials> {
  const users = await db.query<{ username: string; password_hash: string }>(
    'SELECT username, password_hash FROM users WHERE active AND username = ANY($1::text[]) ORDER BY username', [DEMO_LOGINS],
  );
  const demoHashes = new Set<string>();
  for (const hash of new Set(users.rows.map((row) => row.password_hash))) {
    if (await verifyPassword(DEMO_PASSWORD, hash)) demoHashes.add(hash);
  }
  const staff = await db.query<{ sip_username: string; sip_realm: string; sip_ha1: string }>(
    'SELECT sip_username, sip_realm, sip_ha1 FROM staff WHERE active AND sip_ha1 IS NOT NULL AND sip_username IS NOT NULL AND sip_realm IS NOT NULL ORDER BY sip_username',
  );
  return {
    webLogins: users.rows.filter((row) => demoHashes.has(row.password_hash)).map((row) => row.username),
    sipUsernames: staff.rows.filter((row) => sipHa1(row.sip_username, row.sip_realm, DEMO_PASSWORD) === row.sip_ha1).map((row) => row.sip_username),
  };
}

/** The refusal production starts with when demo accounts are still open, naming them and what to do; null when none are. */
export function demoCredentialsRefusal(found: DemoCredentials): string | null {
  const parts: string[] = [];
  if (found.webLogins.length > 0) parts.push(`web logins ${found.webLogins.join(', ')}`);
  if (found.sipUsernames.length > 0) parts.push(`SIP accounts ${found.sipUsernames.join(', ')}`);
  if (parts.length === 0) return null;
  return `production refuses to start: ${parts.join(' and ')} still have the demo password "${DEMO_PASSWORD}" (demo data in a production database); change their passwords or deactivate them first (or start with NODE_ENV=development)`;
}
