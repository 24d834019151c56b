import type { TargetSpec } from './target-spec';

/**
 * The routing-relevant part of a client record. `null` in its place means a
 * new or unknown caller (no record for the number, or lookup unavailable).
 */
export interface ClientFacts {
  readonly id: number;
  readonly name: string;
  /** A client type code: the built-ins market, key, own_point, retail, regional, or one an admin added. */
  readonly type: string;
  /** The assigned manager's staff id; null when no manager is assigned yet (treated like a new client). */
  readonly managerId: number | null;
  readonly region: string | null;
  /** Language code of the client's prompts (`ru`, `en`, …). */
  readonly language: string;
  /** Receivables past their due date, in the company currency; 0 when none. */
  readonly overdueDebt: number;
  readonly creditLimit: number;
  /** What the client owes now (positive = owes the company). Over `creditLimit` blocks orders. */
  readonly balance: number;
  /** An explicit per-client target (e.g. always a named person); wins over type rules. */
  readonly overrideTarget: TargetSpec | null;
}

/** Business rule 5: an order is taken only with no overdue debt and no debt over the limit. */
export function isInDebt(client: ClientFacts | null): boolean {
  if (!client) return false;
  return client.overdueDebt > 0 || client.balance > client.creditLimit;
}

/** `overdue debt 12 000` / `balance 15 000 over limit 10 000`, for reasons shown to operators. */
export function describeDebt(client: ClientFacts): string {
  if (client.overdueDebt > 0) return `overdue debt ${formatAmount(client.overdueDebt)}`;
  if (client.balance > client.creditLimit) {
    return `balance ${formatAmount(client.balance)} over limit ${formatAmount(client.creditLimit)}`;
  }
  return 'no debt';
}

/**
 * Groups thousands with a plain space and keeps kopecks only when present.
 * Intl would use a no-break space for ru and a comma for en; reasons are
 * stored text that people grep, so one fixed form is kinder.
 */
export function formatAmount(amount: number): string {
  const negative = amount < 0;
  const cents = Math.round(Math.abs(amount) * 100);
  const whole = Math.floor(cents / 100).toString();
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const fraction = cents % 100 === 0 ? '' : `.${(cents % 100).toString().padStart(2, '0')}`;
  return `${negative ? '-' : ''}${grouped}${fraction}`;
}
