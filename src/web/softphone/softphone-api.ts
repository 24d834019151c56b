import { api } from '../shared/api-client';

import type { AgentState } from '../../acd/agent-state';
import type { AgentStateChanged, AgentView, WrapUpExtended } from '../../api/schemas/agent-schemas';
import type { BlindTransferDone, ConsultEnded, ConsultUnderWay, OutboundCallPlaced, TransferTarget } from '../../api/schemas/call-schemas';
import type { LookupEntry } from '../../api/schemas/directory-schemas';
import type {
  AgentMessage, AgentStateView, Assignment, AssignmentResult, CallCard, ClientCardPart, MyCall, MyStats, QuickClientBody, SoftphoneConfig,
  TransferTargets, WrapUpBody, WrapUpSaved,
} from '../../api/schemas/softphone-schemas';

/*
 * The server contracts the softphone screen reads and writes (issue 6) are
 * the server's own (src/api/schemas), imported as types only: the server is
 * the truth for agent state, calls and cards.
 */
export type { AgentState, Assignment, ClientCardPart, MyStats, SoftphoneConfig, TransferTarget, WrapUpBody };
export type { ConsultState as ServerConsultState } from '../../api/schemas/call-schemas';
export type { DepartmentShortcut, TransferTargets } from '../../api/schemas/softphone-schemas';

/**
 * The card the screen shows: the server's card of a call, or one the page
 * puts together from a client's card or from the INVITE, without a call id
 * or a number yet.
 */
export type ClientCard = Omit<CallCard, 'callId' | 'callerNumber'> & { callId: string | null; callerNumber: string | null };
/** Every message of the agent event socket. */
export type AgentEvent = AgentMessage;
export type CodeLabel = LookupEntry;
export type TransferPerson = TransferTargets['people'][number];

/** The agent as the screen holds it, from the event socket's messages or `GET /api/agents/:id`. */
export interface AgentSnapshot extends Pick<AgentStateView, 'state' | 'since' | 'wrapUpUntil'> {
  reason: string | null;
  /** The call the agent is on or wrapping up (in the hello snapshot). */
  callId?: string | null;
}

const enc = encodeURIComponent;

/** Thin typed wrappers: one place that knows the URLs. */
export const softphoneApi = {
  config: () => api.get<SoftphoneConfig>('/api/softphone/config'),
  notReadyReasons: () => api.get<CodeLabel[]>('/api/not-ready-reasons'),
  dispositionCodes: () => api.get<CodeLabel[]>('/api/disposition-codes'),
  clientTypes: () => api.get<CodeLabel[]>('/api/client-types'),
  setState: (staffId: number, state: 'ready' | 'not_ready' | 'logged_out', reason?: string) =>
    api.post<AgentStateChanged>(`/api/agents/${staffId}/state`, { state, ...(reason ? { reason } : {}) }),
  agent: (staffId: number) => api.get<AgentView>(`/api/agents/${staffId}`),
  endWrapUp: (staffId: number) => api.post<AgentStateChanged>(`/api/agents/${staffId}/wrap-up/end`),
  extendWrapUp: (staffId: number, seconds: number) => api.post<WrapUpExtended>(`/api/agents/${staffId}/wrap-up/extend`, { seconds }),
  callCard: (callId: string) => api.get<CallCard>(`/api/calls/${enc(callId)}/card`),
  clientCard: (clientId: number) => api.get<ClientCardPart>(`/api/clients/${clientId}/card`),
  quickClient: (body: QuickClientBody) => api.post<ClientCardPart>('/api/clients/quick', body),
  wrapUp: (callId: string, body: WrapUpBody) => api.post<WrapUpSaved>(`/api/calls/${enc(callId)}/wrap-up`, body),
  myCalls: () => api.get<MyCall[]>('/api/me/calls'),
  myStats: () => api.get<MyStats>('/api/me/stats'),
  assignments: () => api.get<Assignment[]>('/api/me/assignments'),
  assignmentResult: (a: Assignment, result: string, notes: string) =>
    api.post<AssignmentResult>(`/api/me/assignments/${a.kind}/${enc(String(a.id))}/result`, { result, notes }),
  transferTargets: (callId: string) => api.get<TransferTargets>(`/api/transfer-targets?callId=${enc(callId)}`),
  blindTransfer: (callId: string, target: TransferTarget) => api.post<BlindTransferDone>(`/api/calls/${enc(callId)}/transfer`, { target }),
  consult: (callId: string, target: TransferTarget) => api.post<ConsultUnderWay>(`/api/calls/${enc(callId)}/consult`, { target }),
  /** The warm transfer under way: ringing, talking (the target answered) or failed; 404 when there is none. */
  consultState: (callId: string) => api.get<ConsultUnderWay>(`/api/calls/${enc(callId)}/consult`),
  consultComplete: (callId: string) => api.post<ConsultEnded>(`/api/calls/${enc(callId)}/consult/complete`),
  consultCancel: (callId: string) => api.post<ConsultEnded>(`/api/calls/${enc(callId)}/consult/cancel`),
  outbound: (body: { number?: string; clientId?: number; campaignCallId?: number }) => api.post<OutboundCallPlaced>('/api/calls/outbound', body),
};
