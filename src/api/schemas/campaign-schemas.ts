import { Type, type Static, type TInteger } from '@sinclair/typebox';
import { CAMPAIGN_CALL_STATUSES, CAMPAIGN_STATUSES, type CampaignCallStatus } from '../../campaigns/campaign-status';
import { Id, Nullable, StringEnum, Timestamp } from './common-schemas';

/** Outbound campaigns to dormant clients (design §1 rule 10): src/db/repositories/campaigns-repository.ts. */

export const CampaignStatusName = StringEnum(CAMPAIGN_STATUSES);
export const CampaignCallStatusName = StringEnum(CAMPAIGN_CALL_STATUSES);

/** Calls per status, every status present (0 when none). */
const StatusCounts = Type.Object(Object.fromEntries(CAMPAIGN_CALL_STATUSES.map((s) => [s, Type.Integer()])) as Record<CampaignCallStatus, TInteger>);

export const DormantClient = Type.Object({
  clientId: Id, name: Type.String(), clientType: Type.String(), managerId: Nullable(Id), managerName: Nullable(Type.String()), region: Nullable(Type.String()),
  /** First phone number (E.164), null when the client has none. */
  phone: Nullable(Type.String()),
  /** 'YYYY-MM-DD'; null when no order is known at all. */
  lastOrderAt: Nullable(Type.String()),
  daysIdle: Type.Integer(),
  /** An open campaign that already has this client on its list, if any. */
  openCampaignId: Nullable(Id),
});
export type DormantClient = Static<typeof DormantClient>;

/** `GET /api/campaigns/dormant-clients`. */
export const DormantList = Type.Object({ months: Type.Integer(), clientType: Type.String(), cutoff: Type.String({ description: 'YYYY-MM-DD' }), count: Type.Integer(), clients: Type.Array(DormantClient) });
export type DormantList = Static<typeof DormantList>;

export const CampaignProgress = Type.Object({
  total: Type.Integer(), unassigned: Type.Integer(), byStatus: StatusCounts,
  /** Calls with a final outcome (done, failed, skipped), in percent of the total, one decimal. */
  completionPercent: Type.Number(),
});
export type CampaignProgress = Static<typeof CampaignProgress>;

/** One line of `GET /api/campaigns`. */
export const CampaignSummary = Type.Object({
  id: Id, name: Type.String(), status: CampaignStatusName, createdBy: Type.String(), createdAt: Timestamp, updatedAt: Timestamp,
  criteria: Type.Record(Type.String(), Type.Unknown()), progress: CampaignProgress,
});
export type CampaignSummary = Static<typeof CampaignSummary>;

export const CampaignCall = Type.Object({
  id: Id, campaignId: Id, clientId: Id, clientName: Type.String(), clientType: Type.String(), phone: Nullable(Type.String()), lastOrderAt: Nullable(Type.String()),
  assignedStaffId: Nullable(Id), assignedStaffName: Nullable(Type.String()), status: CampaignCallStatusName, result: Nullable(Type.String()), notes: Type.String(),
  attemptedAt: Nullable(Timestamp), callId: Nullable(Type.String()), createdAt: Timestamp,
});
export type CampaignCall = Static<typeof CampaignCall>;

/** `GET /api/campaigns/:id`, and the answer of `PATCH`. */
export const CampaignDetail = Type.Composite([CampaignSummary, Type.Object({
  perOperator: Type.Array(Type.Object({ staffId: Id, name: Type.String(), total: Type.Integer(), byStatus: StatusCounts })),
  calls: Type.Array(CampaignCall),
})]);
export type CampaignDetail = Static<typeof CampaignDetail>;

/** `POST /api/campaigns`: the campaign made, and how many dormant clients it left out for being on an open campaign already. */
export const CampaignCreated = Type.Composite([CampaignDetail, Type.Object({ alreadyInOpenCampaigns: Type.Integer() })]);
export type CampaignCreated = Static<typeof CampaignCreated>;

/** `POST /api/campaigns/:id/assign`. */
export const CampaignAssigned = Type.Object({
  assigned: Type.Integer(), perStaff: Type.Array(Type.Object({ staffId: Id, assigned: Type.Integer() })), campaign: CampaignDetail,
});
export type CampaignAssigned = Static<typeof CampaignAssigned>;
