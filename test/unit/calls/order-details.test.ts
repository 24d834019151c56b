import { orderDetailProblems, orderRecipients, recordsOrder, requiredOrderFields } from '../../../src/calls/order-details';

const today = '2026-12-06';
const regionalOrder = { dispositionCode: 'order_taken', orderReference: 'R-1', paymentForm: 'bank_transfer', deliveryDate: '2026-12-10', shippingDetails: 'Tver, Zavodskaya 4, by truck' };

describe('order details by client type (rule 8)', () => {
  it('a regional client needs payment form, delivery date and shipping details; others none', () => {
    expect(requiredOrderFields('regional')).toEqual(['paymentForm', 'deliveryDate', 'shippingDetails']);
    expect(requiredOrderFields('market')).toEqual([]);
    expect(requiredOrderFields(null)).toEqual([]);
  });

  it('a complete regional order passes', () => {
    expect(orderDetailProblems('regional', regionalOrder, today)).toEqual([]);
  });

  it('a regional order without the details names each missing one', () => {
    expect(orderDetailProblems('regional', { dispositionCode: 'order_taken', orderReference: 'R-1', shippingDetails: '  ' }, today)).toEqual([
      { field: 'paymentForm', problem: 'required' }, { field: 'deliveryDate', problem: 'required' }, { field: 'shippingDetails', problem: 'required' },
    ]);
  });

  it('an order reference alone makes it an order', () => {
    expect(recordsOrder({ dispositionCode: 'enquiry', orderReference: 'R-2' })).toBe(true);
    expect(recordsOrder({ dispositionCode: 'enquiry', orderReference: ' ' })).toBe(false);
    expect(orderDetailProblems('regional', { dispositionCode: 'enquiry', orderReference: 'R-2' }, today)).toHaveLength(3);
  });

  it('a regional call without an order, and a market order, need nothing', () => {
    expect(orderDetailProblems('regional', { dispositionCode: 'enquiry' }, today)).toEqual([]);
    expect(orderDetailProblems('market', { dispositionCode: 'order_taken', orderReference: 'M-1' }, today)).toEqual([]);
  });

  it('given details are checked for anyone: a known payment form, a delivery date not in the past', () => {
    expect(orderDetailProblems('market', { dispositionCode: 'order_taken', paymentForm: 'barter', deliveryDate: '2026-12-05' }, today)).toEqual([
      { field: 'paymentForm', problem: 'unknown_payment_form' }, { field: 'deliveryDate', problem: 'in_the_past' },
    ]);
    expect(orderDetailProblems('regional', { ...regionalOrder, deliveryDate: today }, today)).toEqual([]);
  });
});

describe('who hears of an order taken on a call', () => {
  it('the client\'s manager, unless they took it or there is none', () => {
    expect(orderRecipients({ clientManagerId: 4, takenByStaffId: 2 })).toEqual([4]);
    expect(orderRecipients({ clientManagerId: 4, takenByStaffId: 4 })).toEqual([]);
    expect(orderRecipients({ clientManagerId: null, takenByStaffId: 2 })).toEqual([]);
  });
});
