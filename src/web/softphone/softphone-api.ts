import { api } from '../shared/api-client';

/**
 * The server contracts the softphone screen reads and writes (issue 6). The
 * shapes mirror `src/api/routes/softphone-routes.ts` and the agent routes; the
 * server is the truth for agent state, calls and cards.
 */
export type AgentState = 'logged_out' | 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'not_ready';

export interface AgentSnapshot {
  state: AgentState;
  reason: string | null;
  since: string | number | null;
  wrapUpUntil: string | number | null;
  /** The call the agent is on or wrapping up (in the hello snapshot). */
  callId?: string | null;
}

export interface SoftphoneConfig {
  staff: { id: number; name: string; role: string; sipUsername: string; departmentId: number | null; canDialOut: boolean };
  /** null when this staff member has no SIP login: the screen works without a phone then. */
  sip: {
    uri: string;
    authorizationUsername: string;
    authorizationPassword: string;
    /** When the short-lived password stops working; the page fetches a fresh one before that. */
    authorizationExpiresAt?: string;
    realm: string;
    displayName: string;
    /** null when the server runs with SIP off: the screen says "telephony offline" and keeps the rest working. */
    wsServer: string | null;
    iceServers: RTCIceServer[];
    iceGatheringTimeoutMs: number;
    registerExpiresSeconds: number;
  } | null;
  wrapUpSeconds: number;
  locale: string;
}

export interface ClientDebt {
  overdueAmount: number | string | null;
  balance: number | string | null;
  limit: number | string | null;
  overLimit: boolean;
  hasOverdue: boolean;
}

export interface ClientSummary {
  id: number;
  name: string;
  clientType: string;
  clientTypeLabel: string | null;
  manager: { id: number; name: string } | null;
  region: string | null;
  language: string | null;
  debt: ClientDebt | null;
  notes: string | null;
}

export interface LastCall {
  callId: string;
  startedAt: string;
  outcome: string | null;
  dispositionCode: string | null;
  dispositionLabel: string | null;
  agentName: string | null;
  talkMs: number | null;
}

export interface IvrPathStep {
  nodeId?: string;
  label?: string;
  [key: string]: unknown;
}

export interface ClientCard {
  callId: string | null;
  callerNumber: string | null;
  callerE164: string | null;
  client: ClientSummary | null;
  lastCalls: LastCall[];
  ivrPath: Array<string | IvrPathStep>;
  routingReason: string | null;
  queue: string | null;
  waitMs: number | null;
}

export type AgentEvent =
  | { type: 'hello'; staffId: number; agent: AgentSnapshot | null }
  | ({ type: 'agent.state' } & AgentSnapshot)
  | { type: 'call.offered'; callId: string; clientId: number | null; reason: string | null; queue: string | null; card: ClientCard | null }
  | { type: 'call.ended'; callId: string }
  | { type: 'ping' | 'pong'; at?: number };

export interface CodeLabel {
  code: string;
  label: string;
  active?: boolean;
}

export interface MyCall {
  callId: string;
  startedAt: string;
  direction: string;
  callerNumber: string | null;
  clientName: string | null;
  outcome: string | null;
  talkMs: number | null;
  holdMs: number | null;
  dispositionCode: string | null;
  dispositionLabel: string | null;
}

export interface MyStats {
  handled: number;
  missed: number;
  talkMs: number;
  avgHandleMs: number | null;
  holdMs: number;
  wrapUpMs: number;
  readyMs: number;
  notReadyMs: number;
  byDisposition: Record<string, number>;
}

export interface Assignment {
  kind: 'callback' | 'campaign';
  id: number | string;
  clientId: number | null;
  clientName: string | null;
  number: string | null;
  dueAt: string | null;
  note: string | null;
  status: string;
}

export type TransferTarget =
  | { kind: 'queue'; queue: string }
  | { kind: 'person'; staffId: number }
  | { kind: 'department'; department: string }
  | { kind: 'manager' | 'finance' | 'quality' | 'second_line' };

export interface TransferPerson {
  staffId: number;
  name: string;
  role: string;
  department: string | null;
  state: AgentState | null;
  registered: boolean;
}

