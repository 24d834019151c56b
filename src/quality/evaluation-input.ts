import { childPath } from '../routing/json-path';
import type { ValidationIssue, ValidationResult } from '../routing/validation-result';
import { scoreEvaluation, type EvaluationOutcome } from './evaluation-scoring';
import type { QualityCriterion, QualityForm } from './quality-form';

export interface CriterionScoreInput {
  readonly criterionId: string;
  readonly score: number;
  readonly note?: string | undefined;
}

export interface TimedCommentInput {
  readonly atSeconds: number;
  readonly text: string;
}

/** What an evaluator sends: a score per criterion, comments at moments of the recording, a summary. */
export interface EvaluationInput {
  readonly scores: readonly CriterionScoreInput[];
  readonly comments: readonly TimedCommentInput[];
  readonly summary?: string | undefined;
}

/** A score as stored: the criterion as the form version defined it, so later versions never change old evaluations. */
export interface ScoredCriterion {
  readonly criterionId: string;
  readonly label: string;
  readonly weight: number;
  readonly maxScore: number;
  readonly critical: boolean;
  readonly score: number;
  readonly note: string | null;
  /** The criterion's place in the form. */
  readonly position: number;
}

export interface CheckedEvaluation extends EvaluationOutcome {
  /** In the form's order. */
  readonly scores: readonly ScoredCriterion[];
  readonly comments: readonly TimedCommentInput[];
  readonly summary: string | null;
}

/** A comment's moment must fall inside the recording (a moment at its very end is allowed). */
export function checkCommentOffset(atSeconds: number, recordingSeconds: number, path: string): ValidationIssue | null {
  if (!Number.isFinite(atSeconds) || atSeconds < 0 || atSeconds > recordingSeconds) {
    return { path, message: `must be within the recording, 0 to ${recordingSeconds} s; got ${atSeconds}` };
  }
  return null;
}

/**
 * Checks an evaluation against the form version it uses and the recording it
 * is about: every criterion scored exactly once, no unknown criterion, each
 * score a whole number from 0 to the criterion's maximum, every comment
 * inside the recording. Returns the scores in the form's order with the
 * outcome, or every problem with its path.
 */
export function checkEvaluationInput(form: QualityForm, input: EvaluationInput, recordingSeconds: number): ValidationResult<CheckedEvaluation> {
  const issues: ValidationIssue[] = [];
  const byId = new Map<string, { criterion: QualityCriterion; position: number }>(form.criteria.map((criterion, position) => [criterion.id, { criterion, position }]));
  const given = new Map<string, { input: CriterionScoreInput; index: number }>();
  input.scores.forEach((score, index) => {
    const path = childPath('scores', index);
    const known = byId.get(score.criterionId);
    if (!known) {
      issues.push({ path: childPath(path, 'criterionId'), message: `the form has no criterion '${score.criterionId}'` });
      return;
    }
    const earlier = given.get(score.criterionId);
    if (earlier) {
      issues.push({ path: childPath(path, 'criterionId'), message: `criterion '${score.criterionId}' is scored twice (also scores[${earlier.index}])` });
      return;
    }
    given.set(score.criterionId, { input: score, index });
    if (!Number.isInteger(score.score) || score.score < 0 || score.score > known.criterion.maxScore) {
      issues.push({ path: childPath(path, 'score'), message: `must be a whole number from 0 to ${known.criterion.maxScore}; got ${score.score}` });
    }
  });
  for (const criterion of form.criteria) {
    if (!given.has(criterion.id)) issues.push({ path: 'scores', message: `criterion '${criterion.id}' (${criterion.label}) is not scored` });
  }
  input.comments.forEach((comment, index) => {
    const issue = checkCommentOffset(comment.atSeconds, recordingSeconds, childPath(childPath('comments', index), 'atSeconds'));
    if (issue) issues.push(issue);
  });
  if (issues.length > 0) return { ok: false, errors: issues };

  const scores: ScoredCriterion[] = form.criteria.map((criterion, position) => {
    const score = given.get(criterion.id)?.input;
    return {
      criterionId: criterion.id, label: criterion.label, weight: criterion.weight, maxScore: criterion.maxScore,
      critical: criterion.critical === true, score: score?.score ?? 0, note: score?.note ?? null, position,
    };
  });
  const outcome = scoreEvaluation(form, new Map(scores.map((s) => [s.criterionId, s.score])));
  return { ok: true, value: { ...outcome, scores, comments: input.comments, summary: input.summary ?? null } };
}
