import { childPath } from './json-path';
import { DirectoryIndex, type DirectorySnapshot } from './directory-snapshot';
import type { StepSpec, TargetSpec } from './target-spec';
import type { ValidationIssue } from './validation-result';

/** Where a spec sits decides what it may be. */
export type SpecPlace = 'rule' | 'last_resort' | 'client_override';

export interface TargetCheckOptions {
  /** Prompt ids that exist; when given, after-hours prompts are checked against them. */
  readonly promptIds?: readonly string[];
}

/**
 * Checks a (schema-valid) target spec and its fallback chain against the
 * directory: every queue, person and department must exist, department heads
 * must be assigned where a head is rung, the chain must not come back to a
 * step it already had (a loop), and nothing may follow an after-hours action.
 */
export function checkTargetSpec(
  spec: TargetSpec,
  directory: DirectorySnapshot | DirectoryIndex,
  path: string,
  place: SpecPlace,
  options: TargetCheckOptions = {},
): ValidationIssue[] {
  const index = directory instanceof DirectoryIndex ? directory : new DirectoryIndex(directory);
  const issues: ValidationIssue[] = [];
  if (place === 'last_resort') {
    if (spec.kind !== 'queue' && spec.kind !== 'department' && spec.kind !== 'after_hours') {
      issues.push({ path: childPath(path, 'kind'), message: `last resort must be a queue, department or after_hours, not '${spec.kind}' (it must work when nobody answers)` });
    }
    if (spec.fallback && spec.fallback.length > 0) {
      issues.push({ path: childPath(path, 'fallback'), message: 'last resort has no fallback chain' });
    }
  }
  const steps: Array<{ step: StepSpec; at: string }> = [{ step: spec, at: path }];
  (spec.fallback ?? []).forEach((step, i) => steps.push({ step, at: childPath(childPath(path, 'fallback'), i) }));

  const firstAt = new Map<string, string>();
  let endedAt: string | null = null;
  for (const { step, at } of steps) {
    if (endedAt !== null) {
      issues.push({ path: at, message: `unreachable: the chain ends at ${endedAt} (after_hours)` });
    }
    if (step.kind === 'after_hours') endedAt = at;
    if (step.kind === 'client_override' && place === 'client_override') {
      issues.push({ path: childPath(at, 'kind'), message: 'a client override cannot refer to the client override' });
    }
    issues.push(...checkStep(step, index, at, options));
    const key = loopKey(step, index);
    if (key === null) continue;
    const earlier = firstAt.get(key.key);
    if (earlier !== undefined) {
      issues.push({ path: at, message: `fallback chain loops back to ${key.label} (already at ${earlier})` });
    } else {
      firstAt.set(key.key, at);
    }
  }
  return issues;
}

function checkStep(step: StepSpec, dir: DirectoryIndex, at: string, options: TargetCheckOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const department = (code: string, field: string, needHead: boolean): void => {
    const d = dir.department(code);
    const where = childPath(at, field);
    if (!d) {
      issues.push({ path: where, message: `unknown department '${code}'` });
      return;
    }
    if (needHead && d.headStaffId === null) issues.push({ path: where, message: `department '${code}' has no head` });
    if (!needHead && d.headStaffId === null && d.queue === null) {
      issues.push({ path: where, message: `department '${code}' has neither a queue nor a head` });
    }
  };
  switch (step.kind) {
    case 'queue':
      if (!dir.queues.has(step.queue)) issues.push({ path: childPath(at, 'queue'), message: `unknown queue '${step.queue}'` });
      break;
    case 'person': {
      const staff = dir.person(step.staffId);
      if (!staff) issues.push({ path: childPath(at, 'staffId'), message: `unknown person ${step.staffId}` });
      else if (!staff.active) issues.push({ path: childPath(at, 'staffId'), message: `person ${step.staffId} (${staff.name}) is inactive` });
      break;
    }
    case 'department':
      department(step.department, 'department', false);
      break;
    case 'department_head':
      department(step.department, 'department', true);
      break;
    case 'relevant_department_head':
      for (const [key, code] of Object.entries(step.byRegion ?? {})) department(code, `byRegion.${key}`, true);
      for (const [key, code] of Object.entries(step.byClientType ?? {})) department(code, `byClientType.${key}`, true);
      for (const [key, code] of Object.entries(step.byIntent ?? {})) if (code) department(code, `byIntent.${key}`, true);
      department(step.default, 'default', true);
      break;
    case 'after_hours':
      if (options.promptIds && !options.promptIds.includes(step.promptId)) {
        issues.push({ path: childPath(at, 'promptId'), message: `unknown prompt '${step.promptId}'` });
      }
      break;
    case 'client_manager':
    case 'manager_department_head':
    case 'key_account_managers':
    case 'client_override':
      break;
  }
  return issues;
}

/**
 * Identity of a step for loop detection. A department head is the person, so
 * "head of finance" and "person 12" (the same head) loop; role steps resolved
 * per call are equal only to themselves.
 */
function loopKey(step: StepSpec, dir: DirectoryIndex): { key: string; label: string } | null {
  switch (step.kind) {
    case 'queue':
      return { key: `queue:${step.queue}`, label: `queue '${step.queue}'` };
    case 'person':
      return { key: `person:${step.staffId}`, label: `person ${step.staffId}` };
    case 'department':
      return { key: `department:${step.department}`, label: `department '${step.department}'` };
    case 'department_head': {
      const head = dir.department(step.department)?.headStaffId;
      return head == null
        ? { key: `head:${step.department}`, label: `the head of '${step.department}'` }
        : { key: `person:${head}`, label: `person ${head} (head of '${step.department}')` };
    }
    case 'after_hours':
      return null;
    default:
      return { key: step.kind, label: step.kind };
  }
}
