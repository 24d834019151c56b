import type { DoNotCallEntry } from '../../routing/calling-window';
import type { Queryable } from '../pool';

/** A trunk's caller identity as stored (the shape sip/trunk-caller-identity.ts reads; db sits below sip). */
export interface TrunkCallerIdentity {
  fromNumber: string;
  displayName: string | null;
  assertedNumber: string | null;
  privacy: TrunkPrivacy;
}
type TrunkPrivacy = 'none' | 'id';

/**
 * What outbound calls obey besides the outbound policy (issue 17): each
 * trunk's caller identity, the do-not-call list, and the client's time zone.
 */

interface IdentityRow {
  trunk: string;
  from_number: string;
  display_name: string | null;
  asserted_number: string | null;
  privacy: TrunkPrivacy;
}

function toIdentity(row: IdentityRow): TrunkCallerIdentity {
  return { fromNumber: row.from_number, displayName: row.display_name, assertedNumber: row.asserted_number, privacy: row.privacy };
}

/** The caller identity configured for `trunk` (`host:port`), null when none is. */
export async function findTrunkIdentity(q: Queryable, trunk: string): Promise<TrunkCallerIdentity | null> {
  const { rows } = await q.query<IdentityRow>('SELECT * FROM trunk_caller_ids WHERE trunk = $1', [trunk]);
  return rows[0] ? toIdentity(rows[0]) : null;
}

/** Every configured identity, by trunk. */
export async function listTrunkIdentities(q: Queryable): Promise<Map<string, TrunkCallerIdentity>> {
  const { rows } = await q.query<IdentityRow>('SELECT * FROM trunk_caller_ids ORDER BY trunk');
  return new Map(rows.map((r) => [r.trunk, toIdentity(r)]));
}

/** Sets `trunk`'s identity (validated by the caller: trunkIdentityProblems). */
export async function saveTrunkIdentity(q: Queryable, trunk: string, identity: TrunkCallerIdentity): Promise<void> {
  await q.query(
    `INSERT INTO trunk_caller_ids (trunk, from_number, display_name, asserted_number, privacy) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (trunk) DO UPDATE SET from_number = EXCLUDED.from_number, display_name = EXCLUDED.display_name,
       asserted_number = EXCLUDED.asserted_number, privacy = EXCLUDED.privacy, updated_at = now()`,
    [trunk, identity.fromNumber, identity.displayName, identity.assertedNumber, identity.privacy],
  );
}

/** Removes `trunk`'s identity (its calls go out unidentified again); false when it had none. */
export async function deleteTrunkIdentity(q: Queryable, trunk: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM trunk_caller_ids WHERE trunk = $1', [trunk]);
  return (rowCount ?? 0) > 0;
}

/** One number on the do-not-call list, as the admin screen lists it. */
export interface DoNotCallRecord {
  e164: string;
  reason: string;
  addedBy: number | null;
  addedByName: string | null;
  addedAt: string;
}

/** The list, newest first; `search` matches the number or the reason. */
export async function listDoNotCall(q: Queryable, options: { search?: string; limit: number; offset: number }): Promise<{ items: DoNotCallRecord[]; total: number }> {
  const search = options.search?.trim() ? `%${options.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = search ? 'WHERE d.e164 ILIKE $1 OR d.reason ILIKE $1' : '';
  const params = search ? [search] : [];
  const total = await q.query<{ n: string }>(`SELECT count(*) AS n FROM do_not_call d ${where}`, params);
  const { rows } = await q.query<{ e164: string; reason: string; added_by: number | null; full_name: string | null; added_at: Date }>(
    `SELECT d.e164, d.reason, d.added_by, s.full_name, d.added_at FROM do_not_call d LEFT JOIN staff s ON s.id = d.added_by ${where}
     ORDER BY d.added_at DESC, d.e164 LIMIT ${Number(options.limit)} OFFSET ${Number(options.offset)}`,
    params,
  );
  return {
    total: Number(total.rows[0]?.n ?? 0),
    items: rows.map((r) => ({ e164: r.e164, reason: r.reason, addedBy: r.added_by, addedByName: r.full_name, addedAt: r.added_at.toISOString() })),
  };
}

/** Puts numbers on the list (an existing entry keeps its date and gets the new reason); returns how many were new. */
export async function addDoNotCall(q: Queryable, entries: readonly { e164: string; reason: string }[], addedBy: number | null): Promise<number> {
  if (entries.length === 0) return 0;
  const { rows } = await q.query<{ inserted: boolean }>(
    `INSERT INTO do_not_call (e164, reason, added_by) SELECT e, r, $3 FROM unnest($1::text[], $2::text[]) AS t(e, r)
     ON CONFLICT (e164) DO UPDATE SET reason = EXCLUDED.reason RETURNING (xmax = 0) AS inserted`,
    [entries.map((e) => e.e164), entries.map((e) => e.reason), addedBy],
  );
  return rows.filter((r) => r.inserted).length;
}

/** Takes a number off the list; false when it was not on it. */
export async function removeDoNotCall(q: Queryable, e164: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM do_not_call WHERE e164 = $1', [e164]);
  return (rowCount ?? 0) > 0;
}

/** The list's entries for these numbers (what mayCallNow needs for one call). */
export async function doNotCallEntries(q: Queryable, numbers: readonly string[]): Promise<Map<string, DoNotCallEntry>> {
  if (numbers.length === 0) return new Map();
  const { rows } = await q.query<{ e164: string; reason: string }>('SELECT e164, reason FROM do_not_call WHERE e164 = ANY($1::text[])', [numbers]);
  return new Map(rows.map((r) => [r.e164, { reason: r.reason }]));
}

/** The client's time zone as on their card (null: not set, or no such client). */
export async function clientTimeZone(q: Queryable, clientId: number): Promise<string | null> {
  const { rows } = await q.query<{ time_zone: string | null }>('SELECT time_zone FROM clients WHERE id = $1', [clientId]);
  return rows[0]?.time_zone ?? null;
}

/** Sets (or clears, with null) the client's time zone; false when there is no such client. */
export async function setClientTimeZone(q: Queryable, clientId: number, timeZone: string | null): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE clients SET time_zone = $2, updated_at = now() WHERE id = $1', [clientId, timeZone]);
  return (rowCount ?? 0) > 0;
}
