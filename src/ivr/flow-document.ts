import { Type, type Static } from '@sinclair/typebox';
import { CALLER_INTENTS, ENQUIRY_TOPICS } from '../routing/caller-choice';

/**
 * The IVR flow document (ivr_flow_versions.document): a graph of named
 * nodes. Branch fields that the validator must report in words ("menu has no
 * onTimeout branch") are optional in the schema on purpose; a flow that
 * passes `validateFlow` has them all.
 */

const NodeId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' });
const PromptId = Type.String({ pattern: '^[a-z][a-z0-9_]*$' });
const Prompts = Type.Array(PromptId, { minItems: 1 });
const Key = Type.String({ pattern: '^[0-9*#]$' });
const TimeoutMs = Type.Integer({ minimum: 500, maximum: 60000 });
const Variable = Type.String({ pattern: '^[a-z][a-z0-9_]*$' });
const strict = { additionalProperties: false } as const;

export const PlayNodeSchema = Type.Object(
  {
    type: Type.Literal('play'),
    prompts: Prompts,
    next: NodeId,
    /** Digits typed during these prompts stop them and are kept for the next input node. Default false. */
    bargeIn: Type.Optional(Type.Boolean()),
    /**
     * Alternative prompts (greetings that do not tire regular callers): each
     * call hears one of those that exist in its language in place of the
     * prompt of `prompts` that is one of them; the node's other prompts play as they are.
     */
    variants: Type.Optional(Type.Array(PromptId, { minItems: 1, maxItems: 20, uniqueItems: true })),
    /** How the variant is picked per call: in turn (default) or at random. */
    variantChoice: Type.Optional(Type.Union([Type.Literal('rotation'), Type.Literal('random')])),
  },
  strict,
);

export const MenuNodeSchema = Type.Object(
  {
    type: Type.Literal('menu'),
    prompts: Prompts,
    /** Key → node. */
    options: Type.Record(Type.String(), NodeId),
    /** How long to wait for a key after the prompts end. */
    timeoutMs: Type.Optional(TimeoutMs),
    /** Failed attempts (timeouts + invalid keys) allowed before onMaxRetries. */
    maxRetries: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
    onTimeout: Type.Optional(NodeId),
    onInvalid: Type.Optional(NodeId),
    onMaxRetries: Type.Optional(NodeId),
    /** Keys pressed during the prompts count at once. Default true. */
    bargeIn: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const CollectNodeSchema = Type.Object(
  {
    type: Type.Literal('collect'),
    prompts: Prompts,
    /** The digits are stored in this variable and travel with the route command. */
    variable: Variable,
    minLength: Type.Integer({ minimum: 1, maximum: 32 }),
    maxLength: Type.Integer({ minimum: 1, maximum: 32 }),
    /** Ends input early; not stored. */
    terminator: Type.Optional(Type.Union([Type.Literal('#'), Type.Literal('*')])),
    /** Wait for the first digit after the prompts, and between digits. */
    timeoutMs: Type.Optional(TimeoutMs),
    maxRetries: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
    next: NodeId,
    onTimeout: Type.Optional(NodeId),
    onInvalid: Type.Optional(NodeId),
    onMaxRetries: Type.Optional(NodeId),
    bargeIn: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const BusinessHoursNodeSchema = Type.Object(
  { type: Type.Literal('business_hours'), open: NodeId, closed: NodeId },
  strict,
);

/** Facts a branch can test; every field given must hold. */
export const BranchConditionSchema = Type.Object(
  {
    known: Type.Optional(Type.Boolean()),
    hasManager: Type.Optional(Type.Boolean()),
    clientTypes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    inDebt: Type.Optional(Type.Boolean()),
    languages: Type.Optional(Type.Array(Type.String({ minLength: 2 }), { minItems: 1 })),
    variable: Type.Optional(Type.Object({ name: Variable, equals: Type.String() }, strict)),
  },
  strict,
);

export const BranchNodeSchema = Type.Object(
  {
    type: Type.Literal('branch'),
    cases: Type.Array(Type.Object({ when: BranchConditionSchema, next: NodeId }, strict), { minItems: 1 }),
    otherwise: NodeId,
  },
  strict,
);

export const SetNodeSchema = Type.Object(
  { type: Type.Literal('set'), variable: Variable, value: Type.String({ maxLength: 200 }), next: NodeId },
  strict,
);

/** Ends the IVR and hands the call to routing with this choice. */
export const RouteNodeSchema = Type.Object(
  {
    type: Type.Literal('route'),
    intent: Type.Union(CALLER_INTENTS.map((i) => Type.Literal(i))),
    topic: Type.Optional(Type.Union(ENQUIRY_TOPICS.map((t) => Type.Literal(t)))),
  },
  strict,
);

/** Offers a callback; `acceptKey` registers the request and goes on to onAccepted. */
export const CallbackNodeSchema = Type.Object(
  {
    type: Type.Literal('callback'),
    prompts: Prompts,
    acceptKey: Key,
    timeoutMs: TimeoutMs,
    onAccepted: NodeId,
    onDeclined: NodeId,
    bargeIn: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const HangupNodeSchema = Type.Object({ type: Type.Literal('hangup') }, strict);

export const FlowNodeSchema = Type.Union([
  PlayNodeSchema,
  MenuNodeSchema,
  CollectNodeSchema,
  BusinessHoursNodeSchema,
  BranchNodeSchema,
  SetNodeSchema,
  RouteNodeSchema,
  CallbackNodeSchema,
  HangupNodeSchema,
]);

export const FlowDocumentSchema = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    name: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    /** Every prompt must exist in each of these. */
    languages: Type.Array(Type.String({ pattern: '^[a-z]{2,3}$' }), { minItems: 1, uniqueItems: true }),
    /** Used when the caller's language is not one of `languages`, and for unknown callers. */
    defaultLanguage: Type.String({ pattern: '^[a-z]{2,3}$' }),
    start: NodeId,
    /** Run-time guard against loops the validator cannot see (branch conditions). Default 200. */
    maxSteps: Type.Optional(Type.Integer({ minimum: 10, maximum: 10000 })),
    nodes: Type.Record(Type.String(), FlowNodeSchema),
  },
  strict,
);

export type PlayNode = Static<typeof PlayNodeSchema>;
export type MenuNode = Static<typeof MenuNodeSchema>;
export type CollectNode = Static<typeof CollectNodeSchema>;
export type BusinessHoursNode = Static<typeof BusinessHoursNodeSchema>;
export type BranchCondition = Static<typeof BranchConditionSchema>;
export type BranchNode = Static<typeof BranchNodeSchema>;
export type SetNode = Static<typeof SetNodeSchema>;
export type RouteNode = Static<typeof RouteNodeSchema>;
export type CallbackNode = Static<typeof CallbackNodeSchema>;
export type HangupNode = Static<typeof HangupNodeSchema>;
export type FlowNode = Static<typeof FlowNodeSchema>;
export type FlowDocument = Static<typeof FlowDocumentSchema>;

/** Nodes that wait for the caller's keys. */
export type InputNode = MenuNode | CollectNode | CallbackNode;

export const DEFAULT_MAX_STEPS = 200;
