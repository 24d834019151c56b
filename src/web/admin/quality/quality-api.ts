import type { Static } from '@sinclair/typebox';
import type { Evaluation as EvaluationSchema, EvaluationUpdateBody, QualityCallItem, QualityFormEntry, QualityReport } from '../../../api/schemas/quality-schemas';
import { api } from '../../shared/api-client';
import { VersionedConfigApi } from '../config/shared/versioned-config-api';

/*
 * The quality-evaluation API (issue 18 point 4) as the screens use it, typed
 * by the server's own schemas, so the admin app and the softphone read the
 * shapes the API answers.
 */

/** The form document and its criteria: the server's own types (src/quality), so the editor cannot drift from the validator. */
export type { QualityCriterion as FormCriterion, QualityForm } from '../../../quality/quality-form';
import type { QualityForm } from '../../../quality/quality-form';

/** The API's own shapes (src/api/schemas/quality-schemas.ts), read as types only. */
export type FormListItem = Static<typeof QualityFormEntry>;
/** One call the picker offers: answered, recorded. */
export type QualityCall = Static<typeof QualityCallItem>;
/** An evaluation as the server stores and scores it. */
export type Evaluation = Static<typeof EvaluationSchema>;
/** What the reviewer sends: every criterion scored once, comments at offsets into the recording. */
export type EvaluationInput = Static<typeof EvaluationUpdateBody>;
export type ReportRow = Static<typeof QualityReport>['rows'][number];

const enc = encodeURIComponent;

export const qualityApi = {
  forms: () => api.get<{ items: FormListItem[] }>('/api/quality/forms'),
  formVersions: (code: string) => new VersionedConfigApi<QualityForm>(`/api/quality/forms/${enc(code)}`),
  publishedForm: (code: string) => new VersionedConfigApi<QualityForm>(`/api/quality/forms/${enc(code)}`).published(),
  formVersion: (code: string, version: number) => new VersionedConfigApi<QualityForm>(`/api/quality/forms/${enc(code)}`).version(version),
  calls: (query: string) => api.get<{ items: QualityCall[]; nextCursor: string | null }>(`/api/quality/calls${query ? `?${query}` : ''}`),
  evaluations: (query: string) => api.get<{ items: Evaluation[]; nextCursor: string | null }>(`/api/quality/evaluations${query ? `?${query}` : ''}`),
  evaluation: (id: string | number) => api.get<Evaluation>(`/api/quality/evaluations/${enc(id)}`),
  create: (callId: string, input: EvaluationInput) => api.post<Evaluation>('/api/quality/evaluations', { callId, ...input }),
  update: (id: string | number, input: EvaluationInput) => api.put<Evaluation>(`/api/quality/evaluations/${enc(id)}`, input),
  reports: (query: string) => api.get<{ rows: ReportRow[] }>(`/api/quality/reports${query ? `?${query}` : ''}`),
};
