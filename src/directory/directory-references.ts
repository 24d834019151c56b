import { childPath } from '../routing/json-path';
import type { RoutingConfig } from '../routing/routing-config-schema';
import type { StepSpec, TargetSpec } from '../routing/target-spec';

/**
 * Who relies on a person, queue or department (issue 15): the published
 * routing config and the directory itself. Pure: the caller loads a
 * {@link ReferenceWorld} inside the transaction that deletes or deactivates,
 * and refuses with these paths, or reassigns them to a replacement.
 *
 * IVR flows are not searched: their nodes name prompts and caller intents,
 * never a person, queue or department (routing turns an intent into one).
 */

/** The record about to be deleted or deactivated. */
export type DirectoryRecordRef =
  | { readonly kind: 'staff'; readonly id: number }
  | { readonly kind: 'queue'; readonly id: number; readonly name: string }
  | { readonly kind: 'department'; readonly id: number; readonly code: string };

/** A queue's overflow target as stored (queues.overflow_target). */
export type StoredOverflowTarget =
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'staff'; readonly staffId: number }
  | { readonly kind: 'callback' }
  | { readonly kind: 'voicemail' };

/** The slice of the directory and the published configs that can hold a reference. */
export interface ReferenceWorld {
  readonly departments: readonly { readonly id: number; readonly code: string; readonly headStaffId: number | null }[];
  readonly queues: readonly {
    readonly id: number;
    readonly name: string;
    readonly departmentId: number | null;
    readonly overflowTarget: StoredOverflowTarget | null;
    readonly memberIds: readonly number[];
  }[];
  /** Staff by department (department_id), for a department's removal. */
  readonly staff: readonly { readonly id: number; readonly departmentId: number | null }[];
  /** Number of clients per manager id. */
  readonly clientsByManager: ReadonlyMap<number, number>;
  /** Clients whose routing override is set (clients.routing_override). */
  readonly clientOverrides: readonly { readonly clientId: number; readonly target: TargetSpec }[];
  /** The published routing config, if one is published. */
  readonly routing: RoutingConfig | null;
}

/** Where a reference lives decides what can be done about it. */
export type ReferenceHolder =
  /** A published config: only publishing a version without it removes it (the directory never rewrites a published config). */
  | 'published_config'
  /** A directory row: reassigned to the replacement the admin names. */
  | 'directory';

export interface DirectoryReference {
  /** `routing.rules[3].target.staffId`, `departments[regional_sales].headId`, `clients`. */
  readonly path: string;
  /** Readable: `12 clients have this manager`. */
  readonly message: string;
  readonly holder: ReferenceHolder;
}

/** One place a target spec names a person, queue or department. */
interface SpecReference {
  readonly path: string;
  readonly kind: DirectoryRecordRef['kind'];
  /** Staff id, queue name or department code. */
  readonly key: number | string;
  readonly describe: string;
}

function stepReferences(step: StepSpec, at: string): SpecReference[] {
  switch (step.kind) {
    case 'queue':
      return [{ path: childPath(at, 'queue'), kind: 'queue', key: step.queue, describe: `rings queue '${step.queue}'` }];
    case 'person':
      return [{ path: childPath(at, 'staffId'), kind: 'staff', key: step.staffId, describe: `rings person ${step.staffId}` }];
    case 'department':
      return [{ path: childPath(at, 'department'), kind: 'department', key: step.department, describe: `rings department '${step.department}'` }];
    case 'department_head':
      return [{ path: childPath(at, 'department'), kind: 'department', key: step.department, describe: `rings the head of '${step.department}'` }];
    case 'relevant_department_head': {
      const out: SpecReference[] = [];
      const add = (field: string, code: string): void => {
        out.push({ path: childPath(at, field), kind: 'department', key: code, describe: `rings the head of '${code}'` });
      };
      for (const [key, code] of Object.entries(step.byRegion ?? {})) add(`byRegion.${key}`, code);
      for (const [key, code] of Object.entries(step.byClientType ?? {})) add(`byClientType.${key}`, code);
      for (const [key, code] of Object.entries(step.byIntent ?? {})) if (code) add(`byIntent.${key}`, code);
      add('default', step.default);
      return out;
    }
    case 'client_manager':
    case 'manager_department_head':
    case 'key_account_managers':
    case 'client_override':
    case 'after_hours':
      return [];
  }
}

/** Every person, queue and department a target spec (with its fallback chain) names, with its path. */
export function targetReferences(spec: TargetSpec, at: string): SpecReference[] {
  const out = stepReferences(spec, at);
  (spec.fallback ?? []).forEach((step, i) => out.push(...stepReferences(step, childPath(childPath(at, 'fallback'), i))));
  return out;
}

function routingReferences(config: RoutingConfig): SpecReference[] {
  const out: SpecReference[] = [];
  config.rules.forEach((rule, i) => out.push(...targetReferences(rule.target, childPath(childPath('routing.rules', i), 'target'))));
  out.push(...targetReferences(config.lastResort, 'routing.lastResort'));
  return out;
}

