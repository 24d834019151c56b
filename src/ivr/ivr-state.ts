/**
 * Lifecycle of one IVR run (design §8: a string union of states, a table of
 * allowed transitions, one transition()).
 *
 * - idle: created, call not answered yet
 * - playing: prompts of the current node are playing
 * - awaiting_input: an input node's prompts are done; a digit timer runs
 * - routed: handed to routing (terminal)
 * - ended: hung up, by the flow or by the caller (terminal)
 */
export type IvrState = 'idle' | 'playing' | 'awaiting_input' | 'routed' | 'ended';

export const IVR_TRANSITIONS: Readonly<Record<IvrState, readonly IvrState[]>> = {
  idle: ['playing', 'routed', 'ended'],
  // playing → playing: the next node plays its own prompts.
  playing: ['playing', 'awaiting_input', 'routed', 'ended'],
  // awaiting_input → awaiting_input: type-ahead digits carried into the next collect node.
  awaiting_input: ['playing', 'awaiting_input', 'routed', 'ended'],
  routed: [],
  ended: [],
};

export function isTerminalState(state: IvrState): boolean {
  return IVR_TRANSITIONS[state].length === 0;
}
