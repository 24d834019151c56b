/**
 * The agent lifecycle (design §8: one explicit state machine per lifecycle).
 *
 * The table below is the single source of truth: the Lua scripts that change
 * agent state in Redis are generated with this table embedded (see
 * lua/acd-script.ts), so what TypeScript reports as legal is exactly what the
 * atomic scripts enforce.
 */
export const AGENT_STATES = ['logged_out', 'ready', 'reserved', 'on_call', 'wrap_up', 'not_ready'] as const;

export type AgentState = (typeof AGENT_STATES)[number];

/** Allowed moves. A self-move (`wrap_up` → `wrap_up`) is the one-time wrap-up extension. */
export const AGENT_TRANSITIONS: Readonly<Record<AgentState, readonly AgentState[]>> = {
  logged_out: ['ready', 'not_ready'],
  ready: ['reserved', 'not_ready', 'logged_out'],
  // reserved → ready: the reservation was released through no fault of the agent
  // (caller hung up, the owning process died); → not_ready: the phone rang unanswered.
  reserved: ['on_call', 'ready', 'not_ready'],
  on_call: ['wrap_up'],
  wrap_up: ['wrap_up', 'ready', 'not_ready', 'logged_out'],
  not_ready: ['ready', 'not_ready', 'logged_out'],
};

/**
 * States a person (or a supervisor acting for them) may ask for. `reserved`,
 * `on_call` and `wrap_up` are entered only by the ACD itself as calls move.
 */
export const USER_SETTABLE_STATES = ['ready', 'not_ready', 'logged_out'] as const;

export type UserSettableState = (typeof USER_SETTABLE_STATES)[number];

/**
 * The not-ready reason of a person on a call the ACD did not give them
 * (click-to-call, a number dialled on their phone, a consult straight to
 * them): the ACD offers them nothing until it ends (Acd.beginDirectCall).
 */
export const DIRECT_CALL_REASON = 'direct_call';

/** Reason codes the ACD itself uses; admins may add their own (any code matching NOT_READY_REASON_PATTERN). */
export const BUILTIN_NOT_READY_REASONS = ['break', 'lunch', 'training', 'missed_call', 'unreachable', 'login', DIRECT_CALL_REASON] as const;

export const NOT_READY_REASON_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

export function isAgentState(value: string): value is AgentState {
  return (AGENT_STATES as readonly string[]).includes(value);
}

export function isUserSettableState(value: string): value is UserSettableState {
  return (USER_SETTABLE_STATES as readonly string[]).includes(value);
}

/** True when the table allows moving from `from` to `to`. */
export function canAgentTransition(from: AgentState, to: AgentState): boolean {
  return AGENT_TRANSITIONS[from].includes(to);
}
