import { api } from '../../shared/api-client';
import { VersionedConfigApi } from '../config/shared/versioned-config-api';

/*
 * The quality-evaluation API (issue 18 point 4) as the screens use it: the
 * types follow the contract the backend serves, so the admin app and the
 * softphone read the same shapes.
 */

/** The form document and its criteria: the server's own types (src/quality), so the editor cannot drift from the validator. */
export type { QualityCriterion as FormCriterion, QualityForm } from '../../../quality/quality-form';
import type { QualityForm } from '../../../quality/quality-form';

export interface FormListItem {
  code: string;
  name: string;
  publishedVersion: number | null;
  draftVersion: number | null;
}

/** One call the picker offers: answered, recorded. */
export interface QualityCall {
  callId: string;
  startedAt: string;
  queue: string | null;
  agentId: number | null;
  agentName: string | null;
  talkSeconds: number;
  disposition: string | null;
  tags: string[];
  hasRecording: boolean;
  evaluations: number;
}

export interface EvaluationScore {
  criterionId: string;
  label: string;
  weight: number;
  maxScore: number;
  score: number;
  note: string | null;
}

export interface EvaluationComment {
  id: number | string;
  atSeconds: number;
  text: string;
  authorName: string;
  createdAt: string;
}

/** An evaluation as the server stores and scores it. */
export interface Evaluation {
  id: number | string;
  callId: string;
  form: string;
  formVersion: number;
  formName: string;
  agentId: number | null;
  agentName: string | null;
  evaluatorUserId: number;
  evaluatorName: string;
  createdAt: string;
  updatedAt: string;
  scores: EvaluationScore[];
  comments: EvaluationComment[];
  summary: string | null;
  totalPercent: number;
  passed: boolean;
  criticalFailed: boolean;
  acknowledgedAt: string | null;
}

/** What the reviewer sends: every criterion scored once, comments at offsets into the recording. */
export interface EvaluationInput {
  form: string;
  formVersion: number;
  scores: Array<{ criterionId: string; score: number; note?: string }>;
  comments: Array<{ atSeconds: number; text: string }>;
  summary?: string;
}

export interface ReportRow {
  agentId: number;
  agentName: string;
  bucketStart: string;
  evaluations: number;
  averagePercent: number;
  /** 0..1 */
  passRate: number;
  criteria: Array<{ criterionId: string; label: string; averagePercentOfMax: number }>;
}

/** The recording facts the two-channel player needs, from the call's record. */
export interface CallRecordingRef {
  recordingId: string;
  sampleRate: number;
  channels: number;
  durationMs: number;
}

interface StoredCallRecording {
  recording: { id: string; sampleRate: number; channels: number; durationMs: number; purgedAt: string | null } | null;
}

const enc = encodeURIComponent;

export const qualityApi = {
  forms: () => api.get<{ items: FormListItem[] }>('/api/quality/forms'),
  formVersions: (code: string) => new VersionedConfigApi<QualityForm>(`/api/quality/forms/${enc(code)}`),
  publishedForm: (code: string) => new VersionedConfigApi<QualityForm>(`/api/quality/forms/${enc(code)}`).published(),
  formVersion: (code: string, version: number) => new VersionedConfigApi<QualityForm>(`/api/quality/forms/${enc(code)}`).version(version),
  calls: (query: string) => api.get<{ items: QualityCall[]; nextCursor: string | null }>(`/api/quality/calls${query ? `?${query}` : ''}`),
  evaluations: (query: string) => api.get<{ items: Evaluation[]; nextCursor: string | null }>(`/api/quality/evaluations${query ? `?${query}` : ''}`),
  evaluation: (id: string) => api.get<Evaluation>(`/api/quality/evaluations/${enc(id)}`),
  create: (callId: string, input: EvaluationInput) => api.post<Evaluation>('/api/quality/evaluations', { callId, ...input }),
  update: (id: string, input: EvaluationInput) => api.put<Evaluation>(`/api/quality/evaluations/${enc(id)}`, input),
  reports: (query: string) => api.get<{ rows: ReportRow[] }>(`/api/quality/reports${query ? `?${query}` : ''}`),
  /** The call's recording, read off the stored call (the player plays /api/recordings/:id/audio). */
  async recordingOf(callId: string): Promise<CallRecordingRef | null> {
    const call = await api.get<StoredCallRecording>(`/api/calls/${enc(callId)}`);
    const r = call.recording;
    if (!r || r.purgedAt) return null;
    return { recordingId: r.id, sampleRate: r.sampleRate, channels: r.channels, durationMs: r.durationMs };
  },
};
