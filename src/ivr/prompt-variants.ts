import type { PlayNode } from './flow-document';
import type { PromptIndex } from './prompt-catalogue';

/** How a play node with variants picks one per call. */
export const VARIANT_CHOICES = ['rotation', 'random'] as const;
export type VariantChoice = (typeof VARIANT_CHOICES)[number];

/** What a chooser is asked: which node, how many variants the caller's language has, and the node's setting. */
export interface VariantRequest {
  readonly nodeId: string;
  readonly language: string;
  readonly count: number;
  readonly choice: VariantChoice;
}

/**
 * Picks the variant a caller hears (an index below `count`). Injected into
 * the run, so that the run stays pure: rotation needs a memory across calls,
 * random needs a source of randomness, and tests need neither.
 */
export type VariantChooser = (request: VariantRequest) => number;

/** Always the first variant: what a run does when nobody chooses (replays, simulations). */
export const firstVariant: VariantChooser = () => 0;

/**
 * The chooser a process keeps for all its calls: rotation goes round the
 * variants per node and language (so regular callers hear each in turn);
 * random draws from `random` (0 ≤ x < 1).
 */
export function variantChooser(random: () => number = Math.random): VariantChooser {
  const turns = new Map<string, number>();
  return ({ nodeId, language, count, choice }) => {
    if (count <= 1) return 0;
    if (choice === 'random') return Math.min(count - 1, Math.floor(random() * count));
    const key = `${nodeId}\u0000${language}`;
    const turn = turns.get(key) ?? 0;
    turns.set(key, turn + 1);
    return turn % count;
  };
}

/** The node's variants that exist in `language`, in the node's order (a variant recorded in one language only is heard in that one). */
export function variantsIn(node: PlayNode, prompts: PromptIndex, language: string): string[] {
  return (node.variants ?? []).filter((id) => prompts.find(id, language) !== undefined);
}

/**
 * The node's prompts as this call hears them: the first prompt that is one
 * of the variants (the one they stand in for) becomes the chosen variant;
 * the others — a holiday notice before the greeting — play as they are.
 */
export function withVariant(prompts: readonly string[], variants: readonly string[], chosen: string): string[] {
  const at = prompts.findIndex((id) => variants.includes(id));
  return at < 0 ? [chosen, ...prompts] : prompts.map((id, i) => (i === at ? chosen : id));
}
