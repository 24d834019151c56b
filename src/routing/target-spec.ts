import { Type, type Static, type TObject, type TOptional, type TArray, type TProperties } from '@sinclair/typebox';
import { CALLER_INTENTS } from './caller-choice';

/**
 * Targets as written in the routing config. Some name a fixed queue, person
 * or department; others are roles resolved per call against the client and
 * the directory ("the client's manager", "any key-account manager"). People,
 * departments and queues are referenced by stable keys: staff ids, department
 * codes, queue names.
 */

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]*$' });
const StaffId = Type.Integer({ minimum: 1 });
const RingTimeout = Type.Optional(Type.Integer({ minimum: 5, maximum: 120 }));
const strict = { additionalProperties: false } as const;

const QueueStep = Type.Object(
  {
    kind: Type.Literal('queue'),
    queue: Code,
    /** Skill name → minimum level, as in queues.required_skills. */
    requiredSkills: Type.Optional(Type.Record(Code, Type.Integer({ minimum: 1, maximum: 5 }))),
    /** Fixed priority; without it the config's priorityByClientType applies. */
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  strict,
);
const PersonStep = Type.Object({ kind: Type.Literal('person'), staffId: StaffId, ringTimeoutSeconds: RingTimeout }, strict);
const DepartmentStep = Type.Object({ kind: Type.Literal('department'), department: Code }, strict);
const DepartmentHeadStep = Type.Object(
  { kind: Type.Literal('department_head'), department: Code, ringTimeoutSeconds: RingTimeout },
  strict,
);
const ClientManagerStep = Type.Object({ kind: Type.Literal('client_manager'), ringTimeoutSeconds: RingTimeout }, strict);
const ManagerDepartmentHeadStep = Type.Object(
  { kind: Type.Literal('manager_department_head'), ringTimeoutSeconds: RingTimeout },
  strict,
);
const KeyAccountManagersStep = Type.Object(
  { kind: Type.Literal('key_account_managers'), ringTimeoutSeconds: RingTimeout },
  strict,
);
const IntentMap = Type.Partial(
  Type.Object({
    order: Code,
    enquiry: Code,
    other: Code,
    operator: Code,
    complaint: Code,
    second_line: Code,
  } satisfies Record<(typeof CALLER_INTENTS)[number], typeof Code>, strict),
);
const RelevantDepartmentHeadStep = Type.Object(
  {
    kind: Type.Literal('relevant_department_head'),
    /** Looked up in this order: region, client type, intent, then `default`. */
    byRegion: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Code)),
    byClientType: Type.Optional(Type.Record(Code, Code)),
    byIntent: Type.Optional(IntentMap),
    default: Code,
    ringTimeoutSeconds: RingTimeout,
  },
  strict,
);
const ClientOverrideStep = Type.Object({ kind: Type.Literal('client_override') }, strict);
const AfterHoursStep = Type.Object(
  {
    kind: Type.Literal('after_hours'),
    action: Type.Union([Type.Literal('message'), Type.Literal('callback')]),
    promptId: Code,
  },
  strict,
);

/** One step of a fallback chain: any target kind, without a nested chain. */
export const StepSpecSchema = Type.Union([
  QueueStep,
  PersonStep,
  DepartmentStep,
  DepartmentHeadStep,
  ClientManagerStep,
  ManagerDepartmentHeadStep,
  KeyAccountManagersStep,
  RelevantDepartmentHeadStep,
  ClientOverrideStep,
  AfterHoursStep,
]);

type WithFallback<T extends TObject> = TObject<T['properties'] & { fallback: TOptional<TArray<typeof StepSpecSchema>> }>;

function withFallback<T extends TObject>(step: T): WithFallback<T> {
  // TypeBox cannot follow a spread of generic properties; the shape is exactly WithFallback<T>.
  const properties: TProperties = { ...step.properties, fallback: Type.Optional(Type.Array(StepSpecSchema)) };
  return Type.Object(properties, strict) as unknown as WithFallback<T>;
}

/**
 * A rule's target: any kind, with an optional ordered fallback chain. The
 * chain is tried in order by the ACD; the availability snapshot only decides
 * where in it the call starts.
 */
export const TargetSpecSchema = Type.Union([
  withFallback(QueueStep),
  withFallback(PersonStep),
  withFallback(DepartmentStep),
  withFallback(DepartmentHeadStep),
  withFallback(ClientManagerStep),
  withFallback(ManagerDepartmentHeadStep),
  withFallback(KeyAccountManagersStep),
  withFallback(RelevantDepartmentHeadStep),
  withFallback(ClientOverrideStep),
  withFallback(AfterHoursStep),
]);

export type StepSpec = Static<typeof StepSpecSchema>;
export type TargetSpec = Static<typeof TargetSpecSchema>;
export type TargetSpecKind = StepSpec['kind'];
