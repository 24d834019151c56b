/** One line of `GET /api/call-log`. */
export interface CallLogItem {
  callId: string;
  startedAt: string;
  direction: string;
  callerNumber: string;
  clientName: string | null;
  clientType: string | null;
  queue: string | null;
  agentNames: string[];
  outcome: string | null;
  waitMs: number | null;
  talkMs: number | null;
  dispositionCode: string | null;
  hasRecording: boolean;
}

export interface CallLogPage {
  items: CallLogItem[];
  nextCursor: string | null;
}

/** `GET /api/calls/:id`: the stored call with its ordered timeline (src/db/repositories/call-records-repository.ts). */
export interface StoredCallEvent {
  seq: number;
  at: string;
  type: string;
  data: Record<string, unknown>;
}

export interface StoredRecording {
  id: string;
  callId: string;
  format: string;
  channels: number;
  sampleRate: number;
  durationMs: number;
  sizeBytes: number;
  createdAt: string;
  purgeAfter: string | null;
  purgedAt: string | null;
}

export interface StoredWrapUp {
  staffId: number;
  dispositionCode: string;
  notes: string;
  orderReference: string | null;
  orderAmount: number | null;
  createdAt: string;
}

export interface TransferFact {
  kind: 'blind' | 'warm';
  target: { kind: string; queue?: string; staffId?: number; department?: string; number?: string; label?: string };
  byAgentId: number | null;
  startedAt: number;
  endedAt: number | null;
  result: string;
}

export interface StoredCall {
  id: string;
  direction: string;
  trunk: string | null;
  callerNumber: string;
  callerE164: string | null;
  dialedNumber: string | null;
  clientId: number | null;
  clientType: string | null;
  ivrFlowVersion: number | null;
  routingConfigVersion: number | null;
  startedAt: string;
  answeredAt: string | null;
  ivrStartedAt: string | null;
  ivrEndedAt: string | null;
  queuedAt: string | null;
  offeredAt: string | null;
  agentAnsweredAt: string | null;
  endedAt: string | null;
  ivrPath: Array<{ nodeId: string; at: number; digits?: string }>;
  routingDecision: unknown;
  routingReason: string | null;
  queueName: string | null;
  queueWaitMs: number | null;
  agentId: number | null;
  agentIds: number[];
  talkMs: number | null;
  holdMs: number;
  transfers: TransferFact[];
  hangupSide: string | null;
  hangupCause: string | null;
  outcome: string | null;
  dispositionCode: string | null;
  recordingId: string | null;
  events: StoredCallEvent[];
  recording: StoredRecording | null;
  wrapUps: StoredWrapUp[];
}

export const CALL_OUTCOME_CODES = [
  'answered', 'abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'overflowed', 'transferred', 'callback_requested', 'after_hours', 'failed', 'rejected',
] as const;

export const CALL_DIRECTION_CODES = ['inbound', 'outbound', 'callback', 'internal'] as const;
