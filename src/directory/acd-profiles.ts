import type { AgentKind, AgentProfile, MatchStage, OverflowTarget, QueueConfigInput } from '../acd';
import type { QueueRecord, StaffRecord } from './directory-records';

/** The queue every call to a named person (or a department) is placed in; its stages name who to ring. */
export const DIRECT_QUEUE_ID = 'direct';

const KIND_BY_ROLE: Partial<Record<StaffRecord['role'], AgentKind>> = {
  operator: 'operator',
  key_account_manager: 'key_account_manager',
  department_head: 'department_head',
  finance: 'finance',
  quality: 'quality',
};

/** Skill relaxation (issue 4): after this long, any level ≥ 1 of the required skills will do. */
export const RELAX_SKILLS_AFTER_MS = 30_000;

/**
 * Staff member → ACD agent. Supervisors and admins take no calls, and
 * inactive staff are not agents: both give null.
 */
export function agentProfileOf(staff: StaffRecord, departmentCode: string | null, queueNames: string[]): AgentProfile | null {
  const kind = KIND_BY_ROLE[staff.role];
  if (!kind || !staff.active) return null;
  return {
    id: String(staff.id),
    name: staff.fullName,
    kind,
    ...(departmentCode ? { department: departmentCode } : {}),
    skills: { ...staff.skills },
    languages: [...staff.languages],
    queues: [...queueNames, DIRECT_QUEUE_ID],
  };
}

function overflowOf(target: QueueRecord['overflowTarget']): OverflowTarget | undefined {
  if (!target) return undefined;
  switch (target.kind) {
    case 'queue':
      return { type: 'queue', queueId: target.queue };
    case 'staff':
      return { type: 'agent', agentId: String(target.staffId) };
    case 'callback':
      return { type: 'callback' };
    case 'voicemail':
      return { type: 'voicemail' };
  }
}

/** The queue's default matching plan: its required skills, relaxed to level 1 after a while. */
export function queueStages(requiredSkills: Readonly<Record<string, number>>): MatchStage[] {
  const skills = Object.entries(requiredSkills).map(([skill, minLevel]) => ({ skill, minLevel }));
  if (skills.length === 0) return [{ afterMs: 0, scope: { type: 'queue' } }];
  const first: MatchStage = { afterMs: 0, scope: { type: 'queue' }, skills };
  if (skills.every((s) => s.minLevel <= 1)) return [first];
  return [first, { afterMs: RELAX_SKILLS_AFTER_MS, scope: { type: 'queue' }, skills: skills.map((s) => ({ skill: s.skill, minLevel: 1 })) }];
}

/**
 * Queue row → ACD queue settings. A queue with no overflow target still has a
 * maximum wait: the caller is then offered a callback at their place rather
 * than waiting for ever.
 */
export function queueConfigOf(queue: QueueRecord): QueueConfigInput {
  const overflow = overflowOf(queue.overflowTarget) ?? { type: 'callback' };
  return {
    id: queue.name,
    name: queue.label,
    strategy: queue.strategy,
    stages: queueStages(queue.requiredSkills),
    maxWaitMs: queue.maxWaitSeconds * 1000,
    overflow,
    emptyPolicy: queue.emptyQueuePolicy,
    serviceLevelMs: queue.serviceLevelSeconds * 1000,
    wrapUpMs: queue.wrapUpSeconds * 1000,
    ringTimeoutMs: queue.ringTimeoutSeconds * 1000,
  };
}

/** The implicit queue of calls to named people and departments (its calls bring their own stages). */
export const DIRECT_QUEUE: QueueConfigInput = {
  id: DIRECT_QUEUE_ID,
  name: 'Named people and departments',
  strategy: 'linear',
  maxWaitMs: 10 * 60_000,
  overflow: { type: 'callback' },
  emptyPolicy: 'wait',
  ringTimeoutMs: 20_000,
};
