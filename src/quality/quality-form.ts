import { Type, type Static } from '@sinclair/typebox';
import { childPath } from '../routing/json-path';
import { SchemaCheck } from '../routing/schema-check';
import type { ValidationIssue, ValidationResult } from '../routing/validation-result';

/** A criterion's id and a form's code: what URLs and stored scores name them by. */
export const QUALITY_SLUG = '^[a-z][a-z0-9_]*$';
export const MAX_CRITERIA = 30;

export const QualityCriterionSchema = Type.Object({
  id: Type.String({ pattern: QUALITY_SLUG, minLength: 1, maxLength: 64 }),
  label: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  /** Relative weight in the total; only the ratio between criteria matters. */
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
  maxScore: Type.Integer({ minimum: 1, maximum: 10 }),
  /** A 0 on this criterion fails the evaluation whatever the total. */
  critical: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

/** A quality evaluation form (issue 18 point 4): weighted criteria and the mark an evaluation must reach. */
export const QualityFormSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  /** Percent of the weighted total an evaluation needs to pass. */
  passMark: Type.Number({ minimum: 0, maximum: 100 }),
  criteria: Type.Array(QualityCriterionSchema, { minItems: 1, maxItems: MAX_CRITERIA }),
}, { additionalProperties: false });

export type QualityCriterion = Static<typeof QualityCriterionSchema>;
export type QualityForm = Static<typeof QualityFormSchema>;

const formCheck = new SchemaCheck(QualityFormSchema);

/**
 * Checks a form document: the schema first (every issue with its path; it
 * already bounds weights above 0 and the pass mark to 0..100), then what a
 * schema cannot say — criterion ids unique. Never throws for bad input.
 */
export function validateQualityForm(document: unknown): ValidationResult<QualityForm> {
  if (!formCheck.check(document)) return { ok: false, errors: formCheck.issues(document) };
  const issues: ValidationIssue[] = [];
  const firstIndexOf = new Map<string, number>();
  document.criteria.forEach((criterion, index) => {
    const earlier = firstIndexOf.get(criterion.id);
    if (earlier !== undefined) issues.push({ path: childPath(childPath('criteria', index), 'id'), message: `duplicate criterion id '${criterion.id}' (also criteria[${earlier}])` });
    else firstIndexOf.set(criterion.id, index);
  });
  return issues.length > 0 ? { ok: false, errors: issues } : { ok: true, value: document };
}
