import type { Db } from '../db/pool';
import { insertStaffNotifications } from '../db/repositories/staff-notifications-repository';
import { orderDetailProblems, orderRecipients, recordsOrder, type OrderDetails } from '../calls/order-details';
import { AppError } from '../errors/app-error';
import type { CallView } from './live-call-view';
import type { StaffNotificationFeed } from './staff-notification-feed';

/** The client of a call, as the order rules need it. */
export interface OrderClient {
  id: number;
  name: string;
  type: string;
  managerId: number | null;
}

type OrderForm = { dispositionCode: string; orderReference?: string | null | undefined; orderAmount?: number | null | undefined } & OrderDetails;

const PROBLEM_TEXT = {
  required: 'required for an order of this client type',
  unknown_payment_form: 'not a known payment form',
  in_the_past: 'the delivery date is in the past',
} as const;

/** The call's client: the stored row's, or the live ACD entry's while the call row is on its way. */
export async function orderClientOf(db: Db, view: CallView): Promise<OrderClient | null> {
  const meta = view.acdEntries[0]?.meta;
  const clientId = view.stored ? view.stored.clientId : typeof meta?.clientId === 'number' ? meta.clientId : null;
  if (clientId === null) return null;
  const { rows } = await db.query<{ id: number; name: string; type: string; manager_id: number | null }>(
    'SELECT id, name, type, manager_id FROM clients WHERE id = $1', [clientId],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, type: row.type, managerId: row.manager_id } : null;
}

/** The call centre's calendar day in `timeZone`, YYYY-MM-DD. */
export function calendarDay(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Refuses a form whose order lacks the details its client type needs (rule 8), naming each field. */
export function assertOrderDetails(client: OrderClient | null, form: OrderForm, today: string): void {
  const problems = orderDetailProblems(client?.type ?? null, form, today);
  if (problems.length === 0) return;
  throw new AppError(
    'VALIDATION_FAILED',
    `the order lacks details a ${client?.type ?? 'caller'} client needs: ${problems.map((p) => p.field).join(', ')}`,
    problems.map((p) => ({ path: `body/${p.field}`, message: PROBLEM_TEXT[p.problem] })),
  );
}

/**
 * Tells the client's manager of an order taken on the call (rule 1): stored,
 * so it is in their list, and published to their softphone. Once per call and
 * manager, however often the form is corrected.
 */
export async function notifyOrderTaken(
  db: Db, feed: StaffNotificationFeed | undefined,
  order: { callId: string; client: OrderClient | null; takenByStaffId: number; form: OrderForm },
): Promise<number[]> {
  const { client, form } = order;
  if (!client || !recordsOrder(form)) return [];
  const recipients = orderRecipients({ clientManagerId: client.managerId, takenByStaffId: order.takenByStaffId });
  const amount = form.orderAmount != null ? ` for ${form.orderAmount}` : '';
  const reference = form.orderReference ? ` ${form.orderReference}` : '';
  const stored = await insertStaffNotifications(db, recipients, {
    kind: 'order_taken', clientId: client.id, callId: order.callId, actorStaffId: order.takenByStaffId,
    text: `Order${reference}${amount} from ${client.name}`,
  });
  await feed?.publish(stored);
  return stored.map((n) => n.staffId);
}
