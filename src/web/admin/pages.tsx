import type { ComponentType } from 'preact';
import type { SessionUser } from '../shared/api-client';
import type { HashRoute } from '../shared/hash-route';

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

export const ADMIN_PAGES: AdminPage[] = [];
