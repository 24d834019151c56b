import type { TransferTarget } from '../calls/call-record';
import { AppError } from '../errors/app-error';
import type { ClientFacts } from '../routing/client-facts';
import type { DirectorySnapshot } from '../routing/directory-snapshot';

/**
 * Where a transfer (blind or warm) sends the caller: REST body, or parsed from
 * a REFER's Refer-To. Besides a queue, a person or a department, the services
 * the business rules name (design §1 rules 5, 12): the finance service, the
 * quality-control department, the second line, and the client's own manager.
 */
export type BlindTransferTarget =
  | { kind: 'queue'; queue: string }
  | { kind: 'person'; staffId: number }
  | { kind: 'department'; department: string }
  | { kind: 'finance' }
  | { kind: 'quality' }
  | { kind: 'second_line' }
  | { kind: 'manager' };

/** A named service: the department codes that stand for it, first found wins (the demo directory's codes first). */
export const SERVICE_DEPARTMENTS: Readonly<Record<'finance' | 'quality' | 'second_line', readonly string[]>> = {
  finance: ['finance'],
  quality: ['quality_control', 'quality'],
  second_line: ['second_line'],
};

/** A target in the directory's own terms, with the fact the call record keeps about it. */
export interface ConcreteTransferTarget {
  target: Extract<BlindTransferTarget, { kind: 'queue' | 'person' | 'department' }>;
  fact: TransferTarget;
}

/**
 * Resolves a named service or the client's manager to a department or a
 * person of the directory. Queues, people and departments pass unchanged
 * (their existence is checked where they are planned).
 *
 * @throws AppError NOT_FOUND when the directory has no department for the service, or the caller has no manager.
 */
export function concreteTransferTarget(target: BlindTransferTarget, directory: DirectorySnapshot, client: ClientFacts | null): ConcreteTransferTarget {
  switch (target.kind) {
    case 'queue':
      return { target, fact: { kind: 'queue', queue: target.queue, label: target.queue } };
    case 'person': {
      const person = directory.staff.find((s) => s.id === target.staffId);
      return { target, fact: { kind: 'person', staffId: target.staffId, label: person?.name ?? `staff ${target.staffId}` } };
    }
    case 'department': {
      const department = directory.departments.find((d) => d.code === target.department);
      return { target, fact: { kind: 'department', department: target.department, ...(department?.queue ? { queue: department.queue } : {}), label: department?.name ?? target.department } };
    }
    case 'manager': {
      const managerId = client?.managerId ?? null;
      if (managerId === null) throw new AppError('NOT_FOUND', 'the caller has no assigned manager');
      const person = directory.staff.find((s) => s.id === managerId);
      return { target: { kind: 'person', staffId: managerId }, fact: { kind: 'person', staffId: managerId, label: `client manager ${person?.name ?? managerId}` } };
    }
    default: {
      const codes = SERVICE_DEPARTMENTS[target.kind];
      const department = codes.map((code) => directory.departments.find((d) => d.code === code)).find((d) => d !== undefined);
      if (!department) throw new AppError('NOT_FOUND', `no department in the directory stands for ${target.kind} (looked for ${codes.join(', ')})`);
      return {
        target: { kind: 'department', department: department.code },
        fact: { kind: target.kind, department: department.code, ...(department.queue ? { queue: department.queue } : {}), label: department.name },
      };
    }
  }
}

/**
 * Reads a REFER's Refer-To (RFC 3515 §2.1) as a transfer target. The user
 * part names it: `sip:queue-<queue>@…` (a queue), `sip:dept-<code>@…` (a
 * department: its queue, else its head), `sip:staff-<id>@…` (a person, with
 * their department's queue as fallback), or one of the services
 * `sip:finance@…`, `sip:quality@…`, `sip:second-line@…` (or `second_line`),
 * `sip:manager@…` (the client's manager). Anything else: null.
 */
export function transferTargetOfReferTo(referTo: string): BlindTransferTarget | null {
  const user = /<?sips?:([^@;>]+)@/i.exec(referTo)?.[1];
  if (!user) return null;
  const decoded = decodeURIComponent(user);
  switch (decoded.toLowerCase()) {
    case 'finance':
      return { kind: 'finance' };
    case 'quality':
      return { kind: 'quality' };
    case 'second-line':
    case 'second_line':
      return { kind: 'second_line' };
    case 'manager':
      return { kind: 'manager' };
  }
  const match = /^(queue|dept|staff)-(.+)$/.exec(decoded);
  if (!match?.[2]) return null;
  const [, kind, name] = match;
  if (kind === 'queue') return { kind: 'queue', queue: name };
  if (kind === 'dept') return { kind: 'department', department: name };
  return /^\d+$/.test(name) ? { kind: 'person', staffId: Number(name) } : null;
}
