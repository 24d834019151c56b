import { Type, type Static } from '@sinclair/typebox';
import { PAYMENT_FORMS } from '../../calls/order-details';
import { Id, Nullable, StringEnum, Timestamp } from './common-schemas';

/*
 * The seed workflows of issue 17 point 8: the head's "new clients" screen,
 * a manager's notifications and their clients' orders.
 */

/** A notification in a manager's softphone (list and live `staff.notification` message). */
export const StaffNotificationView = Type.Object({
  id: Id, staffId: Id, kind: StringEnum(['client_assigned', 'order_taken'] as const),
  clientId: Nullable(Id), clientName: Nullable(Type.String()), callId: Nullable(Type.String()), actorName: Nullable(Type.String()),
  text: Type.String(), createdAt: Timestamp, readAt: Nullable(Timestamp),
});
export type StaffNotificationView = Static<typeof StaffNotificationView>;

/** One line of `GET /api/me/client-orders`. */
export const ClientOrderView = Type.Object({
  callId: Type.String(), clientId: Id, clientName: Type.String(), clientType: Type.String(), takenByName: Nullable(Type.String()),
  orderReference: Nullable(Type.String()), orderAmount: Nullable(Type.Number()), paymentForm: Nullable(Type.String()),
  deliveryDate: Nullable(Type.String({ format: 'date' })), shippingDetails: Nullable(Type.String()), notes: Type.String(), takenAt: Timestamp,
});

/** A member of the department the head may pick as manager. */
export const ManagerChoice = Type.Object({ staffId: Id, name: Type.String(), role: Type.String() });

/** One line of `GET /api/head/new-clients`: a client without a manager, in a department this person heads. */
export const NewClientView = Type.Object({
  id: Id, name: Type.String(), type: Type.String(), region: Nullable(Type.String()), phones: Type.Array(Type.String()),
  createdAt: Timestamp, department: Type.Object({ id: Id, code: Type.String(), name: Type.String() }),
  /** Calls from this client so far. */
  calls: Type.Integer(),
});

/** `GET /api/head/new-clients`: the clients and, per department, whom they may be given to. */
export const NewClientsList = Type.Object({
  clients: Type.Array(NewClientView),
  managers: Type.Record(Type.String(), Type.Array(ManagerChoice), { description: 'by department code' }),
});

export const AssignManagerBody = Type.Object({ managerId: Id }, { additionalProperties: false });
export const ManagerAssigned = Type.Object({ clientId: Id, managerId: Id, managerName: Type.String(), notified: Type.Array(Id) });

/** The order details of rule 8, added to the wrap-up body (required for regional clients' orders). */
export const OrderDetailFields = {
  paymentForm: Type.Optional(Nullable(Type.Union(PAYMENT_FORMS.map((f) => Type.Literal(f))))),
  deliveryDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  shippingDetails: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
};
export const OrderDetailViewFields = {
  paymentForm: Nullable(Type.String()),
  deliveryDate: Nullable(Type.String({ format: 'date' })),
  shippingDetails: Nullable(Type.String()),
};
