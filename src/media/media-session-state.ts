/**
 * The lifecycle of a call's media in rtpengine (design §8: one explicit
 * state machine per lifecycle).
 *
 * - `new`: nothing sent to rtpengine yet.
 * - `offered-to-caller`: a delayed offer (the caller's INVITE had no SDP): our offer went out in the 200 OK, the caller's answer is due in its ACK.
 * - `anchored`: the caller is answered against the placeholder leg; prompts and music can play.
 * - `offering-agent`: an offer for an agent leg is out, its answer not yet in.
 * - `bridged`: caller and agent exchange audio.
 * - `consulting`: a warm transfer: the caller hears music, the agent is paired with the consulted party.
 * - `deleted`: rtpengine forgot the call; only the recording can still be saved.
 */
export type MediaSessionState = 'new' | 'offered-to-caller' | 'anchored' | 'offering-agent' | 'bridged' | 'consulting' | 'deleted';

/** Allowed moves. Deleting is allowed from everywhere so that every path can release media. */
export const MEDIA_SESSION_TRANSITIONS: Readonly<Record<MediaSessionState, readonly MediaSessionState[]>> = {
  new: ['anchored', 'offered-to-caller', 'deleted'],
  'offered-to-caller': ['anchored', 'deleted'],
  // offering-agent → anchored: the agent did not answer (ring timeout, 486, CANCEL).
  anchored: ['offering-agent', 'deleted'],
  'offering-agent': ['bridged', 'anchored', 'deleted'],
  // bridged → offering-agent: a transfer; bridged → anchored: the agent hung up, the caller goes back to the queue;
  // bridged → consulting: a warm transfer starts.
  bridged: ['offering-agent', 'anchored', 'consulting', 'deleted'],
  // consulting → bridged: completed (caller with the consulted party) or cancelled (caller back with the agent).
  consulting: ['bridged', 'deleted'],
  deleted: [],
};

/** True when the table allows `from` → `to`. */
export function canTransition(from: MediaSessionState, to: MediaSessionState): boolean {
  return MEDIA_SESSION_TRANSITIONS[from].includes(to);
}
