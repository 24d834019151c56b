import type { AcdDirectorySource } from '../../directory/acd-directory-source';
import type { Queryable } from '../pool';
import { departmentsRepository } from './departments-repository';
import { queuesRepository } from './queues-repository';
import { createStaffRepository } from './staff-repository';

/**
 * The ACD directory sync's source (src/directory/acd-directory-source.ts) in
 * Postgres. `sipRealm` is the staff repository's (it binds SIP digests on
 * writes); reading does not depend on it.
 */
export function acdDirectorySource(q: Queryable, sipRealm: string): AcdDirectorySource {
  const staffRepository = createStaffRepository(sipRealm);
  return {
    async readDirectory() {
      // The limits are far above any call center's directory: "all of them", in one page.
      const [queues, staff, departments] = await Promise.all([
        queuesRepository.list(q, {}, { limit: 10_000, offset: 0 }),
        staffRepository.list(q, {}, { limit: 100_000, offset: 0 }),
        departmentsRepository.list(q, {}, { limit: 10_000, offset: 0 }),
      ]);
      return { queues, staff, departments };
    },
  };
}
