import type { MatchStage } from './match-stage';

/**
 * How long a caller with a language waits for an agent who speaks it before
 * anyone of the queue will do: long enough for a busy speaker to come free,
 * short enough that nobody is stuck for want of one (like skill relaxation,
 * acd-profiles RELAX_SKILLS_AFTER_MS).
 */
export const LANGUAGE_MATCH_WAIT_MS = 30_000;

/**
 * A matching plan that prefers agents speaking `language` for the first
 * `waitMs`, then falls back to the plan as it was. Stages that name people
 * (a manager, a head) are left alone: those people were chosen for who they
 * are, not for a language; stages that already ask for languages keep theirs.
 * The ACD moves a call on to the next stage by time alone, so the fallback
 * needs no agent to become free first.
 */
export function preferLanguage(stages: readonly MatchStage[], language: string, waitMs = LANGUAGE_MATCH_WAIT_MS): MatchStage[] {
  const constrains = (stage: MatchStage): boolean => stage.scope.type !== 'agents' && stage.languages === undefined;
  const before = stages.filter((s) => s.afterMs < waitMs);
  const from = stages.filter((s) => s.afterMs >= waitMs);
  const out: MatchStage[] = before.map((s) => (constrains(s) ? { ...s, languages: [language] } : s));
  // The stage in force at waitMs, without the language, from waitMs on (unless the plan changes there anyway).
  const inForce = before[before.length - 1];
  if (inForce && constrains(inForce) && from[0]?.afterMs !== waitMs) out.push({ ...inForce, afterMs: waitMs });
  return [...out, ...from];
}
