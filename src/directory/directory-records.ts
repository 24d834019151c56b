import { Type, type Static } from '@sinclair/typebox';
import { Code, Id, Language, Money, NonEmpty, Nullable, PageLimit, PageOffset, SkillLevels, Timestamp } from '../platform/field-schemas';

export const STAFF_ROLES = ['operator', 'key_account_manager', 'department_head', 'finance', 'quality', 'supervisor', 'admin'] as const;

// Departments ----------------------------------------------------------------
export const Department = Type.Object({
  id: Id,
  code: Code,
  name: NonEmpty(),
  headStaffId: Nullable(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const DepartmentCreate = Type.Object(
  { code: Code, name: NonEmpty(), headStaffId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export const DepartmentPatch = Type.Partial(DepartmentCreate, { additionalProperties: false, minProperties: 1 });
export type DepartmentRecord = Static<typeof Department>;

// Staff ----------------------------------------------------------------------
export const Staff = Type.Object({
  id: Id,
  fullName: NonEmpty(),
  role: Type.Union(STAFF_ROLES.map((r) => Type.Literal(r))),
  departmentId: Nullable(Id),
  skills: SkillLevels,
  languages: Type.Array(Language),
  sipUsername: Nullable(Type.String()),
  hasSipCredentials: Type.Boolean(),
  email: Nullable(Type.String()),
  active: Type.Boolean(),
  /** May place calls out through a trunk (click-to-call, dialling a number on their phone). */
  canDialOut: Type.Boolean(),
  queueIds: Type.Array(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const StaffCreate = Type.Object(
  {
    fullName: NonEmpty(),
    role: Type.Union(STAFF_ROLES.map((r) => Type.Literal(r))),
    departmentId: Type.Optional(Nullable(Id)),
    skills: Type.Optional(SkillLevels),
    languages: Type.Optional(Type.Array(Language, { minItems: 1, uniqueItems: true })),
    sipUsername: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z0-9._-]{2,64}$' }))),
    sipPassword: Type.Optional(Type.String({ minLength: 8, maxLength: 128, description: 'write-only: stored as the RFC 2617 HA1 digest' })),
    email: Type.Optional(Nullable(Type.String({ format: 'email' }))),
    active: Type.Optional(Type.Boolean()),
    canDialOut: Type.Optional(Type.Boolean({ description: 'may place outbound calls through a trunk; default false' })),
    queueIds: Type.Optional(Type.Array(Id, { uniqueItems: true })),
  },
  { additionalProperties: false },
);
export const StaffPatch = Type.Partial(StaffCreate, { additionalProperties: false, minProperties: 1 });
export type StaffRecord = Static<typeof Staff>;

// Clients --------------------------------------------------------------------
export const ClientPhone = Type.Object({ number: Type.String(), label: Type.String() });
export const Client = Type.Object({
  id: Id,
  name: NonEmpty(),
  type: Code,
  managerId: Nullable(Id),
  region: Nullable(Type.String()),
  language: Language,
  overdueDebt: Type.Number(),
  creditLimit: Type.Number(),
  balance: Type.Number(),
  lastOrderAt: Nullable(Type.String({ format: 'date' })),
  notes: Type.String(),
  phones: Type.Array(ClientPhone),
  routingOverride: Nullable(Type.Unknown({ description: 'a routing target spec that wins over the type rules (e.g. always a named person)' })),
  debt: Type.Object({
    overdue: Type.Boolean({ description: 'there is overdue debt' }),
    overLimit: Type.Boolean({ description: 'the balance is above the credit limit' }),
    ordersAllowed: Type.Boolean({ description: 'an order may be taken (rule 5)' }),
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const PhoneInput = Type.Union([
  Type.String({ minLength: 3, maxLength: 40 }),
  Type.Object({ number: Type.String({ minLength: 3, maxLength: 40 }), label: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
]);
export const ClientCreate = Type.Object(
  {
    name: NonEmpty(),
    type: Code,
    managerId: Type.Optional(Nullable(Id)),
    region: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    language: Type.Optional(Language),
    overdueDebt: Type.Optional(Money),
    creditLimit: Type.Optional(Money),
    balance: Type.Optional(Type.Number({ minimum: -1e12, maximum: 1e12 })),
    lastOrderAt: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
    phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 20 })),
    routingOverride: Type.Optional(Nullable(Type.Unknown({ description: 'a routing target spec, checked against the directory; null removes it' }))),
  },
  { additionalProperties: false },
);
export const ClientPatch = Type.Partial(ClientCreate, { additionalProperties: false, minProperties: 1 });
export const ClientQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of the name' })),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 60, description: 'a phone number in any common format' })),
  type: Type.Optional(Code),
  managerId: Type.Optional(Id),
  limit: Type.Optional(PageLimit),
  offset: Type.Optional(PageOffset),
});
export type ClientRecord = Static<typeof Client>;

export const ClientType = Type.Object({ code: Code, label: NonEmpty(), builtIn: Type.Boolean() });
export const ClientTypeCreate = Type.Object({ code: Code, label: NonEmpty() }, { additionalProperties: false });

// Queues ---------------------------------------------------------------------
export const OverflowTarget = Type.Union([
  Type.Object({ kind: Type.Literal('queue'), queue: Code }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('staff'), staffId: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('callback') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('voicemail') }, { additionalProperties: false }),
]);
const STRATEGIES = ['longest_idle', 'fewest_calls', 'round_robin', 'linear', 'weighted_random'] as const;
const queueFields = {
  label: NonEmpty(),
  departmentId: Nullable(Id),
  requiredSkills: SkillLevels,
  strategy: Type.Union(STRATEGIES.map((s) => Type.Literal(s))),
  priorityByClientType: Type.Record(Code, Type.Integer({ minimum: 0, maximum: 100 })),
  ringTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 120 }),
  maxWaitSeconds: Type.Integer({ minimum: 10, maximum: 7200 }),
  wrapUpSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  serviceLevelSeconds: Type.Integer({ minimum: 1, maximum: 600 }),
  serviceLevelTargetPercent: Type.Number({
    exclusiveMinimum: 0, exclusiveMaximum: 100,
    description: 'share of calls to answer within serviceLevelSeconds; under it the wallboard raises an alert',
  }),
  longWaitAlertSeconds: Nullable(Type.Integer({ minimum: 5, maximum: 7200, description: 'a caller waiting longer raises a wallboard alert; null: the wallboard default (60 s)' })),
  announceEverySeconds: Type.Integer({ minimum: 0, maximum: 600 }),
  musicOnHold: Type.String({ minLength: 1, maxLength: 100, description: "'default' (the system's music on hold) or the id of a prompt looped to waiting callers" }),
  callbackKey: Nullable(Type.String({ pattern: '^[0-9]$', description: 'key a waiting caller presses to be called back at their place; null: not offered' })),
  messageKey: Nullable(Type.String({ pattern: '^[0-9]$', description: 'key a waiting caller presses to leave a message; null: not offered' })),
  overflowTarget: Nullable(OverflowTarget),
  emptyQueuePolicy: Type.Union([Type.Literal('wait'), Type.Literal('overflow'), Type.Literal('callback')]),
  active: Type.Boolean(),
  memberIds: Type.Array(Id, { uniqueItems: true }),
};
export const Queue = Type.Object({ id: Id, name: Code, ...queueFields, createdAt: Timestamp, updatedAt: Timestamp });
const { label: _label, ...optionalQueueFields } = queueFields;
export const QueueCreate = Type.Composite(
  [Type.Object({ name: Code, label: NonEmpty() }), Type.Partial(Type.Object(optionalQueueFields))],
  { additionalProperties: false },
);
export const QueuePatch = Type.Partial(Type.Object({ name: Code, ...queueFields }), { additionalProperties: false, minProperties: 1 });
export type QueueRecord = Static<typeof Queue>;

// Opening hours live in the routing config only (routing/business-hours-schedule.ts; issue 17).
