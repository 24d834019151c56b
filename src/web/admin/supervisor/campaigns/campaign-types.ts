/** Shapes of the campaign API (src/api/routes/campaign-routes.ts, src/db/repositories/campaigns-repository.ts). */
export const CAMPAIGN_CALL_STATUS_CODES = ['pending', 'no_answer', 'done', 'failed', 'skipped'] as const;
export type CampaignCallStatus = (typeof CAMPAIGN_CALL_STATUS_CODES)[number];
export type CampaignStatus = 'draft' | 'active' | 'done';

/** The moves a supervisor may make from each status (src/campaigns/campaign-status.ts). */
export const CAMPAIGN_MOVES: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  draft: ['active', 'done'],
  active: ['draft', 'done'],
  done: [],
};

export interface DormantClient {
  clientId: number;
  name: string;
  clientType: string;
  managerId: number | null;
  managerName: string | null;
  region: string | null;
  phone: string | null;
  lastOrderAt: string | null;
  daysIdle: number;
  openCampaignId: number | null;
}

export interface DormantList {
  months: number;
  clientType: string;
  cutoff: string;
  count: number;
  clients: DormantClient[];
}

export interface CampaignProgress {
  total: number;
  unassigned: number;
  byStatus: Record<CampaignCallStatus, number>;
  completionPercent: number;
}

export interface CampaignSummary {
  id: number;
  name: string;
  status: CampaignStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  criteria: Record<string, unknown>;
  progress: CampaignProgress;
}

export interface CampaignCallRecord {
  id: number;
  clientId: number;
  clientName: string;
  clientType: string;
  phone: string | null;
  lastOrderAt: string | null;
  assignedStaffId: number | null;
  assignedStaffName: string | null;
  status: CampaignCallStatus;
  result: string | null;
  notes: string;
  attemptedAt: string | null;
  callId: string | null;
}

export interface CampaignDetail extends CampaignSummary {
  perOperator: Array<{ staffId: number; name: string; total: number; byStatus: Record<CampaignCallStatus, number> }>;
  calls: CampaignCallRecord[];
}

export interface AssignOutcome {
  assigned: number;
  perStaff: Array<{ staffId: number; assigned: number }>;
  campaign: CampaignDetail;
}
