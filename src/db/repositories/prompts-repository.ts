import type { PromptCatalogue, PromptEntry } from '../../ivr/prompt-catalogue';
import type { Queryable } from '../pool';

export interface StoredPrompt extends PromptEntry {
  audioFile: string;
  source: 'default' | 'upload';
  durationMs: number | null;
  updatedBy: string;
  updatedAt: string;
}

interface Row {
  id: string;
  language: string;
  text: string;
  audio_file: string;
  source: 'default' | 'upload';
  duration_ms: number | null;
  updated_by: string;
  updated_at: Date;
}

const toPrompt = (r: Row): StoredPrompt => ({
  id: r.id, language: r.language, text: r.text, audioFile: r.audio_file, source: r.source,
  durationMs: r.duration_ms, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString(),
});

export async function listPrompts(q: Queryable): Promise<StoredPrompt[]> {
  const { rows } = await q.query<Row>('SELECT * FROM prompts ORDER BY id, language');
  return rows.map(toPrompt);
}

/** The catalogue the IVR validator and executor read. */
export async function loadPromptCatalogue(q: Queryable): Promise<PromptCatalogue> {
  return (await listPrompts(q)).map(({ id, language, text, audioFile }) => ({ id, language, text, audioFile }));
}

/** Inserts shipped prompts that are not in the catalogue yet; never overwrites an admin's change. */
export async function ensureDefaultPrompts(q: Queryable, defaults: ReadonlyArray<PromptEntry & { audioFile: string; durationMs?: number }>): Promise<number> {
  let inserted = 0;
  for (const p of defaults) {
    const result = await q.query(
      'INSERT INTO prompts (id, language, text, audio_file, duration_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id, language) DO NOTHING',
      [p.id, p.language, p.text, p.audioFile, p.durationMs ?? null],
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

export async function upsertPrompt(q: Queryable, prompt: { id: string; language: string; text: string; audioFile: string; source: 'default' | 'upload'; durationMs: number | null; updatedBy: string }): Promise<{ before: StoredPrompt | null; after: StoredPrompt }> {
  const before = await q.query<Row>('SELECT * FROM prompts WHERE id = $1 AND language = $2 FOR UPDATE', [prompt.id, prompt.language]);
  const { rows } = await q.query<Row>(
    `INSERT INTO prompts (id, language, text, audio_file, source, duration_ms, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id, language) DO UPDATE SET text = EXCLUDED.text, audio_file = EXCLUDED.audio_file, source = EXCLUDED.source,
       duration_ms = EXCLUDED.duration_ms, updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING *`,
    [prompt.id, prompt.language, prompt.text, prompt.audioFile, prompt.source, prompt.durationMs, prompt.updatedBy],
  );
  return { before: before.rows[0] ? toPrompt(before.rows[0]) : null, after: toPrompt(rows[0] as Row) };
}

export async function findPrompt(q: Queryable, id: string, language: string): Promise<StoredPrompt | null> {
  const { rows } = await q.query<Row>('SELECT * FROM prompts WHERE id = $1 AND language = $2', [id, language]);
  return rows[0] ? toPrompt(rows[0]) : null;
}
