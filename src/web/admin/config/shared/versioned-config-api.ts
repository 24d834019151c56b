import type { ConfigVersionSummary, ValidationIssue, ValidationReport } from '../../../../api/schemas/config-schemas';
import { api } from '../../../shared/api-client';

/**
 * The draft → validate → publish → rollback endpoints shared by the routing
 * config (`/api/routing-config`) and each IVR flow (`/api/ivr/flows/<name>`).
 */
export type VersionSummary = ConfigVersionSummary;
export type VersionStatus = VersionSummary['status'];

/** A version with its document, typed as this editor's kind of document (the server keeps it as sent). */
export interface ConfigVersion<T> extends VersionSummary {
  document: T;
}

export type Issue = ValidationIssue;

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

  validate(document: T): Promise<ValidationReport> {
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
