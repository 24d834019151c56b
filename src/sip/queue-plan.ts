import type { MatchStage } from '../acd';
import { MAX_STAGES, PRIORITY_MAX, PRIORITY_MIN, preferLanguage } from '../acd';
import { DIRECT_QUEUE_ID, queueStages } from '../directory/acd-profiles';
import type { FallbackStep, RouteTarget } from '../routing/route-target';

/** How a routed call waits in the ACD: its queue, priority and, for chains, its own matching plan. */
export interface QueuePlan {
  queueId: string;
  priority: number;
  /** Absent: the queue's own plan. */
  stages?: MatchStage[];
}

/** What the caller brings to the plan beyond the routing decision. */
export interface CallerPreferences {
  /** The client's language: agents who speak it are tried first (preferLanguage), then anyone. */
  language?: string | null;
  /**
   * A queue's own required skills (the directory's), needed to add the
   * language to a queue's own plan; undefined for a queue it does not know,
   * which then keeps its own plan untouched.
   */
  queueSkills?: (queue: string) => Readonly<Record<string, number>> | undefined;
}

/** A department step (no queue of its own in the chain) is given this long before the next step. */
export const DEPARTMENT_STEP_MS = 30_000;

/** Routing priorities above the ACD's range share its top level. */
export function acdPriority(priority: number): number {
  return Math.max(PRIORITY_MIN, Math.min(PRIORITY_MAX, Math.round(priority)));
}

/** The queue's skill plan (with relaxation) when the target asks for skills; otherwise the queue's own plan. */
function skillStages(requiredSkills: Readonly<Record<string, number>>): MatchStage[] | undefined {
  return Object.keys(requiredSkills).length === 0 ? undefined : queueStages(requiredSkills);
}

/**
 * Turns a routing decision into the ACD's terms. A person with a fallback
 * chain becomes one waiting call whose stages ring each person for their ring
 * timeout in turn, then a department, then a queue — the caller keeps their
 * place and their time in line throughout (issue 4, preferred targets). An
 * after-hours target is not queued: null.
 */
export function queuePlanFor(target: RouteTarget, basePriority: number, caller: CallerPreferences = {}): QueuePlan | null {
  const plan = routedPlan(target, basePriority);
  const language = caller.language;
  if (!plan || !language) return plan;
  // A queue's own plan is written out so that the language can go in front of it.
  const own = plan.stages ? undefined : caller.queueSkills?.(plan.queueId);
  const stages = plan.stages ?? (own ? queueStages(own) : undefined);
  return stages ? { ...plan, stages: preferLanguage(stages, language) } : plan;
}

function routedPlan(target: RouteTarget, basePriority: number): QueuePlan | null {
  switch (target.kind) {
    case 'after_hours':
      return null;
    case 'queue': {
      const stages = skillStages(target.requiredSkills);
      return { queueId: target.queue, priority: acdPriority(target.priority), ...(stages ? { stages } : {}) };
    }
    case 'department':
      if (target.queue) return { queueId: target.queue, priority: acdPriority(basePriority) };
      return { queueId: DIRECT_QUEUE_ID, priority: acdPriority(basePriority), stages: chainStages([target]).stages };
    case 'person': {
      const chain: FallbackStep[] = [target, ...target.fallback];
      const { stages, finalQueue } = chainStages(chain);
      return { queueId: finalQueue?.queue ?? DIRECT_QUEUE_ID, priority: acdPriority(finalQueue?.priority ?? basePriority), stages };
    }
  }
}

/**
 * The chain's stages, cut to what fits the ACD's stage limit: "another
 * key-account manager" (seed rule 4) names every other one, each a stage, and
 * with 20 of them a key client's plan went past MAX_STAGES and the call failed
 * ("the matching plan is invalid"; bench:floor with 500 agents, 139 calls).
 * The managers past what fits are left out — free ones come first, and the
 * caller would have waited a ring timeout for each — while the manager, the
 * head and the final queue keep their places.
 */
function chainStages(chain: readonly FallbackStep[]): { stages: MatchStage[]; finalQueue: Extract<FallbackStep, { kind: 'queue' }> | null } {
  const built = stagesOfChain(chain);
  // One stage is left for the caller's language (preferLanguage may add one).
  const excess = built.stages.length - (MAX_STAGES - 1);
  return excess > 0 ? stagesOfChain(withoutLastManagers(chain, excess)) : built;
}

/** `chain` without its last `count` other key-account managers (each is one stage). */
function withoutLastManagers(chain: readonly FallbackStep[], count: number): FallbackStep[] {
  let left = count;
  const kept: FallbackStep[] = [];
  for (let i = chain.length - 1; i >= 0; i--) {
    const step = chain[i]!;
    if (left > 0 && step.kind === 'person' && step.role === 'key_account_manager') left--;
    else kept.unshift(step);
  }
  return kept;
}

function stagesOfChain(chain: readonly FallbackStep[]): { stages: MatchStage[]; finalQueue: Extract<FallbackStep, { kind: 'queue' }> | null } {
  const stages: MatchStage[] = [];
  let at = 0;
  for (const step of chain) {
    if (step.kind === 'person') {
      const ringMs = step.ringTimeoutSeconds * 1000;
      stages.push({ afterMs: at, scope: { type: 'agents', agentIds: [String(step.staffId)] }, ringMs });
      at += ringMs;
    } else if (step.kind === 'department') {
      stages.push({ afterMs: at, scope: { type: 'department', department: step.department } });
      at += DEPARTMENT_STEP_MS;
      if (step.headStaffId !== null) {
        stages.push({ afterMs: at, scope: { type: 'agents', agentIds: [String(step.headStaffId)] } });
        at += DEPARTMENT_STEP_MS;
      }
    } else if (step.kind === 'queue') {
      // A queue ends the chain: stages can only widen to the call's own queue.
      const skills = skillStages(step.requiredSkills);
      stages.push({ afterMs: at, scope: { type: 'queue' }, ...(skills?.[0]?.skills ? { skills: skills[0].skills } : {}) });
      return { stages, finalQueue: step };
    } else {
      // after hours: nothing more to ring; the direct queue's overflow (a callback) takes over.
      break;
    }
  }
  return { stages, finalQueue: null };
}
