import { AppError, type ErrorDetail } from '../errors/app-error';

/**
 * What every validator in routing and IVR returns: either the checked value,
 * typed, or every problem found, each naming the JSON path it is about. The
 * validators never throw for bad input, so the admin API can show all problems
 * of a draft at once.
 */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly ValidationIssue[] };

/** One problem: `path` in dotted/bracket form (`rules[3].target.queue`), message without the path. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** `rules[3].target.queue: unknown queue 'vip'` — the form shown to admins and asserted in tests. */
export function formatIssue(issue: ValidationIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/**
 * Turns a failed result into the catalogue's VALIDATION_FAILED error, so the
 * HTTP boundary maps it to 400 like every other schema failure.
 */
export function validationError(what: string, issues: readonly ValidationIssue[]): AppError {
  const details: ErrorDetail[] = issues.map((i) => ({ path: i.path, message: i.message }));
  const first = issues[0];
  const summary = first ? `${what} is invalid: ${formatIssue(first)}` : `${what} is invalid`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError('VALIDATION_FAILED', summary + more, details);
}

/** Returns the value of a passing result, or throws VALIDATION_FAILED naming every issue. */
export function unwrapValidation<T>(what: string, result: ValidationResult<T>): T {
  if (result.ok) return result.value;
  throw validationError(what, result.errors);
}
