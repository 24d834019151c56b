import type { AgentState } from '../acd/agent-state';

/*
 * Apart from floor-snapshot.ts, which reads the database's types: the API's
 * response schema and the browser's wallboard need these words without
 * pulling any I/O module into their type checks.
 */

/** Agent states in wallboard words; also the keys of each queue's `agents` counts. */
export const FLOOR_AGENT_STATES = ['ready', 'ringing', 'talking', 'wrapUp', 'notReady', 'offline'] as const;
export type FloorAgentState = (typeof FLOOR_AGENT_STATES)[number];

export const FLOOR_STATE_OF: Readonly<Record<AgentState, FloorAgentState>> = {
  ready: 'ready',
  reserved: 'ringing',
  on_call: 'talking',
  wrap_up: 'wrapUp',
  not_ready: 'notReady',
  logged_out: 'offline',
};
