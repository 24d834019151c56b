import type { QualityForm } from './quality-form';

/** What an evaluation's scores add up to under its form. */
export interface EvaluationOutcome {
  /** Weighted percent of the maximum, 0..100, rounded to one decimal. */
  readonly totalPercent: number;
  /** A critical criterion scored 0: the evaluation fails whatever the total. */
  readonly criticalFailed: boolean;
  readonly passed: boolean;
}

/** Rounds to one decimal, halves away from zero (the percent shown and stored). */
export function roundPercent(value: number): number {
  return Math.round((value + Number.EPSILON) * 10) / 10;
}

/**
 * The weighted total: each criterion contributes weight × score / maxScore,
 * the sum is divided by the sum of weights. The pass decision compares the
 * rounded total (what people see) with the pass mark, so a shown 80.0 passes
 * a mark of 80. Scores are assumed checked (checkEvaluationInput); a
 * criterion without a score counts as 0.
 */
export function scoreEvaluation(form: QualityForm, scores: ReadonlyMap<string, number>): EvaluationOutcome {
  let weighted = 0;
  let totalWeight = 0;
  let criticalFailed = false;
  for (const criterion of form.criteria) {
    const score = scores.get(criterion.id) ?? 0;
    weighted += (criterion.weight * score) / criterion.maxScore;
    totalWeight += criterion.weight;
    if (criterion.critical === true && score === 0) criticalFailed = true;
  }
  const totalPercent = totalWeight > 0 ? roundPercent((weighted / totalWeight) * 100) : 0;
  return { totalPercent, criticalFailed, passed: !criticalFailed && totalPercent >= form.passMark };
}
