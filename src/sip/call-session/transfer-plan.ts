import type { TransferTarget } from '../../calls/call-record';
import { AppError } from '../../errors/app-error';
import type { ClientFacts } from '../../routing/client-facts';
import type { DirectorySnapshot } from '../../routing/directory-snapshot';
import type { RouteTarget } from '../../routing/route-target';
import { queuePlanFor, type QueuePlan } from '../queue-plan';
import { concreteTransferTarget, type BlindTransferTarget } from '../transfer-target';

/** A person rung after a transfer gets this long before their department's queue takes over. */
export const TRANSFER_PERSON_RING_SECONDS = 20;

/** Where a transferred caller waits (the ACD plan) and what the call record says of the target. */
export interface TransferPlan {
  plan: QueuePlan;
  fact: TransferTarget;
}

/**
 * The queue plan for a blind transfer (or a warm one through the ACD), decided
 * from the directory without I/O: a queue as it is; a department through its
 * queue, else its head; a person rung for TRANSFER_PERSON_RING_SECONDS, then
 * their department's queue if it has one. Finance, quality, second line and
 * the client's manager are made concrete first and keep their name on the record.
 *
 * @throws AppError NOT_FOUND for a target the directory does not have, or one that cannot take calls.
 */
export function transferPlanFor(named: BlindTransferTarget, directory: DirectorySnapshot, client: ClientFacts | null, priority: number): TransferPlan {
  const concrete = concreteTransferTarget(named, directory, client);
  const target = concrete.target;
  let route: RouteTarget;
  let fact: TransferTarget;
  if (target.kind === 'queue') {
    if (!directory.queues.includes(target.queue)) throw new AppError('NOT_FOUND', `queue ${target.queue} does not exist`);
    route = { kind: 'queue', queue: target.queue, requiredSkills: {}, priority };
    fact = { kind: 'queue', queue: target.queue, label: target.queue };
  } else if (target.kind === 'department') {
    const department = directory.departments.find((d) => d.code === target.department);
    if (!department) throw new AppError('NOT_FOUND', `department ${target.department} does not exist`);
    route = { kind: 'department', department: department.code, departmentName: department.name, queue: department.queue, headStaffId: department.headStaffId };
    fact = { kind: 'department', department: department.code, ...(department.queue ? { queue: department.queue } : {}), label: department.name };
  } else {
    const person = directory.staff.find((s) => s.id === target.staffId && s.active);
    if (!person) throw new AppError('NOT_FOUND', `staff member ${target.staffId} does not exist or is inactive`);
    const department = person.departmentCode ? directory.departments.find((d) => d.code === person.departmentCode) ?? null : null;
    route = {
      kind: 'person', staffId: person.id, name: person.name, role: 'named', departmentCode: person.departmentCode,
      departmentName: department?.name ?? null, ringTimeoutSeconds: TRANSFER_PERSON_RING_SECONDS,
      fallback: department?.queue ? [{ kind: 'queue', queue: department.queue, requiredSkills: {}, priority }] : [],
    };
    fact = { kind: 'person', staffId: person.id, label: person.name };
  }
  const plan = queuePlanFor(route, priority);
  if (!plan) throw new AppError('NOT_FOUND', 'the transfer target cannot take calls');
  // A named service keeps its name on the record (finance, quality…), with what it resolved to.
  if (named.kind !== target.kind) fact = { ...fact, ...concrete.fact };
  return { plan, fact };
}
