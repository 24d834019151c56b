import type { DepartmentRecord, QueueRecord, StaffRecord } from './directory-records';

/** The directory as the ACD sync copies it: every queue, staff member and department, active or not. */
export interface DirectoryForAcd {
  readonly queues: readonly QueueRecord[];
  readonly staff: readonly StaffRecord[];
  readonly departments: readonly DepartmentRecord[];
}

/**
 * Where syncDirectoryToAcd reads the directory from. The directory names
 * what it needs and src/db implements it (acdDirectorySource), so that the
 * directory does not depend on the storage layer (docs/architecture.md §2).
 */
export interface AcdDirectorySource {
  readDirectory(): Promise<DirectoryForAcd>;
}
