import type { AvailabilityIndex, Reachability } from './availability-snapshot';
import type { CallerChoice } from './caller-choice';
import type { ClientFacts } from './client-facts';
import type { DirectoryIndex, DirectoryQueueSettings, DirectoryStaff } from './directory-snapshot';
import type { RoutingConfig } from './routing-config-schema';
import type { FallbackStep, PersonRole, PersonStepTarget } from './route-target';
import type { StepSpec, TargetSpec } from './target-spec';

/** A concrete step with how reachable it is right now. */
export interface Candidate {
  readonly step: FallbackStep;
  readonly reach: Reachability;
}

/** What resolving a spec yields: candidates in order, plus notes on steps that could not be used. */
export interface Resolution {
  readonly candidates: Candidate[];
  /** "no manager assigned", "Finance has no head" — end up in the reason. */
  readonly notes: string[];
  /** The notes that are references the directory no longer has (a subset of notes): a config or client record ahead of the directory. */
  readonly gaps: string[];
}

/** Everything a spec is resolved against. */
export interface ResolveContext {
  readonly client: ClientFacts | null;
  readonly choice: CallerChoice;
  readonly config: RoutingConfig;
  readonly directory: DirectoryIndex;
  readonly availability: AvailabilityIndex;
}

/** Resolves a target and its fallback chain, in order. */
export function resolveTarget(spec: TargetSpec, ctx: ResolveContext): Resolution {
  const out: Resolution = { candidates: [], notes: [], gaps: [] };
  resolveStep(spec, ctx, out, false);
  for (const step of spec.fallback ?? []) resolveStep(step, ctx, out, false);
  return out;
}

/**
 * The queue priority a client gets when the spec does not fix one: the
 * queue's own priority for the client's type (the queue's setting), else the
 * routing config's for the type, else the config's default.
 */
export function priorityFor(client: ClientFacts | null, config: RoutingConfig, queue?: DirectoryQueueSettings): number {
  if (!client) return config.defaults.priority;
  return ownNumber(queue?.priorityByClientType, client.type) ?? ownNumber(config.priorityByClientType, client.type) ?? config.defaults.priority;
}

/** A map's own entry (a type code named like an Object.prototype member is not one). */
function ownNumber(map: Readonly<Record<string, number>> | undefined, key: string): number | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** A key that is equal for two steps that would ring the same thing. */
export function stepKey(step: FallbackStep): string {
  switch (step.kind) {
    case 'person':
      return `person:${step.staffId}`;
    case 'queue':
      return `queue:${step.queue}`;
    case 'department':
      return `department:${step.department}`;
    case 'after_hours':
      return `after_hours:${step.action}:${step.promptId}`;
  }
}

