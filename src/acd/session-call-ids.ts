/**
 * The ACD call id of a session's `n`-th leg in the ACD: the session id first,
 * then `<id>.t<n>` after each transfer — the ACD keeps one entry per id, and
 * the transferred-from entry has to end (its agent goes to wrap-up) while the
 * caller waits again.
 */
export function acdCallIdOf(sessionId: string, transfers: number): string {
  return transfers === 0 ? sessionId : `${sessionId}.t${transfers}`;
}

/** The session id an ACD call id belongs to (see acdCallIdOf). */
export function sessionIdOfAcdCall(acdCallId: string): string {
  return acdCallId.replace(/\.t\d+$/, '');
}
