import type { Acd } from '../acd';
import type { Logger } from '../logger';
import type { AcdDirectorySource } from './acd-directory-source';
import { DIRECT_QUEUE, agentProfileOf, queueConfigOf } from './acd-profiles';

/**
 * Copies the directory (Postgres: staff, queues) into the ACD (Redis) so that
 * queues and agents there match what admins configured. Run at start and when
 * the directory changes; it only upserts, so live agent states survive.
 */
export async function syncDirectoryToAcd(directory: AcdDirectorySource, acd: Acd, logger: Logger): Promise<{ queues: number; agents: number }> {
  const { queues, staff, departments } = await directory.readDirectory();
  const activeQueues = queues.filter((q) => q.active);
  for (const queue of activeQueues) await acd.defineQueue(queueConfigOf(queue));
  await acd.defineQueue(DIRECT_QUEUE);
  const departmentCode = new Map(departments.map((d) => [d.id, d.code]));
  const queueName = new Map(activeQueues.map((q) => [q.id, q.name]));
  let agents = 0;
  for (const person of staff) {
    const profile = agentProfileOf(
      person,
      person.departmentId === null ? null : departmentCode.get(person.departmentId) ?? null,
      person.queueIds.map((id) => queueName.get(id)).filter((n): n is string => n !== undefined),
    );
    if (!profile) continue;
    await acd.upsertAgent(profile, 'directory');
    agents++;
  }
  logger.info({ queues: activeQueues.length + 1, agents }, 'directory synchronised into the ACD');
  return { queues: activeQueues.length + 1, agents };
}
