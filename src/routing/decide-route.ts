import { AvailabilityIndex, type AvailabilitySnapshot } from './availability-snapshot';
import { describeClosure } from './business-hours';
import type { CallFacts } from './call-facts';
import type { CallerChoice } from './caller-choice';
import type { ClientFacts } from './client-facts';
import { DirectoryIndex, type DirectorySnapshot } from './directory-snapshot';
import { conditionHolds } from './rule-condition';
import type { RouteDecision } from './route-decision';
import { describeAnnouncement, describeStep, renderReason } from './route-reason';
import type { FallbackStep, RouteTarget } from './route-target';
import type { RoutingConfig } from './routing-config-schema';
import { resolveTarget, stepKey, type Candidate, type ResolveContext } from './target-resolver';
import type { TargetSpec } from './target-spec';

/** Everything a routing decision depends on — and nothing else (design §2: no I/O). */
export interface RoutingInput {
  readonly call: CallFacts;
  /** null = new or unknown caller. */
  readonly client: ClientFacts | null;
  readonly choice: CallerChoice;
  readonly availability: AvailabilitySnapshot;
  readonly directory: DirectorySnapshot;
  /** The moment of the decision; business hours are evaluated at it. */
  readonly now: Date;
  /** The config version the call started with (a validated document). */
  readonly config: RoutingConfig;
  /** Prompts the IVR already played (e.g. its own debt branch), so they are not announced twice. */
  readonly announcementsPlayed?: readonly string[];
}

const LAST_RESORT_ID = 'last_resort';

/**
 * Decides where a call goes. The first enabled rule whose condition holds
 * names a target spec; the spec and its fallback chain are resolved against
 * the client and directory; steps nobody is logged in for are dropped; the
 * first step that is free right now becomes the target (else the first one
 * that is merely occupied) and, for a person, the steps after it become the
 * fallback chain the ACD walks when the phone is not answered.
 */
export function decideRoute(input: RoutingInput): RouteDecision {
  const { config } = input;
  const closedBecause = describeClosure(config.businessHours, input.now);
  const facts = { call: input.call, client: input.client, choice: input.choice, open: closedBecause === null };
  const ctx: ResolveContext = {
    client: input.client,
    choice: input.choice,
    config,
    directory: new DirectoryIndex(input.directory),
    availability: new AvailabilityIndex(input.availability),
  };
  const rule = config.rules.find((r) => r.enabled !== false && conditionHolds(r.when, facts));
  const reasonFacts = { client: input.client, choice: input.choice, closedBecause };

  const resolved = rule ? resolveTarget(rule.target, ctx) : { candidates: [], notes: ['no rule matched'], gaps: [] };
  const notes = [...resolved.notes];
  const gaps = new Set(resolved.gaps);
  const present = dedupe(resolved.candidates).filter((c) => {
    if (c.reach !== 'absent') return true;
    notes.push(describeAbsence(c.step));
    return false;
  });

  let chain: FallbackStep[];
  let ruleId: string;
  if (present.length > 0 && rule) {
    const firstFree = Math.max(present.findIndex((c) => c.reach === 'free'), 0);
    for (const skipped of present.slice(0, firstFree)) notes.push(`${describeStep(skipped.step)} busy`);
    chain = present.slice(firstFree).map((c) => c.step);
    ruleId = rule.id;
  } else {
    chain = lastResort(config.lastResort, ctx, gaps);
    ruleId = rule ? rule.id : LAST_RESORT_ID;
    if (rule) notes.push('nobody in the chain is logged in — last resort');
  }

  const [first, ...rest] = chain;
  if (!first) throw new Error('unreachable: lastResort always yields a step');
  const target = toTarget(first, rest, config.lastResort, ctx, gaps);
  const announcement = rule?.announcement && !input.announcementsPlayed?.includes(rule.announcement) ? rule.announcement : null;

  const head = rule ? renderReason(rule.reason, reasonFacts) : 'no rule matched';
  const steps = [first, ...(target.kind === 'person' ? target.fallback : [])].map(describeStep).join(' → ');
  const lead = announcement ? `${describeAnnouncement(announcement)}, then ` : '';
  const tail = notes.length > 0 && rule ? ` (${notes.join('; ')})` : '';
  return { target, announcement, reason: `${head} — ${lead}${steps}${tail}`, ruleId, directoryGaps: [...gaps] };
}

/** Turns the chosen step into the target; a person carries the rest of the chain. */
function toTarget(first: FallbackStep, rest: FallbackStep[], lastResortSpec: TargetSpec, ctx: ResolveContext, gaps: Set<string>): RouteTarget {
  if (first.kind !== 'person') return first;
  const fallback = [...rest];
  const end = fallback[fallback.length - 1] ?? first;
  // A person can always fail to answer; the caller must still end up somewhere.
  if (end.kind === 'person') {
    const seen = new Set([first, ...fallback].map(stepKey));
    for (const step of lastResort(lastResortSpec, ctx, gaps)) if (!seen.has(stepKey(step))) fallback.push(step);
  }
  return { ...first, fallback };
}

/**
 * The last resort is used even if nobody is logged in to it, and even if the
 * directory changed under the config: a queue keeps the caller (with callback
 * offers) until someone logs in, which beats dropping the call.
 */
function lastResort(spec: TargetSpec, ctx: ResolveContext, gaps: Set<string>): FallbackStep[] {
  const resolution = resolveTarget(spec, ctx);
  for (const gap of resolution.gaps) gaps.add(gap);
  const resolved = resolution.candidates[0];
  if (resolved) return [resolved.step];
  switch (spec.kind) {
    case 'queue':
      return [{ kind: 'queue', queue: spec.queue, requiredSkills: { ...(spec.requiredSkills ?? {}) }, priority: spec.priority ?? ctx.config.defaults.priority }];
    case 'department':
      return [{ kind: 'department', department: spec.department, departmentName: spec.department, queue: null, headStaffId: null }];
    case 'after_hours':
      return [{ kind: 'after_hours', action: spec.action, promptId: spec.promptId }];
    default:
      // The validator refuses other kinds as last resort; an unvalidated document gets the plainest answer.
      return [{ kind: 'after_hours', action: 'callback', promptId: 'after_hours' }];
  }
}

function describeAbsence(step: FallbackStep): string {
  switch (step.kind) {
    case 'queue':
      return `nobody logged in to queue ${step.queue}`;
    case 'department':
      return `nobody of ${step.departmentName} logged in`;
    default:
      return `${describeStep(step)} absent`;
  }
}

function dedupe(candidates: readonly Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = stepKey(c.step);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
