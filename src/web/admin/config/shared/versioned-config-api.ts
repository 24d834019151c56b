import { api } from '../../../shared/api-client';

/**
 * The draft → validate → publish → rollback endpoints shared by the routing
 * config (`/api/routing-config`) and each IVR flow (`/api/ivr/flows/<name>`).
 */
export type VersionStatus = 'draft' | 'published' | 'archived';

export interface VersionSummary {
  version: number;
  status: VersionStatus;
  comment: string;
  createdBy: string;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

export interface ConfigVersion<T> extends VersionSummary {
  document: T;
}

/** One validator message; `path` is dotted (`nodes.main_menu.options.3`, `rules[2].target`). */
export interface Issue {
  path: string;
  message: string;
}

export class VersionedConfigApi<T> {
  constructor(readonly basePath: string) {}

  versions(): Promise<VersionSummary[]> {
    return api.get(`${this.basePath}/versions`);
  }

  version(version: number): Promise<ConfigVersion<T>> {
    return api.get(`${this.basePath}/versions/${version}`);
  }

  published(): Promise<ConfigVersion<T>> {
    return api.get(`${this.basePath}/published`);
  }

  validate(document: T): Promise<{ ok: boolean; errors: Issue[] }> {
    return api.post(`${this.basePath}/validate`, { document });
  }

  createDraft(document: T, comment: string): Promise<ConfigVersion<T>> {
    return api.post(`${this.basePath}/versions`, { document, comment });
  }

  updateDraft(version: number, document: T, comment: string): Promise<ConfigVersion<T>> {
    return api.put(`${this.basePath}/versions/${version}`, { document, comment });
  }

  publish(version: number): Promise<ConfigVersion<T>> {
    return api.post(`${this.basePath}/versions/${version}/publish`);
  }

  rollback(version: number): Promise<ConfigVersion<T>> {
    return api.post(`${this.basePath}/rollback`, { version });
  }
}