/** A department the transfer dialog offers as a one-click target (finance, quality control, second line). */
export interface DepartmentShortcut {
  kind: 'department';
  department: string;
  label: string;
}

export interface TransferTargets {
  queues: Array<{ name: string; label: string; waiting: number }>;
  people: TransferPerson[];
  shortcuts: {
    manager: { staffId: number; name: string } | null;
    finance: DepartmentShortcut | null;
    quality: DepartmentShortcut | null;
    secondLine: DepartmentShortcut | null;
  };
}

/** A client's card without a call (click-to-call, a client just created). */
export interface ClientCardPart {
  client: ClientSummary;
  lastCalls: LastCall[];
}

export interface WrapUpBody {
  dispositionCode: string;
  notes?: string;
  orderReference?: string;
  orderAmount?: number;
}

export interface QuickClientBody {
  name: string;
  phone: string;
  clientType: string;
  region?: string;
  language?: string;
  notes?: string;
}

/** The server's consult lifecycle (src/sip/consult-transfer.ts). */
export type ServerConsultState = 'ringing' | 'talking' | 'failed' | 'completed' | 'cancelled' | 'ended';

const enc = encodeURIComponent;

/** Thin typed wrappers: one place that knows the URLs. */
export const softphoneApi = {
  config: () => api.get<SoftphoneConfig>('/api/softphone/config'),
  notReadyReasons: () => api.get<CodeLabel[]>('/api/not-ready-reasons'),
  dispositionCodes: () => api.get<CodeLabel[]>('/api/disposition-codes'),
  clientTypes: () => api.get<CodeLabel[]>('/api/client-types'),
  setState: (staffId: number, state: 'ready' | 'not_ready' | 'logged_out', reason?: string) =>
    api.post<{ state: AgentState }>(`/api/agents/${staffId}/state`, { state, ...(reason ? { reason } : {}) }),
  agent: (staffId: number) => api.get<AgentSnapshot & { wrapUntil?: string | number | null }>(`/api/agents/${staffId}`),
  endWrapUp: (staffId: number) => api.post<unknown>(`/api/agents/${staffId}/wrap-up/end`),
  extendWrapUp: (staffId: number, seconds: number) => api.post<unknown>(`/api/agents/${staffId}/wrap-up/extend`, { seconds }),
  callCard: (callId: string) => api.get<ClientCard>(`/api/calls/${enc(callId)}/card`),
  clientCard: (clientId: number) => api.get<ClientCardPart>(`/api/clients/${clientId}/card`),
  quickClient: (body: QuickClientBody) => api.post<ClientCardPart>('/api/clients/quick', body),
  wrapUp: (callId: string, body: WrapUpBody) => api.post<unknown>(`/api/calls/${enc(callId)}/wrap-up`, body),
  myCalls: () => api.get<MyCall[]>('/api/me/calls'),
  myStats: () => api.get<MyStats>('/api/me/stats'),
  assignments: () => api.get<Assignment[]>('/api/me/assignments'),
  assignmentResult: (a: Assignment, result: string, notes: string) =>
    api.post<unknown>(`/api/me/assignments/${a.kind}/${enc(String(a.id))}/result`, { result, notes }),
  transferTargets: (callId: string) => api.get<TransferTargets>(`/api/transfer-targets?callId=${enc(callId)}`),
  blindTransfer: (callId: string, target: TransferTarget) => api.post<unknown>(`/api/calls/${enc(callId)}/transfer`, { target }),
  consult: (callId: string, target: TransferTarget) => api.post<{ callId: string; consult: { state: ServerConsultState } }>(`/api/calls/${enc(callId)}/consult`, { target }),
  /** The warm transfer under way: ringing, talking (the target answered) or failed; 404 when there is none. */
  consultState: (callId: string) => api.get<{ callId: string; consult: { state: ServerConsultState } }>(`/api/calls/${enc(callId)}/consult`),
  consultComplete: (callId: string) => api.post<unknown>(`/api/calls/${enc(callId)}/consult/complete`),
  consultCancel: (callId: string) => api.post<unknown>(`/api/calls/${enc(callId)}/consult/cancel`),
  outbound: (body: { number?: string; clientId?: number }) => api.post<{ callId: string }>('/api/calls/outbound', body),
};
