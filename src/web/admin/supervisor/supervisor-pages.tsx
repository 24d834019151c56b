import type { AdminPage } from '../pages';

/** Wallboard, reports, call log, staffing planner, campaigns (admins and supervisors). */
export const SUPERVISOR_PAGES: AdminPage[] = [];
