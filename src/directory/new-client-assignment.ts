import type { RoutingConfig } from '../routing/routing-config-schema';
import type { TargetSpec } from '../routing/target-spec';

/*
 * Rule 6 of DESIGN.md §1: a client without a manager goes to the head of the
 * relevant department, who assigns them one. These are the decisions behind
 * the head's "new clients" screen, kept pure so that the screen, the API and
 * the routing agree on which head a client belongs to.
 */

/** The routing step that sends a client without a manager to a head (`relevant_department_head`). */
export type NewClientHeadSpec = Extract<TargetSpec, { kind: 'relevant_department_head' }>;

/**
 * The step the published routing sends a client without a manager to: the
 * target of the first rule that matches on `hasManager: false` (the seed's
 * `no_manager`), when it is a `relevant_department_head`; null when the
 * routing sends such clients elsewhere.
 */
export function newClientHeadSpec(config: Pick<RoutingConfig, 'rules'>): NewClientHeadSpec | null {
  const rule = config.rules.find((r) => r.when.hasManager === false);
  const target = rule?.target;
  return target?.kind === 'relevant_department_head' ? target : null;
}

/**
 * The department whose head a client without a manager belongs to, looked up
 * as the routing does (target-resolver.ts): region, then client type, then
 * the default. The caller's intent is left out on purpose: it belongs to one
 * call, and the assignment is of the client.
 */
export function departmentOfNewClient(client: { type: string; region: string | null }, spec: NewClientHeadSpec): string {
  return (client.region !== null ? spec.byRegion?.[client.region] : undefined) ?? spec.byClientType?.[client.type] ?? spec.default;
}

/** Who asks: an API user, perhaps linked to a staff member. */
export interface AssignmentActor {
  role: 'admin' | 'supervisor' | 'operator';
  staffId: number | null;
}

/** Only the head of the client's department, or an admin, assigns its manager. */
export function mayAssignManager(actor: AssignmentActor, department: { headStaffId: number | null }): boolean {
  if (actor.role === 'admin') return true;
  return actor.staffId !== null && department.headStaffId === actor.staffId;
}

/** Staff roles that may manage clients (operators take market clients, rule 3; the head may keep one). */
export const CLIENT_MANAGER_ROLES: ReadonlySet<string> = new Set(['operator', 'key_account_manager', 'department_head']);

/** A manager the head may pick: an active client-managing member of that department. */
export function isAssignableManager(person: { role: string; active: boolean; departmentId: number | null }, departmentId: number): boolean {
  return person.active && person.departmentId === departmentId && CLIENT_MANAGER_ROLES.has(person.role);
}

/** Who is told about an assignment: the new manager, unless they assigned the client to themselves. */
export function assignmentRecipients(assignment: { managerId: number; assignedByStaffId: number | null }): number[] {
  return assignment.managerId === assignment.assignedByStaffId ? [] : [assignment.managerId];
}
