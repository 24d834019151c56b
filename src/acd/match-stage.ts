import { AppError, type ErrorDetail } from '../errors/app-error';
import { AGENT_KINDS, isAcdId, type AgentKind } from './agent-profile';

/** A minimum skill level a matching agent must have. */
export interface SkillRequirement {
  skill: string;
  minLevel: number;
}

/**
 * Where candidates for a call come from while a stage is active:
 * - `queue`: agents serving the call's queue, in the queue's strategy order;
 * - `agents`: the named people, in the order given (a preferred/sticky target,
 *   the client's own manager, a department head);
 * - `department` / `kind`: any ready agent of that department or kind, longest idle first.
 */
export type StageScope =
  | { type: 'queue' }
  | { type: 'agents'; agentIds: string[] }
  | { type: 'department'; department: string }
  | { type: 'kind'; kind: AgentKind };

/**
 * One step of a call's matching plan. A call's stages are ordered by
 * `afterMs`: the active stage is the last one whose `afterMs` has elapsed since
 * the call entered its queue. That single rule expresses both time-based skill
 * relaxation (after 30 s accept level ≥ 1 instead of ≥ 3) and fallback chains
 * (ring the manager for 20 s, then any key-account manager, then the head) —
 * while the call keeps its place in the queue throughout.
 */
export interface MatchStage {
  afterMs: number;
  scope: StageScope;
  skills?: SkillRequirement[];
  /** The agent must speak at least one of these. */
  languages?: string[];
  /** The agent must be one of these kinds. */
  kinds?: AgentKind[];
  /** The agent must belong to this department. */
  department?: string;
  /** How long a person is rung under this stage before ring-no-answer (default: the queue's). */
  ringMs?: number;
}

/** The most stages one plan may have. */
export const MAX_STAGES = 20;

/** The default plan: any agent of the queue. */
export const ANY_QUEUE_AGENT: readonly MatchStage[] = [{ afterMs: 0, scope: { type: 'queue' } }];

/** Validates a plan; stages must start at 0 and grow strictly. */
export function validateStages(stages: readonly MatchStage[], path = 'stages'): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (stages.length === 0) details.push({ path, message: 'needs at least one stage' });
  if (stages.length > MAX_STAGES) details.push({ path, message: `at most ${MAX_STAGES} stages` });
  stages.forEach((stage, i) => {
    const at = `${path}[${i}]`;
    if (i === 0 && stage.afterMs !== 0) details.push({ path: `${at}.afterMs`, message: 'the first stage starts at 0' });
    const previous = stages[i - 1];
    if (previous && !(stage.afterMs > previous.afterMs)) details.push({ path: `${at}.afterMs`, message: 'must be greater than the previous stage' });
    if (!Number.isInteger(stage.afterMs) || stage.afterMs < 0) details.push({ path: `${at}.afterMs`, message: 'must be a non-negative integer' });
    const scope = stage.scope;
    if (scope.type === 'agents') {
      if (scope.agentIds.length === 0 || scope.agentIds.length > 50) details.push({ path: `${at}.scope.agentIds`, message: 'needs 1–50 agents' });
      if (!scope.agentIds.every(isAcdId)) details.push({ path: `${at}.scope.agentIds`, message: 'contains an invalid id' });
    } else if (scope.type === 'department') {
      if (!isAcdId(scope.department)) details.push({ path: `${at}.scope.department`, message: 'is not a valid id' });
    } else if (scope.type === 'kind') {
      if (!(AGENT_KINDS as readonly string[]).includes(scope.kind)) details.push({ path: `${at}.scope.kind`, message: 'is not an agent kind' });
    } else if (scope.type !== 'queue') {
      details.push({ path: `${at}.scope.type`, message: 'must be queue, agents, department or kind' });
    }
    for (const [j, req] of (stage.skills ?? []).entries()) {
      if (!isAcdId(req.skill)) details.push({ path: `${at}.skills[${j}].skill`, message: 'is not a valid skill' });
      if (!Number.isInteger(req.minLevel) || req.minLevel < 0) details.push({ path: `${at}.skills[${j}].minLevel`, message: 'must be a non-negative integer' });
    }
    if (stage.kinds?.some((k) => !(AGENT_KINDS as readonly string[]).includes(k))) details.push({ path: `${at}.kinds`, message: 'contains an unknown kind' });
    if (stage.department !== undefined && !isAcdId(stage.department)) details.push({ path: `${at}.department`, message: 'is not a valid id' });
    if (stage.ringMs !== undefined && !(Number.isInteger(stage.ringMs) && stage.ringMs > 0)) details.push({ path: `${at}.ringMs`, message: 'must be a positive integer' });
  });
  return details;
}

/** Throws VALIDATION_FAILED when the plan is not usable. */
export function assertValidStages(stages: readonly MatchStage[], path = 'stages'): void {
  const details = validateStages(stages, path);
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'the matching plan is invalid', details);
}

/** Index of the stage active after `elapsedMs` (pure mirror of the Lua rule, for callers and tests). */
export function activeStageIndex(stages: readonly MatchStage[], elapsedMs: number, floor = 0): number {
  let index = 0;
  stages.forEach((stage, i) => {
    if (stage.afterMs <= elapsedMs) index = i;
  });
  return Math.min(Math.max(index, floor), stages.length - 1);
}
