import type { Queryable } from '../pool';

/*
 * What a manager is told in their softphone (issue 17 point 8): clients a head
 * assigned to them, orders taken on calls from their clients; and the list of
 * their clients' orders. Table from migration 1763900940000.
 */

export type StaffNotificationKind = 'client_assigned' | 'order_taken';

/** One notification, as the softphone lists it and the live socket carries it. */
export interface StaffNotification {
  id: number;
  staffId: number;
  kind: StaffNotificationKind;
  clientId: number | null;
  clientName: string | null;
  callId: string | null;
  actorName: string | null;
  text: string;
  createdAt: string;
  readAt: string | null;
}

interface NotificationRow {
  id: string; staff_id: number; kind: StaffNotificationKind; client_id: number | null; client_name: string | null; call_id: string | null;
  actor_name: string | null; text: string; created_at: Date; read_at: Date | null;
}

const toNotification = (r: NotificationRow): StaffNotification => ({
  id: Number(r.id), staffId: r.staff_id, kind: r.kind, clientId: r.client_id, clientName: r.client_name, callId: r.call_id,
  actorName: r.actor_name, text: r.text, createdAt: r.created_at.toISOString(), readAt: r.read_at ? r.read_at.toISOString() : null,
});

const SELECT_NOTIFICATIONS = `
  SELECT n.id, n.staff_id, n.kind, n.client_id, c.name AS client_name, n.call_id, a.full_name AS actor_name, n.text, n.created_at, n.read_at
  FROM staff_notifications n LEFT JOIN clients c ON c.id = n.client_id LEFT JOIN staff a ON a.id = n.actor_staff_id`;

/**
 * Stores a notification for each recipient and returns the stored ones (to
 * deliver live). An order already notified for this call and manager is not
 * stored again: correcting the form does not tell them twice.
 */
export async function insertStaffNotifications(
  q: Queryable,
  recipients: readonly number[],
  notice: { kind: StaffNotificationKind; clientId: number | null; callId: string | null; actorStaffId: number | null; text: string },
): Promise<StaffNotification[]> {
  if (recipients.length === 0) return [];
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO staff_notifications (staff_id, kind, client_id, call_id, actor_staff_id, text)
     SELECT unnest($1::int[]), $2, $3, $4, $5, $6
     ON CONFLICT DO NOTHING RETURNING id`,
    [recipients, notice.kind, notice.clientId, notice.callId, notice.actorStaffId, notice.text],
  );
  if (rows.length === 0) return [];
  const stored = await q.query<NotificationRow>(`${SELECT_NOTIFICATIONS} WHERE n.id = ANY($1::bigint[]) ORDER BY n.id`, [rows.map((r) => r.id)]);
  return stored.rows.map(toNotification);
}

/** A staff member's notifications, newest first. */
export async function listStaffNotifications(q: Queryable, staffId: number, limit = 100): Promise<StaffNotification[]> {
  const { rows } = await q.query<NotificationRow>(`${SELECT_NOTIFICATIONS} WHERE n.staff_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2`, [staffId, limit]);
  return rows.map(toNotification);
}

/** Marks one of the staff member's notifications read; false when it is not theirs. */
export async function markStaffNotificationRead(q: Queryable, staffId: number, id: number): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE staff_notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND staff_id = $2', [id, staffId]);
  return (rowCount ?? 0) > 0;
}

/** An order taken on a call from one of the manager's clients. */
export interface ClientOrder {
  callId: string;
  clientId: number;
  clientName: string;
  clientType: string;
  takenByName: string | null;
  orderReference: string | null;
  orderAmount: number | null;
  paymentForm: string | null;
  deliveryDate: string | null;
  shippingDetails: string | null;
  notes: string;
  takenAt: string;
}

interface ClientOrderRow {
  call_id: string; client_id: number; client_name: string; client_type: string; taken_by: string | null; order_reference: string | null;
  order_amount: string | null; payment_form: string | null; delivery_date: string | null; shipping_details: string | null; notes: string; created_at: Date;
}

/**
 * Orders taken on calls from the clients this person manages, newest first.
 * The client is the call's (calls.client_id) or, while the call row is still
 * on its way, the one named in the order notification.
 */
export async function listMyClientsOrders(q: Queryable, managerId: number, limit = 100): Promise<ClientOrder[]> {
  const { rows } = await q.query<ClientOrderRow>(
    `SELECT w.call_id, cl.id AS client_id, cl.name AS client_name, cl.type AS client_type, s.full_name AS taken_by, w.order_reference,
            w.order_amount::text AS order_amount, w.payment_form, to_char(w.delivery_date, 'YYYY-MM-DD') AS delivery_date, w.shipping_details,
            w.notes, w.created_at
     FROM wrap_ups w
     JOIN clients cl ON cl.id = coalesce(
       (SELECT c.client_id FROM calls c WHERE c.id = w.call_id),
       (SELECT n.client_id FROM staff_notifications n WHERE n.call_id = w.call_id AND n.kind = 'order_taken' LIMIT 1))
     LEFT JOIN staff s ON s.id = w.staff_id
     WHERE cl.manager_id = $1 AND (w.disposition_code = 'order_taken' OR w.order_reference IS NOT NULL)
     ORDER BY w.created_at DESC LIMIT $2`,
    [managerId, limit],
  );
  return rows.map((r) => ({
    callId: r.call_id, clientId: r.client_id, clientName: r.client_name, clientType: r.client_type, takenByName: r.taken_by,
    orderReference: r.order_reference, orderAmount: r.order_amount === null ? null : Number(r.order_amount), paymentForm: r.payment_form,
    deliveryDate: r.delivery_date, shippingDetails: r.shipping_details, notes: r.notes, takenAt: r.created_at.toISOString(),
  }));
}
