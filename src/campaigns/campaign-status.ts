import { AppError } from '../errors/app-error';

/**
 * A campaign's lifecycle (design §8: one state machine per lifecycle). A
 * draft is being prepared (its list fixed, operators assigned); active means
 * operators see its calls in their assignments; done closes it for good.
 */
export const CAMPAIGN_STATUSES = ['draft', 'active', 'done'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  draft: ['active', 'done'],
  // active → draft pauses a campaign: its calls leave the operators' lists, results so far stay.
  active: ['draft', 'done'],
  done: [],
};

/** Throws ILLEGAL_TRANSITION unless the table allows the move. */
export function assertCampaignTransition(from: CampaignStatus, to: CampaignStatus): void {
  if (!CAMPAIGN_TRANSITIONS[from].includes(to)) {
    throw new AppError('ILLEGAL_TRANSITION', `a ${from} campaign cannot become ${to}${CAMPAIGN_TRANSITIONS[from].length > 0 ? ` (allowed: ${CAMPAIGN_TRANSITIONS[from].join(', ')})` : ''}`);
  }
}

/**
 * One campaign call's lifecycle. `pending` waits for an attempt; `no_answer`
 * may be tried again; `done` (the client was reached), `failed` (wrong number,
 * closed business…) and `skipped` are final.
 */
export const CAMPAIGN_CALL_STATUSES = ['pending', 'done', 'failed', 'no_answer', 'skipped'] as const;
export type CampaignCallStatus = (typeof CAMPAIGN_CALL_STATUSES)[number];

export const CAMPAIGN_CALL_TRANSITIONS: Readonly<Record<CampaignCallStatus, readonly CampaignCallStatus[]>> = {
  pending: ['done', 'failed', 'no_answer', 'skipped'],
  no_answer: ['done', 'failed', 'no_answer', 'skipped'],
  done: [],
  failed: [],
  skipped: [],
};

/** Outcomes an operator records (every status except `pending`). */
export type CampaignCallOutcome = Exclude<CampaignCallStatus, 'pending'>;

export function isCampaignCallOutcome(value: string): value is CampaignCallOutcome {
  return value !== 'pending' && (CAMPAIGN_CALL_STATUSES as readonly string[]).includes(value);
}

export function isCampaignStatus(value: string): value is CampaignStatus {
  return (CAMPAIGN_STATUSES as readonly string[]).includes(value);
}
