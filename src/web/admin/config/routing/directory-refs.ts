import { api } from '../../../shared/api-client';

/** The directory names a routing document refers to, for the editor's pickers. */
export interface DirectoryRefs {
  queues: Array<{ id: number; name: string; label: string }>;
  departments: Array<{ id: number; code: string; name: string; headStaffId: number | null }>;
  staff: Array<{ id: number; fullName: string; role: string; active: boolean }>;
  clientTypes: Array<{ code: string; label: string }>;
  promptIds: string[];
}

export async function loadDirectoryRefs(): Promise<DirectoryRefs> {
  const [queues, departments, staff, clientTypes, prompts] = await Promise.all([
    api.get<DirectoryRefs['queues']>('/api/queues?limit=1000'),
    api.get<DirectoryRefs['departments']>('/api/departments?limit=1000'),
    api.get<DirectoryRefs['staff']>('/api/staff?limit=1000'),
    api.get<DirectoryRefs['clientTypes']>('/api/client-types'),
    api.get<Array<{ id: string }>>('/api/prompts'),
  ]);
  return { queues, departments, staff, clientTypes, promptIds: [...new Set(prompts.map((p) => p.id))].sort() };
}
