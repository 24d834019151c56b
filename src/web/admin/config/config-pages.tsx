import type { AdminPage } from '../pages';

/** IVR editor, routing editor, directory, audit log (admins). */
export const CONFIG_PAGES: AdminPage[] = [];
