import { campaignsInstalled } from './my-calls-repository';
import type { Queryable } from '../pool';

/** What outbound calling needs to know about a staff member. */
export interface DialerFacts {
  staffId: number;
  fullName: string;
  role: string;
  sipUsername: string | null;
  active: boolean;
  /** staff.can_dial_out: may reach a trunk. */
  canDialOut: boolean;
}

interface DialerRow {
  id: number;
  full_name: string;
  role: string;
  sip_username: string | null;
  active: boolean;
  can_dial_out: boolean;
}

function toFacts(row: DialerRow): DialerFacts {
  return { staffId: row.id, fullName: row.full_name, role: row.role, sipUsername: row.sip_username, active: row.active, canDialOut: row.can_dial_out };
}

const COLUMNS = 'id, full_name, role, sip_username, active, can_dial_out';

export async function findDialer(q: Queryable, staffId: number): Promise<DialerFacts | null> {
  const { rows } = await q.query<DialerRow>(`SELECT ${COLUMNS} FROM staff WHERE id = $1`, [staffId]);
  return rows[0] ? toFacts(rows[0]) : null;
}

export async function findDialerBySipUsername(q: Queryable, username: string): Promise<DialerFacts | null> {
  const { rows } = await q.query<DialerRow>(`SELECT ${COLUMNS} FROM staff WHERE sip_username = $1`, [username]);
  return rows[0] ? toFacts(rows[0]) : null;
}

/** SIP usernames of active staff: the internal names a device may dial. */
export async function listActiveSipUsernames(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ sip_username: string }>('SELECT sip_username FROM staff WHERE active AND sip_username IS NOT NULL ORDER BY sip_username');
  return rows.map((r) => r.sip_username);
}

/** A client as an outbound call needs it: its first phone number (by position) and its type. */
export interface ClientDialFacts {
  id: number;
  name: string;
  type: string;
  /** E.164, first by position; null when the client has no phone. */
  e164: string | null;
}

export async function findClientDialFacts(q: Queryable, clientId: number): Promise<ClientDialFacts | null> {
  const { rows } = await q.query<{ id: number; name: string; type: string; e164: string | null }>(
    `SELECT c.id, c.name, c.type,
       (SELECT p.e164 FROM client_phones p WHERE p.client_id = c.id ORDER BY p.position, p.id LIMIT 1) AS e164
     FROM clients c WHERE c.id = $1`,
    [clientId],
  );
  return rows[0] ?? null;
}

/**
 * A campaign call `staffId` may dial now (issue 15: campaign calls go out as
 * such, under the outbound policy): assigned to them, in an active campaign,
 * still to be made (pending, or not answered before). Null otherwise, and
 * when campaigns are not installed.
 */
export async function findCampaignCallToDial(q: Queryable, campaignCallId: number, staffId: number): Promise<{ id: number; clientId: number } | null> {
  if (!(await campaignsInstalled(q))) return null;
  const { rows } = await q.query<{ id: number; client_id: number }>(
    `SELECT cc.id, cc.client_id FROM campaign_calls cc JOIN campaigns ca ON ca.id = cc.campaign_id
     WHERE cc.id = $1 AND cc.assigned_staff_id = $2 AND ca.status = 'active' AND cc.status IN ('pending', 'no_answer')`,
    [campaignCallId, staffId],
  );
  const row = rows[0];
  return row ? { id: row.id, clientId: row.client_id } : null;
}