function resolveStep(spec: StepSpec | TargetSpec, ctx: ResolveContext, out: Resolution, insideOverride: boolean): void {
  const { directory, availability, client, config } = ctx;
  const gap = (note: string): void => {
    out.notes.push(note);
    out.gaps.push(note);
  };
  const ring = ('ringTimeoutSeconds' in spec ? spec.ringTimeoutSeconds : undefined) ?? config.defaults.ringTimeoutSeconds;
  const addPerson = (staff: DirectoryStaff, role: PersonRole, departmentCode: string | null): void => {
    const step: PersonStepTarget = {
      kind: 'person',
      staffId: staff.id,
      name: staff.name,
      role,
      departmentCode,
      departmentName: departmentCode ? (directory.department(departmentCode)?.name ?? null) : null,
      ringTimeoutSeconds: ring,
    };
    out.candidates.push({ step, reach: availability.person(staff.id) });
  };
  const activePerson = (id: number, what: string): DirectoryStaff | undefined => {
    const staff = directory.person(id);
    if (!staff || !staff.active) {
      // A directory edit after the config was published; skip rather than fail the call.
      gap(`${what} ${id} not in the directory`);
      return undefined;
    }
    return staff;
  };
  const headOf = (code: string, role: PersonRole): void => {
    const department = directory.department(code);
    if (!department) {
      gap(`department ${code} not in the directory`);
      return;
    }
    if (department.headStaffId === null) {
      gap(`${department.name} has no head`);
      return;
    }
    const head = activePerson(department.headStaffId, `head of ${department.name}`);
    if (head) addPerson(head, role, code);
  };

  switch (spec.kind) {
    case 'queue': {
      if (!directory.queues.has(spec.queue)) {
        gap(`queue ${spec.queue} not in the directory`);
        return;
      }
      out.candidates.push({
        step: {
          kind: 'queue',
          queue: spec.queue,
          requiredSkills: { ...(spec.requiredSkills ?? {}) },
          priority: spec.priority ?? priorityFor(client, config, directory.snapshot.queueSettings?.[spec.queue]),
        },
        reach: availability.queue(spec.queue),
      });
      return;
    }
    case 'person': {
      const staff = activePerson(spec.staffId, 'person');
      if (staff) addPerson(staff, insideOverride ? 'client_override' : 'named', staff.departmentCode);
      return;
    }
    case 'department': {
      const department = directory.department(spec.department);
      if (!department) {
        gap(`department ${spec.department} not in the directory`);
        return;
      }
      const viaQueue: Reachability = department.queue ? availability.queue(department.queue) : 'absent';
      const viaHead: Reachability = department.headStaffId !== null ? availability.person(department.headStaffId) : 'absent';
      out.candidates.push({
        step: {
          kind: 'department',
          department: department.code,
          departmentName: department.name,
          queue: department.queue,
          headStaffId: department.headStaffId,
        },
        reach: best(viaQueue, viaHead),
      });
      return;
    }
    case 'department_head':
      headOf(spec.department, 'department_head');
      return;
    case 'client_manager': {
      if (client?.managerId == null) {
        out.notes.push('no manager assigned');
        return;
      }
      const manager = activePerson(client.managerId, 'manager');
      if (manager) addPerson(manager, 'client_manager', manager.departmentCode);
      return;
    }
    case 'manager_department_head': {
      if (client?.managerId == null) {
        out.notes.push('no manager assigned');
        return;
      }
      const manager = directory.person(client.managerId);
      if (!manager?.departmentCode) {
        gap(`manager ${client.managerId} has no department`);
        return;
      }
      headOf(manager.departmentCode, 'department_head');
      return;
    }
    case 'key_account_managers': {
      // Free ones first: rule 4 wants "another key-account manager" who can talk now.
      const order: Record<Reachability, number> = { free: 0, occupied: 1, absent: 2 };
      const others = directory
        .keyAccountManagers()
        .filter((s) => s.id !== client?.managerId)
        .sort((a, b) => order[availability.person(a.id)] - order[availability.person(b.id)]);
      if (others.length === 0) out.notes.push('no other key-account managers');
      for (const kam of others) addPerson(kam, 'key_account_manager', kam.departmentCode);
      return;
    }
    case 'relevant_department_head': {
      const code =
        (client?.region != null ? spec.byRegion?.[client.region] : undefined) ??
        (client ? spec.byClientType?.[client.type] : undefined) ??
        spec.byIntent?.[ctx.choice.intent] ??
        spec.default;
      headOf(code, 'department_head');
      return;
    }
    case 'client_override': {
      const override = client?.overrideTarget;
      if (!override || insideOverride) return;
      resolveStep(override, ctx, out, true);
      for (const step of override.fallback ?? []) resolveStep(step, ctx, out, true);
      return;
    }
    case 'after_hours':
      out.candidates.push({ step: { kind: 'after_hours', action: spec.action, promptId: spec.promptId }, reach: 'free' });
      return;
  }
}

function best(a: Reachability, b: Reachability): Reachability {
  if (a === 'free' || b === 'free') return 'free';
  if (a === 'occupied' || b === 'occupied') return 'occupied';
  return 'absent';
}
