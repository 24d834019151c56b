import type { ComponentType } from 'preact';
import type { SessionUser } from '../shared/api-client';
import type { HashRoute } from '../shared/hash-route';
// (page lists are imported below the types they use)

/**
 * Every screen of the admin and supervisor app, in menu order. A page lists the
 * roles that may open it; the server enforces the same on its API, this only
 * keeps people out of screens that would show them 403s.
 */
export interface AdminPageProps {
  user: SessionUser;
  route: HashRoute;
}

export interface AdminPage {
  /** First hash segment: #/<path>/… */
  path: string;
  label: { en: string; ru: string };
  roles: ReadonlyArray<SessionUser['role']>;
  component: ComponentType<AdminPageProps>;
}

import { SUPERVISOR_PAGES } from './supervisor/supervisor-pages';
import { CONFIG_PAGES } from './config/config-pages';
import { QUALITY_PAGES } from './quality/quality-pages';

/** Supervisor screens first: they are what a supervisor opens all day; admins see both. */
export const ADMIN_PAGES: AdminPage[] = [...SUPERVISOR_PAGES, ...QUALITY_PAGES, ...CONFIG_PAGES];
