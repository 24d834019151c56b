import { AppError, type ErrorDetail } from '../errors/app-error';

/**
 * What kind of person an agent is. Operators take queue calls; the others are
 * named targets of routing decisions (design §1 rules 4–7, 12), rung through
 * the very same reservation machinery.
 */
export const AGENT_KINDS = ['operator', 'key_account_manager', 'department_head', 'finance', 'quality'] as const;

export type AgentKind = (typeof AGENT_KINDS)[number];

/** Everything the ACD needs to know about a person to match calls to them. */
export interface AgentProfile {
  id: string;
  name: string;
  kind: AgentKind;
  /** Department code, e.g. 'wholesale'; "any agent of the department" matches on it. */
  department?: string;
  /** Skill → level (1 = basic … 5 = expert). */
  skills: Record<string, number>;
  /** ISO 639-1 codes the person speaks. */
  languages: string[];
  /** Queue ids this person serves. */
  queues: string[];
  /** Position for the linear and round-robin strategies (lower first); default: registration order. */
  order?: number;
  /** Weight for the weighted-random strategy (default 1). */
  weight?: number;
  /** Overrides the queue's wrap-up time for this person. */
  wrapUpMs?: number;
}

const ID_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

/** True for ids the ACD accepts for agents, queues and calls (they become parts of Redis keys). */
export function isAcdId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Checks a profile and returns it normalised; throws VALIDATION_FAILED listing every problem. */
export function validateAgentProfile(profile: AgentProfile): AgentProfile {
  const details: ErrorDetail[] = [];
  if (!isAcdId(profile.id)) details.push({ path: 'id', message: 'must be 1–64 characters of A-Z a-z 0-9 _ . @ -' });
  if (typeof profile.name !== 'string' || profile.name.length === 0) details.push({ path: 'name', message: 'is required' });
  if (!(AGENT_KINDS as readonly string[]).includes(profile.kind)) details.push({ path: 'kind', message: `must be one of ${AGENT_KINDS.join(', ')}` });
  if (profile.department !== undefined && !isAcdId(profile.department)) details.push({ path: 'department', message: 'is not a valid id' });
  for (const [skill, level] of Object.entries(profile.skills)) {
    if (!ID_PATTERN.test(skill)) details.push({ path: `skills.${skill}`, message: 'is not a valid skill name' });
    if (!Number.isInteger(level) || level < 0 || level > 100) details.push({ path: `skills.${skill}`, message: 'level must be an integer 0–100' });
  }
  profile.queues.forEach((q, i) => {
    if (!isAcdId(q)) details.push({ path: `queues[${i}]`, message: 'is not a valid queue id' });
  });
  if (new Set(profile.queues).size !== profile.queues.length) details.push({ path: 'queues', message: 'lists a queue twice' });
  profile.languages.forEach((l, i) => {
    if (!/^[a-z]{2,3}$/.test(l)) details.push({ path: `languages[${i}]`, message: 'must be an ISO 639 code' });
  });
  if (profile.order !== undefined && (!Number.isInteger(profile.order) || profile.order < 0 || profile.order > 1e9)) {
    details.push({ path: 'order', message: 'must be an integer 0–1e9' });
  }
  if (profile.weight !== undefined && !(profile.weight > 0 && profile.weight <= 1000)) details.push({ path: 'weight', message: 'must be in (0, 1000]' });
  if (profile.wrapUpMs !== undefined && !(Number.isInteger(profile.wrapUpMs) && profile.wrapUpMs >= 0)) {
    details.push({ path: 'wrapUpMs', message: 'must be a non-negative integer' });
  }
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', `agent profile ${String(profile.id)} is invalid`, details);
  return {
    id: profile.id,
    name: profile.name,
    kind: profile.kind,
    ...(profile.department !== undefined ? { department: profile.department } : {}),
    skills: { ...profile.skills },
    languages: [...profile.languages],
    queues: [...profile.queues],
    ...(profile.order !== undefined ? { order: profile.order } : {}),
    ...(profile.weight !== undefined ? { weight: profile.weight } : {}),
    ...(profile.wrapUpMs !== undefined ? { wrapUpMs: profile.wrapUpMs } : {}),
  };
}
