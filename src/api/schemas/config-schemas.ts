import { Type, type Static } from '@sinclair/typebox';
import type { CallerChoice } from '../../routing/caller-choice';
import type { RouteDecision } from '../../routing/route-decision';
import { Id, Nullable, StringEnum, Timestamp } from './common-schemas';

/**
 * Versioned configuration (the routing config and every IVR flow: draft →
 * validate → publish → rollback), the IVR flow list, the prompt catalogue and
 * the call simulator.
 */

export const VersionStatus = StringEnum(['draft', 'published', 'archived']);

/** One version of a versioned document, without the document. */
export const ConfigVersionSummary = Type.Object({
  version: Type.Integer(), status: VersionStatus, comment: Type.String(), createdBy: Type.String(), createdAt: Timestamp,
  publishedBy: Nullable(Type.String()), publishedAt: Nullable(Timestamp),
});
export type ConfigVersionSummary = Static<typeof ConfigVersionSummary>;

/** A version with its document (a routing config or an IVR flow: checked by their own validators, kept as sent). */
export const ConfigVersion = Type.Composite([ConfigVersionSummary, Type.Object({ document: Type.Unknown() })]);
export type ConfigVersion = Static<typeof ConfigVersion>;

/** One validator message; `path` is dotted (`nodes.main_menu.options.3`, `rules[2].target`). */
export const ValidationIssue = Type.Object({ path: Type.String(), message: Type.String() });
export type ValidationIssue = Static<typeof ValidationIssue>;

/** `POST …/validate`. */
export const ValidationReport = Type.Object({ ok: Type.Boolean(), errors: Type.Array(ValidationIssue) });
export type ValidationReport = Static<typeof ValidationReport>;

/** One line of `GET /api/ivr/flows`. */
export const IvrFlowEntry = Type.Object({ name: Type.String(), publishedVersion: Nullable(Type.Integer()), latestVersion: Type.Integer() });
export type IvrFlowEntry = Static<typeof IvrFlowEntry>;

/** One prompt in one language (`GET /api/prompts`, and the answer of an upload). */
export const Prompt = Type.Object({
  id: Type.String(), language: Type.String(), text: Type.String(), audioFile: Type.String(), source: StringEnum(['default', 'upload']),
  durationMs: Nullable(Type.Integer()), updatedBy: Type.String(), updatedAt: Timestamp,
});
export type Prompt = Static<typeof Prompt>;

/** What a simulated call did (src/ivr/ivr-simulation.ts SimulationResult, with the versions and the caller it ran for). */
export const SimulationResult = Type.Object({
  flow: Type.Object({ name: Type.String(), version: Type.Integer() }),
  routing: Type.Object({ version: Type.Integer() }),
  caller: Type.Object({
    number: Type.String(), e164: Nullable(Type.String()),
    client: Nullable(Type.Object({ id: Id, name: Type.String(), type: Type.String(), managerId: Nullable(Id) })),
  }),
  state: StringEnum(['routed', 'hung_up', 'caller_hung_up', 'awaiting_input']),
  path: Type.Array(Type.String()),
  prompts: Type.Array(Type.Object({ promptId: Type.String(), language: Type.String(), text: Type.String(), atMs: Type.Number() })),
  callbackRequested: Type.Boolean(),
  // Typed by the routing core's own types and written whole: they are the routing core's to define, not the API's.
  choice: Type.Unsafe<CallerChoice | null>({ description: 'what the caller chose in the IVR (src/routing/caller-choice.ts); null when not routed' }),
  decision: Type.Unsafe<RouteDecision | null>({ description: 'the routing decision with its reason (src/routing/route-decision.ts); null when not routed' }),
  usedScript: Type.String(),
  elapsedMs: Type.Number(),
});
export type SimulationResult = Static<typeof SimulationResult>;

/** `POST /api/ivr/simulations` and `…/:id/input`: a step of an interactive simulated call. */
export const SimulationStep = Type.Composite([Type.Object({ id: Type.String() }), SimulationResult]);
export type SimulationStep = Static<typeof SimulationStep>;
