import type { Queryable } from '../pool';

/** What the registrar needs to check a SIP digest for one staff member (RFC 2617 §3.2.2.2: HA1, never the password). */
export interface SipCredentials {
  staffId: number;
  username: string;
  /** MD5(username ":" realm ":" password), 32 lower-case hex digits. */
  ha1: string;
  realm: string;
  active: boolean;
}

/**
 * The SIP credentials of the staff member with this SIP username, or null when
 * there is none or it has no password set. One indexed lookup whatever the
 * answer, so that known and unknown names cost the same.
 */
export async function findSipCredentials(q: Queryable, username: string): Promise<SipCredentials | null> {
  const { rows } = await q.query<{ id: number; sip_username: string; sip_ha1: string | null; sip_realm: string | null; active: boolean }>(
    'SELECT id, sip_username, sip_ha1, sip_realm, active FROM staff WHERE sip_username = $1',
    [username],
  );
  const row = rows[0];
  if (!row || row.sip_ha1 === null || row.sip_realm === null) return null;
  return { staffId: row.id, username: row.sip_username, ha1: row.sip_ha1, realm: row.sip_realm, active: row.active };
}
