import type { FlowDocument } from './flow-document';
import { DEFAULT_GREETING_VARIANTS } from './greeting-variant-prompts';

/**
 * The shipped flow: greeting, business-hours check, main menu (1 order,
 * 2 prices/assortment/delivery, 3 other matter, 4 complaint, 5 technical
 * support, 0 operator) with retries, the debt notice for debtors who want to
 * order, and after hours a message with a callback offer. Keys 4 and 5 are
 * beyond the list on purpose: rule 12 (complaints, second line) must
 * be reachable from the hotline, not only by an operator's transfer.
 */
export const DEFAULT_FLOW: FlowDocument = {
  schemaVersion: 1,
  name: 'main',
  languages: ['ru', 'en'],
  defaultLanguage: 'ru',
  start: 'greeting',
  maxSteps: 200,
  nodes: {
    // Regular callers hear the greetings in turn (issue 17); `prompts` stays the plain greeting.
    greeting: { type: 'play', prompts: ['greeting'], variants: [...DEFAULT_GREETING_VARIANTS], variantChoice: 'rotation', next: 'hours', bargeIn: true },
    hours: { type: 'business_hours', open: 'main_menu', closed: 'after_hours' },
    main_menu: {
      type: 'menu',
      prompts: ['main_menu'],
      options: { '1': 'check_debt', '2': 'enquiry_menu', '3': 'route_other', '4': 'route_complaint', '5': 'route_second_line', '0': 'route_operator' },
      timeoutMs: 6000,
      maxRetries: 2,
      onTimeout: 'no_input',
      onInvalid: 'invalid_choice',
      // A caller who cannot use the menu still deserves a person.
      onMaxRetries: 'route_operator',
      bargeIn: true,
    },
    no_input: { type: 'play', prompts: ['no_input'], next: 'main_menu', bargeIn: true },
    invalid_choice: { type: 'play', prompts: ['invalid_choice'], next: 'main_menu', bargeIn: true },
    check_debt: {
      type: 'branch',
      cases: [{ when: { known: true, inDebt: true }, next: 'debt_notice' }],
      otherwise: 'route_order',
    },
    // Not interruptible: rule 5 says the client is told about the debt.
    debt_notice: { type: 'play', prompts: ['debt_notice'], next: 'route_order', bargeIn: false },
    enquiry_menu: {
      type: 'menu',
      prompts: ['enquiry_menu'],
      options: { '1': 'route_price', '2': 'route_assortment', '3': 'route_delivery' },
      timeoutMs: 6000,
      maxRetries: 1,
      onTimeout: 'enquiry_menu',
      onInvalid: 'enquiry_menu',
      onMaxRetries: 'route_enquiry',
      bargeIn: true,
    },
    route_order: { type: 'route', intent: 'order' },
    route_price: { type: 'route', intent: 'enquiry', topic: 'price' },
    route_assortment: { type: 'route', intent: 'enquiry', topic: 'assortment' },
    route_delivery: { type: 'route', intent: 'enquiry', topic: 'delivery' },
    route_enquiry: { type: 'route', intent: 'enquiry' },
    route_other: { type: 'route', intent: 'other' },
    route_complaint: { type: 'route', intent: 'complaint' },
    route_second_line: { type: 'route', intent: 'second_line' },
    route_operator: { type: 'route', intent: 'operator' },
    // The hours are said from the schedule the business_hours node just checked (opening-hours.ts).
    after_hours: { type: 'play', prompts: ['after_hours', 'opening_hours'], next: 'callback_offer', bargeIn: true },
    callback_offer: {
      type: 'callback',
      prompts: ['callback_offer'],
      acceptKey: '1',
      timeoutMs: 6000,
      onAccepted: 'callback_confirmed',
      onDeclined: 'goodbye',
      bargeIn: true,
    },
    callback_confirmed: { type: 'play', prompts: ['callback_confirmed'], next: 'hang_up' },
    goodbye: { type: 'play', prompts: ['goodbye'], next: 'hang_up' },
    hang_up: { type: 'hangup' },
  },
};
