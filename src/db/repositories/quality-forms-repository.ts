import type { QualityForm } from '../../quality/quality-form';
import type { Queryable } from '../pool';
import { VersionedConfigStore } from '../versioned-config-store';

/** Quality evaluation forms, versioned per form code (issue 18 point 4); the demo form is `standard`. */
export const qualityFormStore = new VersionedConfigStore<QualityForm>({ entity: 'quality form', table: 'quality_form_versions', scopeColumn: 'form_code' });

export interface QualityFormEntry {
  code: string;
  /** The published version's name, else the newest draft's. */
  name: string;
  publishedVersion: number | null;
  /** The newest draft, when there is one (what an editor continues). */
  draftVersion: number | null;
}

/** Every form with its published version and newest draft. */
export async function listQualityForms(q: Queryable): Promise<QualityFormEntry[]> {
  const { rows } = await q.query<{ code: string; name: string; published_version: number | null; draft_version: number | null }>(
    `SELECT form_code AS code,
            COALESCE(max(document->>'name') FILTER (WHERE status = 'published'), (array_agg(document->>'name' ORDER BY version DESC))[1]) AS name,
            max(version) FILTER (WHERE status = 'published') AS published_version,
            max(version) FILTER (WHERE status = 'draft') AS draft_version
     FROM quality_form_versions GROUP BY form_code ORDER BY form_code`,
  );
  return rows.map((r) => ({ code: r.code, name: r.name, publishedVersion: r.published_version, draftVersion: r.draft_version }));
}