/** Does a spec reference name this record? A department is also reached through its own queue (named like its code). */
function names(ref: SpecReference, record: DirectoryRecordRef): boolean {
  switch (record.kind) {
    case 'staff':
      return ref.kind === 'staff' && ref.key === record.id;
    case 'queue':
      return (ref.kind === 'queue' && ref.key === record.name) || (ref.kind === 'department' && ref.key === record.name);
    case 'department':
      return ref.kind === 'department' && ref.key === record.code;
  }
}

function specMessage(ref: SpecReference, record: DirectoryRecordRef): string {
  if (record.kind === 'queue' && ref.kind === 'department') return `${ref.describe}, whose own queue is '${record.name}'`;
  return ref.describe;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * The references to `record`: in the published routing config first (paths
 * under `routing.`), then in the directory. An empty list means the record
 * may go without anyone losing a target.
 */
export function findReferences(record: DirectoryRecordRef, world: ReferenceWorld): DirectoryReference[] {
  const out: DirectoryReference[] = [];
  if (world.routing) {
    for (const ref of routingReferences(world.routing)) {
      if (names(ref, record)) out.push({ path: ref.path, message: `the published routing config ${specMessage(ref, record)}`, holder: 'published_config' });
    }
  }
  for (const { clientId, target } of world.clientOverrides) {
    for (const ref of targetReferences(target, `clients[${clientId}].routingOverride`)) {
      if (names(ref, record)) out.push({ path: ref.path, message: `client ${clientId}'s routing override ${specMessage(ref, record)}`, holder: 'directory' });
    }
  }
  switch (record.kind) {
    case 'staff': {
      for (const d of world.departments) {
        if (d.headStaffId === record.id) out.push({ path: `departments[${d.code}].headId`, message: `head of department '${d.code}'`, holder: 'directory' });
      }
      for (const q of world.queues) {
        if (q.overflowTarget?.kind === 'staff' && q.overflowTarget.staffId === record.id) {
          out.push({ path: `queues[${q.name}].overflowTarget.staffId`, message: `queue '${q.name}' overflows to this person`, holder: 'directory' });
        }
      }
      const clients = world.clientsByManager.get(record.id) ?? 0;
      if (clients > 0) out.push({ path: 'clients', message: `${plural(clients, 'client has', 'clients have')} this manager`, holder: 'directory' });
      break;
    }
    case 'queue': {
      for (const q of world.queues) {
        if (q.id !== record.id && q.overflowTarget?.kind === 'queue' && q.overflowTarget.queue === record.name) {
          out.push({ path: `queues[${q.name}].overflowTarget.queue`, message: `queue '${q.name}' overflows to this queue`, holder: 'directory' });
        }
      }
      const own = world.queues.find((q) => q.id === record.id);
      if (own && own.memberIds.length > 0) {
        out.push({ path: `queues[${own.name}].memberIds`, message: `${plural(own.memberIds.length, 'person works', 'people work')} in this queue`, holder: 'directory' });
      }
      break;
    }
    case 'department': {
      const people = world.staff.filter((s) => s.departmentId === record.id).length;
      if (people > 0) out.push({ path: 'staff', message: `${plural(people, 'person belongs', 'people belong')} to this department`, holder: 'directory' });
      for (const q of world.queues) {
        if (q.departmentId === record.id) out.push({ path: `queues[${q.name}].departmentId`, message: `queue '${q.name}' belongs to this department`, holder: 'directory' });
      }
      break;
    }
  }
  return out;
}

/** The same record kind as `record`, named by its replacement's key. */
export type Replacement =
  | { readonly kind: 'staff'; readonly id: number }
  | { readonly kind: 'queue'; readonly id: number; readonly name: string }
  | { readonly kind: 'department'; readonly id: number; readonly code: string };

function replaceStep(step: StepSpec, record: DirectoryRecordRef, by: Replacement): StepSpec {
  if (record.kind === 'staff' && by.kind === 'staff' && step.kind === 'person' && step.staffId === record.id) return { ...step, staffId: by.id };
  if (record.kind === 'queue' && by.kind === 'queue' && step.kind === 'queue' && step.queue === record.name) return { ...step, queue: by.name };
  if (record.kind !== 'department' || by.kind !== 'department') return step;
  const swap = (code: string): string => (code === record.code ? by.code : code);
  const swapAll = <T extends Record<string, string | undefined>>(map: T | undefined): T | undefined =>
    map === undefined ? undefined : (Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v === undefined ? v : swap(v)])) as T);
  switch (step.kind) {
    case 'department':
    case 'department_head':
      return { ...step, department: swap(step.department) };
    case 'relevant_department_head': {
      const out = { ...step, default: swap(step.default) };
      if (step.byRegion) out.byRegion = swapAll(step.byRegion);
      if (step.byClientType) out.byClientType = swapAll(step.byClientType);
      if (step.byIntent) out.byIntent = swapAll(step.byIntent);
      return out;
    }
    default:
      return step;
  }
}

/** A client's override target with every mention of `record` turned into `by` (the rest untouched). */
export function replaceInTarget(spec: TargetSpec, record: DirectoryRecordRef, by: Replacement): TargetSpec {
  const head = replaceStep(spec, record, by) as TargetSpec;
  if (!spec.fallback) return head;
  return { ...head, fallback: spec.fallback.map((step) => replaceStep(step, record, by)) };
}
