import type { Queryable } from '../pool';

/** A staff member as the SIP digest check sees them, permanent password or not. */
export interface SipLogin {
  staffId: number;
  username: string;
  /** MD5(username ":" realm ":" password) of the permanent SIP password; null when none is set. */
  ha1: string | null;
  realm: string | null;
  active: boolean;
}

/**
 * The staff member with this SIP username, whether or not they have a
 * permanent SIP password (a softphone-only person logs in with the
 * short-lived secret alone). One indexed lookup whatever the answer.
 */
export async function findSipLogin(q: Queryable, username: string): Promise<SipLogin | null> {
  const { rows } = await q.query<{ id: number; sip_username: string; sip_ha1: string | null; sip_realm: string | null; active: boolean }>(
    'SELECT id, sip_username, sip_ha1, sip_realm, active FROM staff WHERE sip_username = $1',
    [username],
  );
  const row = rows[0];
  if (!row) return null;
  return { staffId: row.id, username: row.sip_username, ha1: row.sip_ha1, realm: row.sip_realm, active: row.active };
}

/** A staff member as their softphone is configured. */
export interface PhoneProfile {
  id: number;
  name: string;
  role: string;
  sipUsername: string | null;
  departmentId: number | null;
  /** staff.can_dial_out where that column exists (outbound calls); true before it did. */
  canDialOut: boolean;
  /** The longest wrap-up of the queues they serve (what the form's timer shows); 30 s when they serve none. */
  wrapUpSeconds: number;
  active: boolean;
}

/** The staff member's phone profile; null when there is no such staff member. */
export async function findPhoneProfile(q: Queryable, staffId: number): Promise<PhoneProfile | null> {
  // SELECT s.*: can_dial_out comes with its own migration; reading the whole row works with or without it.
  const { rows } = await q.query<{ id: number; full_name: string; role: string; sip_username: string | null; department_id: number | null; active: boolean; can_dial_out?: boolean; wrap_up_seconds: number | null }>(
    `SELECT s.*, (SELECT max(qu.wrap_up_seconds) FROM queue_members m JOIN queues qu ON qu.id = m.queue_id AND qu.active WHERE m.staff_id = s.id) AS wrap_up_seconds
     FROM staff s WHERE s.id = $1`,
    [staffId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id, name: r.full_name, role: r.role, sipUsername: r.sip_username, departmentId: r.department_id,
    canDialOut: r.can_dial_out ?? true, wrapUpSeconds: r.wrap_up_seconds ?? 30, active: r.active,
  };
}
