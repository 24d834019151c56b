import type { RouteTarget } from './route-target';

/** The outcome of `decideRoute`: stored with the call (calls.routing_decision / routing_reason). */
export interface RouteDecision {
  readonly target: RouteTarget;
  /** A prompt id to play to the caller before the target is tried (e.g. the debt notice), or null. */
  readonly announcement: string | null;
  /** Shown to operators and kept with the call: "key client — own manager Ivanov". */
  readonly reason: string;
  /** Id of the config rule that matched; `last_resort` when the chain was empty. */
  readonly ruleId: string;
  /**
   * References of the config the directory no longer has ("Wholesale sales
   * has no head", "person 12 not in the directory"): routing went on past
   * them, and the call says so (a warning and a call event). Absent: none.
   */
  readonly directoryGaps?: readonly string[];
}
