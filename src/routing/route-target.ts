/**
 * Concrete targets in a routing decision: what the ACD acts on. Everything
 * symbolic in the config (roles, "relevant department") is resolved here to
 * queue names, staff ids and department codes.
 */

export interface QueueTarget {
  readonly kind: 'queue';
  readonly queue: string;
  /** Skill name → minimum level; empty when any agent of the queue will do. */
  readonly requiredSkills: Readonly<Record<string, number>>;
  /** Higher is served first. */
  readonly priority: number;
}

/** Why a person is in the chain; reasons and the agent's screen use it. */
export type PersonRole =
  | 'named'
  | 'client_manager'
  | 'key_account_manager'
  | 'department_head'
  | 'client_override';

/** A person to ring, without a chain of its own (a step inside a chain). */
export interface PersonStepTarget {
  readonly kind: 'person';
  readonly staffId: number;
  readonly name: string;
  readonly role: PersonRole;
  /** The person's department (for a head: the department they head). */
  readonly departmentCode: string | null;
  readonly departmentName: string | null;
  readonly ringTimeoutSeconds: number;
}

/** A department: its queue if it has one, else its head. */
export interface DepartmentTarget {
  readonly kind: 'department';
  readonly department: string;
  readonly departmentName: string;
  readonly queue: string | null;
  readonly headStaffId: number | null;
}

export interface AfterHoursTarget {
  readonly kind: 'after_hours';
  readonly action: 'message' | 'callback';
  /** The message to play (for `callback`, before the callback offer). */
  readonly promptId: string;
}

/** Anything a fallback chain may contain. */
export type FallbackStep = PersonStepTarget | QueueTarget | DepartmentTarget | AfterHoursTarget;

/**
 * A person to ring for `ringTimeoutSeconds`; if they do not answer (or are no
 * longer free when the ACD gets to them) the ACD tries `fallback` in order.
 */
export interface PersonTarget extends PersonStepTarget {
  readonly fallback: readonly FallbackStep[];
}

export type RouteTarget = QueueTarget | PersonTarget | DepartmentTarget | AfterHoursTarget;
