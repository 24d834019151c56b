import { inTransaction, type Db, type Queryable } from '../pool';

/** An agent's wrap-up form for one call, as the softphone shows it. */
export interface WrapUp {
  callId: string;
  staffId: number;
  dispositionCode: string;
  dispositionLabel: string;
  notes: string;
  orderReference: string | null;
  orderAmount: number | null;
  /** Rule 8's order details (src/calls/order-details.ts). */
  paymentForm: string | null;
  deliveryDate: string | null;
  shippingDetails: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WrapUpInput {
  callId: string;
  staffId: number;
  dispositionCode: string;
  notes?: string;
  orderReference?: string | null;
  orderAmount?: number | null;
  paymentForm?: string | null;
  deliveryDate?: string | null;
  shippingDetails?: string | null;
}

interface WrapUpRow {
  call_id: string; staff_id: number; disposition_code: string; label: string; notes: string; order_reference: string | null;
  order_amount: number | null; payment_form: string | null; delivery_date: string | null; shipping_details: string | null; created_at: Date; updated_at: Date;
}

const toWrapUp = (r: WrapUpRow): WrapUp => ({
  callId: r.call_id, staffId: r.staff_id, dispositionCode: r.disposition_code, dispositionLabel: r.label, notes: r.notes,
  orderReference: r.order_reference, orderAmount: r.order_amount,
  paymentForm: r.payment_form, deliveryDate: r.delivery_date, shippingDetails: r.shipping_details, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

/** True when the code is in the active disposition list. */
export async function isActiveDisposition(q: Queryable, code: string): Promise<boolean> {
  const { rowCount } = await q.query('SELECT 1 FROM disposition_codes WHERE code = $1 AND active', [code]);
  return (rowCount ?? 0) > 0;
}

/**
 * Stores an agent's wrap-up, replacing their earlier form for the same call,
 * and makes its code the call's disposition when the call row is there and
 * either has none yet or this is its first agent (the first agent's form
 * decides, as in writeWrapUp). The call row may not be written yet: the form
 * is kept regardless and the row takes the disposition when inserted (trigger
 * in migration 1763900600000). Returns the form and whether the row was there.
 */
export async function saveWrapUp(db: Db, input: WrapUpInput): Promise<{ wrapUp: WrapUp; callRecorded: boolean }> {
  return inTransaction(db, async (client) => {
    // The call row's insert trigger takes the same lock: whichever of the two commits second sees the other.
    await client.query('SELECT pg_advisory_xact_lock(4242600, hashtext($1::uuid::text) & 1023)', [input.callId]);
    await client.query(
      `INSERT INTO wrap_ups (call_id, staff_id, disposition_code, notes, order_reference, order_amount, payment_form, delivery_date, shipping_details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (call_id, staff_id) DO UPDATE
         SET disposition_code = EXCLUDED.disposition_code, notes = EXCLUDED.notes, order_reference = EXCLUDED.order_reference,
             order_amount = EXCLUDED.order_amount, payment_form = EXCLUDED.payment_form, delivery_date = EXCLUDED.delivery_date,
             shipping_details = EXCLUDED.shipping_details, updated_at = now()`,
      [input.callId, input.staffId, input.dispositionCode, input.notes ?? '', input.orderReference ?? null, input.orderAmount ?? null,
        input.paymentForm ?? null, input.deliveryDate ?? null, input.shippingDetails ?? null],
    );
    const call = await client.query<{ agent_id: number | null }>('SELECT agent_id FROM calls WHERE id = $1 FOR UPDATE', [input.callId]);
    const row = call.rows[0];
    if (row) {
      await client.query(
        'UPDATE calls SET disposition_code = $1, updated_at = now() WHERE id = $2 AND (disposition_code IS NULL OR agent_id IS NULL OR agent_id = $3)',
        [input.dispositionCode, input.callId, input.staffId],
      );
    }
    const saved = await findWrapUps(client, input.callId, input.staffId);
    return { wrapUp: saved[0] as WrapUp, callRecorded: row !== undefined };
  });
}

/** The wrap-ups of a call (of one agent when `staffId` is given), oldest first. */
export async function findWrapUps(q: Queryable, callId: string, staffId?: number): Promise<WrapUp[]> {
  const { rows } = await q.query<WrapUpRow>(
    `SELECT w.call_id, w.staff_id, w.disposition_code, d.label, w.notes, w.order_reference, w.order_amount,
            w.payment_form, to_char(w.delivery_date, 'YYYY-MM-DD') AS delivery_date, w.shipping_details, w.created_at, w.updated_at
     FROM wrap_ups w JOIN disposition_codes d ON d.code = w.disposition_code
     WHERE w.call_id = $1 AND ($2::int IS NULL OR w.staff_id = $2::int)
     ORDER BY w.created_at, w.id`,
    [callId, staffId ?? null],
  );
  return rows.map(toWrapUp);
}

/** Staff ids who wrote a wrap-up for the call. */
export async function wrapUpAuthors(q: Queryable, callId: string): Promise<number[]> {
  const { rows } = await q.query<{ staff_id: number }>('SELECT staff_id FROM wrap_ups WHERE call_id = $1', [callId]);
  return rows.map((r) => r.staff_id);
}
