import { Type, type Static } from '@sinclair/typebox';
import { BusinessHoursScheduleSchema } from './business-hours-schedule';
import { CALLER_INTENTS, ENQUIRY_TOPICS } from './caller-choice';
import { TargetSpecSchema } from './target-spec';

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]*$' });
const strict = { additionalProperties: false } as const;
const NonEmptyList = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Array(item, { minItems: 1, uniqueItems: true });

/**
 * When a rule applies. Every field given must hold (AND); a field left out
 * does not constrain. An empty `when` matches every call.
 */
export const RuleConditionSchema = Type.Object(
  {
    businessHours: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    /** false = new/unknown caller (no client record). */
    known: Type.Optional(Type.Boolean()),
    /** false also holds for unknown callers: they have no manager either (rule 6). */
    hasManager: Type.Optional(Type.Boolean()),
    /** The client record carries an explicit override target. */
    hasOverride: Type.Optional(Type.Boolean()),
    clientTypes: Type.Optional(NonEmptyList(Code)),
    clientIds: Type.Optional(NonEmptyList(Type.Integer({ minimum: 1 }))),
    intents: Type.Optional(NonEmptyList(Type.Union(CALLER_INTENTS.map((i) => Type.Literal(i))))),
    topics: Type.Optional(NonEmptyList(Type.Union(ENQUIRY_TOPICS.map((t) => Type.Literal(t))))),
    /** Overdue debt, or balance over the credit limit (rule 5). */
    inDebt: Type.Optional(Type.Boolean()),
    regions: Type.Optional(NonEmptyList(Type.String({ minLength: 1 }))),
    languages: Type.Optional(NonEmptyList(Type.String({ minLength: 2 }))),
    dialledNumbers: Type.Optional(NonEmptyList(Type.String({ minLength: 1 }))),
  },
  strict,
);

export const RoutingRuleSchema = Type.Object(
  {
    /** Stable id, stored with each decision so reports can count calls per rule. */
    id: Code,
    /** Off without deleting, e.g. during a reorganisation. */
    enabled: Type.Optional(Type.Boolean()),
    when: RuleConditionSchema,
    target: TargetSpecSchema,
    /** Prompt id to play before the target (debt notice). */
    announcement: Type.Optional(Code),
    /**
     * The start of the reason stored with the call. Placeholders: {clientName}
     * {clientType} {intent} {debt} {overdueDebt} {balance} {creditLimit} {region}.
     */
    reason: Type.String({ minLength: 1, maxLength: 200 }),
  },
  strict,
);

/**
 * The routing config document (routing_config_versions.document). Rules are
 * tried in order; the first enabled rule whose `when` holds decides.
 */
export const RoutingConfigSchema = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    businessHours: BusinessHoursScheduleSchema,
    defaults: Type.Object(
      {
        ringTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 120 }),
        /** Queue priority for client types missing from priorityByClientType, and for new callers. */
        priority: Type.Integer({ minimum: 0, maximum: 100 }),
      },
      strict,
    ),
    priorityByClientType: Type.Record(Code, Type.Integer({ minimum: 0, maximum: 100 })),
    rules: Type.Array(RoutingRuleSchema, { minItems: 1 }),
    /**
     * Used when no rule matches, when every step of the chosen chain is
     * absent, and appended after a chain that ends with a person — a caller is
     * never left with nobody to ring. A queue, department or after-hours action.
     */
    lastResort: TargetSpecSchema,
  },
  strict,
);

export type RuleCondition = Static<typeof RuleConditionSchema>;
export type RoutingRule = Static<typeof RoutingRuleSchema>;
export type RoutingConfig = Static<typeof RoutingConfigSchema>;
