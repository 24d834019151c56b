import { Type, type Static } from '@sinclair/typebox';
import { isDeepFrozen } from '../platform/deep-freeze';

/**
 * One prompt in one language. The audio is produced from `text` by the
 * prompt generation script (or uploaded by an admin); the IVR refers to
 * prompts by id only, and the caller's language picks the entry.
 */
export const PromptEntrySchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    language: Type.String({ pattern: '^[a-z]{2,3}$' }),
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    /** Relative to the prompts directory; default `<language>/<id>.wav`. */
    audioFile: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type PromptEntry = Static<typeof PromptEntrySchema>;

export const PromptCatalogueSchema = Type.Array(PromptEntrySchema);
export type PromptCatalogue = readonly PromptEntry[];

/** The audio file of a prompt, by the convention the generation script writes. */
export function promptAudioFile(entry: PromptEntry): string {
  return entry.audioFile ?? `${entry.language}/${entry.id}.wav`;
}

/** Lookup by id and language, built once per catalogue. */
export class PromptIndex {
  private readonly byKey: ReadonlyMap<string, PromptEntry>;
  /** Every prompt id, in any language. */
  readonly ids: ReadonlySet<string>;

  constructor(catalogue: PromptCatalogue) {
    this.byKey = new Map(catalogue.map((e) => [`${e.language}\u0000${e.id}`, e]));
    this.ids = new Set(catalogue.map((e) => e.id));
  }

  find(id: string, language: string): PromptEntry | undefined {
    return this.byKey.get(`${language}\u0000${id}`);
  }
}

/** Indexes of catalogues that cannot change (deeply frozen), built once each. */
const frozenIndexes = new WeakMap<PromptCatalogue, PromptIndex>();

/** The index of `catalogue`: for a deeply frozen one (the cached catalogue every call shares) built once, else anew. */
export function promptIndexOf(catalogue: PromptCatalogue): PromptIndex {
  if (!isDeepFrozen(catalogue)) return new PromptIndex(catalogue);
  let index = frozenIndexes.get(catalogue);
  if (!index) {
    index = new PromptIndex(catalogue);
    frozenIndexes.set(catalogue, index);
  }
  return index;
}
