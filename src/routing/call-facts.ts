/** Facts about the call itself, known before the caller is identified. */
export interface CallFacts {
  /** E.164 of the caller (From / P-Asserted-Identity, normalised), null when withheld or unreadable. */
  readonly callerNumber: string | null;
  /** E.164 (or the raw user part) of the number dialled: a company may publish several hotlines. */
  readonly dialledNumber: string | null;
}
