/*
 * Orders taken on a call (DESIGN.md §1 rules 1 and 8): which details an order
 * must carry for which client, and who is told about it. Pure: the wrap-up
 * route asks, the repository stores, the notification feed delivers.
 */

/** How a regional client pays for an order. */
export const PAYMENT_FORMS = ['bank_transfer', 'cash', 'card', 'deferred'] as const;
export type PaymentForm = (typeof PAYMENT_FORMS)[number];

/** The extra details of rule 8, as the wrap-up form sends them. */
export interface OrderDetails {
  paymentForm?: string | null | undefined;
  /** YYYY-MM-DD: when the goods are to arrive. */
  deliveryDate?: string | null | undefined;
  /** Carrier, address, vehicle — whatever the client asked for. */
  shippingDetails?: string | null | undefined;
}

export type OrderDetailField = keyof OrderDetails;

/** Client types whose orders need the details of rule 8. */
const NEEDS_SHIPPING_DETAILS: ReadonlySet<string> = new Set(['regional']);

/** The wrap-up records an order: an order reference written down, or the disposition says so (as the dormant-client list counts orders). */
export function recordsOrder(wrapUp: { dispositionCode: string; orderReference?: string | null | undefined }): boolean {
  return wrapUp.dispositionCode === 'order_taken' || (wrapUp.orderReference ?? '').trim() !== '';
}

/** The details an order of this client type must carry: all three for a regional client, none otherwise. */
export function requiredOrderFields(clientType: string | null): OrderDetailField[] {
  return clientType !== null && NEEDS_SHIPPING_DETAILS.has(clientType) ? ['paymentForm', 'deliveryDate', 'shippingDetails'] : [];
}

/** One thing wrong with a wrap-up's order details, by field. */
export interface OrderDetailProblem {
  field: OrderDetailField;
  problem: 'required' | 'unknown_payment_form' | 'in_the_past';
}

/**
 * What is wrong with the order details of a wrap-up for a client of this
 * type, `today` being the call centre's calendar day (YYYY-MM-DD). Details
 * are required only when the wrap-up records an order; given ones are checked
 * whoever the client is.
 */
export function orderDetailProblems(
  clientType: string | null,
  wrapUp: { dispositionCode: string; orderReference?: string | null | undefined } & OrderDetails,
  today: string,
): OrderDetailProblem[] {
  const problems: OrderDetailProblem[] = [];
  const given = (field: OrderDetailField): boolean => (wrapUp[field] ?? '').trim() !== '';
  if (recordsOrder(wrapUp)) {
    for (const field of requiredOrderFields(clientType)) if (!given(field)) problems.push({ field, problem: 'required' });
  }
  if (given('paymentForm') && !(PAYMENT_FORMS as readonly string[]).includes(wrapUp.paymentForm ?? '')) {
    problems.push({ field: 'paymentForm', problem: 'unknown_payment_form' });
  }
  // ISO dates compare as strings.
  if (given('deliveryDate') && (wrapUp.deliveryDate ?? '') < today) problems.push({ field: 'deliveryDate', problem: 'in_the_past' });
  return problems;
}

/**
 * Who is told about an order taken on a call: the client's manager (rule 1,
 * "the information is passed on to the managers concerned"), unless they took
 * it themselves or the client has none.
 */
export function orderRecipients(order: { clientManagerId: number | null; takenByStaffId: number }): number[] {
  return order.clientManagerId !== null && order.clientManagerId !== order.takenByStaffId ? [order.clientManagerId] : [];
}
