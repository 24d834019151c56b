/** Who may call the API. Staff roles (operator, key_account_manager, …) are a separate, telephony-side notion. */
export const USER_ROLES = ['admin', 'supervisor', 'operator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Role sets used by routes, so that who-may-do-what reads the same everywhere. */
export const ANY_USER: readonly UserRole[] = USER_ROLES;
export const MANAGERS: readonly UserRole[] = ['admin', 'supervisor'];
export const ADMINS: readonly UserRole[] = ['admin'];
