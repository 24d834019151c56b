/** Who may call the API. Staff roles (operator, key_account_manager, …) are a separate, telephony-side notion. */
export const USER_ROLES = ['admin', 'supervisor', 'operator', 'quality'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Role sets used by routes, so that who-may-do-what reads the same everywhere.
 * A role reaches a route only when a set here names it: the quality role (issue 18)
 * was added after most routes were written, so it is in none of the older sets and
 * gets exactly the rights the sets that name it give.
 */
/** Anyone signed in, whatever their role: their own session, password and URL tickets. */
export const SIGNED_IN: readonly UserRole[] = USER_ROLES;
/** The people who work calls and those who manage them: the softphone, call cards, the directory. */
export const ANY_USER: readonly UserRole[] = ['admin', 'supervisor', 'operator'];
export const MANAGERS: readonly UserRole[] = ['admin', 'supervisor'];
export const ADMINS: readonly UserRole[] = ['admin'];
/** Who reviews recorded calls and scores them: quality staff, and the supervisors and admins above them. */
export const QUALITY_REVIEWERS: readonly UserRole[] = ['admin', 'supervisor', 'quality'];

/** The roles ANY_USER names: the routes open to them, and the rules those routes apply, know no other. */
export type CallWorkerRole = 'admin' | 'supervisor' | 'operator';

/** Narrows a signed-in role to a call worker's; a route open to ANY_USER never sees another, so this is its type guard. */
export function isCallWorkerRole(role: UserRole): role is CallWorkerRole {
  return (ANY_USER as readonly string[]).includes(role);
}
