import { auditAssignments } from '../../../src/acd/assignment-audit';
import type { AcdEvent } from '../../../src/acd/acd-event';
import type { AgentState } from '../../../src/acd/agent-state';

/**
 * Hand-built event sequences, shaped exactly as the Lua scripts emit them
 * (agent_state to reserved, then call_reserved, in one step), proving that the
 * checker the multi-process test relies on does report each broken rule.
 */
let ts = 0;
const base = (): { ts: number; node: string } => ({ ts: ++ts, node: 'n1' });

const agent = (agentId: string, from: AgentState, to: AgentState, callId?: string): AcdEvent => ({
  ...base(), type: 'agent_state', agentId, from, to, by: 'acd', ...(callId ? { callId } : {}),
});
const enqueued = (callId: string): AcdEvent => ({ ...base(), type: 'call_enqueued', callId, queueId: 'sales', priority: 5, owner: 'n1', to: 'waiting' });
/** What reserve() emits: the agent moves to reserved, then the call. */
const reserve = (callId: string, agentId: string, agentFrom: AgentState = 'ready'): AcdEvent[] => [
  agent(agentId, agentFrom, 'reserved', callId),
  { ...base(), type: 'call_reserved', callId, queueId: 'sales', agentId, holder: 'n1', owner: 'n1', stage: 0, from: 'waiting', to: 'reserved' },
];
const answer = (callId: string, agentId: string): AcdEvent[] => [
  agent(agentId, 'reserved', 'on_call', callId),
  { ...base(), type: 'call_answered', callId, queueId: 'sales', agentId, waitMs: 1, queueWaitMs: 1, from: 'reserved', to: 'connected' },
];
const complete = (callId: string, agentId: string): AcdEvent[] => [
  agent(agentId, 'on_call', 'wrap_up', callId),
  { ...base(), type: 'call_completed', callId, queueId: 'sales', agentId, talkMs: 1, from: 'connected', to: 'completed' },
];
const release = (callId: string, agentId: string): AcdEvent[] => [
  agent(agentId, 'reserved', 'not_ready', callId),
  { ...base(), type: 'call_released', callId, queueId: 'sales', reason: 'ring_no_answer', agentId, from: 'offered', to: 'waiting' },
];

describe('assignment audit (the replay check of the multi-process test)', () => {
  it('passes a clean history: reserve, answer, complete, ring-no-answer and re-reserve', () => {
    const audit = auditAssignments([
      agent('a1', 'logged_out', 'ready'),
      agent('a2', 'logged_out', 'ready'),
      enqueued('c1'),
      enqueued('c2'),
      ...reserve('c1', 'a1'),
      ...answer('c1', 'a1'),
      ...reserve('c2', 'a2'),
      ...release('c2', 'a2'),
      ...complete('c1', 'a1'),
      agent('a1', 'wrap_up', 'ready'),
      ...reserve('c2', 'a1'),
      ...answer('c2', 'a1'),
      ...complete('c2', 'a1'),
    ]);
    expect(audit).toEqual({ reservations: 3, answers: 2, violations: [] });
  });

  it('reports one call assigned to two agents', () => {
    const { violations } = auditAssignments([
      agent('a1', 'logged_out', 'ready'),
      agent('a2', 'logged_out', 'ready'),
      enqueued('c1'),
      ...reserve('c1', 'a1'),
      ...reserve('c1', 'a2'),
      ...answer('c1', 'a1'),
    ]);
    expect(violations).toContain('call c1 reserved for a2 while held by a1');
    // a2's reservation is never resolved either
    expect(violations).toContain('agent a2 left reserved for c1');
  });

  it('reports a connected call being assigned again, and a call answered twice', () => {
    const { violations } = auditAssignments([
      agent('a1', 'logged_out', 'ready'),
      agent('a2', 'logged_out', 'ready'),
      ...reserve('c1', 'a1'),
      ...answer('c1', 'a1'),
      ...reserve('c1', 'a2'),
      ...answer('c1', 'a2'),
    ]);
    expect(violations).toEqual(expect.arrayContaining(['call c1 reserved for a2 while held by a1', 'call c1 answered 2 times']));
  });

  it('reports one agent holding two calls', () => {
    const { violations } = auditAssignments([
      agent('a1', 'logged_out', 'ready'),
      ...reserve('c1', 'a1'),
      // a second reservation while the first is still held: the agent's own move reveals it
      agent('a1', 'reserved', 'reserved', 'c2'),
      { ...base(), type: 'call_reserved', callId: 'c2', queueId: 'sales', agentId: 'a1', holder: 'n1', owner: 'n1', stage: 0, from: 'waiting', to: 'reserved' },
    ]);
    expect(violations).toContain('agent a1 reserved for c2 while holding c1');
  });

  it('reports a call reserved for an agent whose own state says otherwise', () => {
    const { violations } = auditAssignments([
      agent('a1', 'logged_out', 'ready'),
      agent('a2', 'logged_out', 'ready'),
      ...reserve('c1', 'a1'),
      // call_reserved names a2, but no agent_state put a2 on c1
      { ...base(), type: 'call_reserved', callId: 'c2', queueId: 'sales', agentId: 'a1', holder: 'n1', owner: 'n1', stage: 0, from: 'waiting', to: 'reserved' },
    ]);
    expect(violations).toContain('call c2 reserved for a1, who holds c1');
  });

  it('reports a reservation left dangling at the end of the stream', () => {
    const { violations } = auditAssignments([agent('a1', 'logged_out', 'ready'), enqueued('c1'), ...reserve('c1', 'a1')]);
    expect(violations).toEqual(['call c1 left reserved for a1', 'agent a1 left reserved for c1']);
  });

  it('reports an answer by an agent the call was not reserved for, and state moves that do not follow on', () => {
    const { violations } = auditAssignments([
      agent('a1', 'logged_out', 'ready'),
      ...reserve('c1', 'a1'),
      { ...base(), type: 'call_answered', callId: 'c1', queueId: 'sales', agentId: 'a2', waitMs: 1, queueWaitMs: 1 },
      agent('a3', 'ready', 'not_ready'),
    ]);
    expect(violations).toEqual(expect.arrayContaining(['call c1 answered by a2, reserved for a1', 'agent a3 moved from ready but was logged_out']));
  });

  it('reports a call reserved from a state other than waiting', () => {
    const { violations } = auditAssignments([
      agent('a1', 'logged_out', 'ready'),
      agent('a1', 'ready', 'reserved', 'c1'),
      { ...base(), type: 'call_reserved', callId: 'c1', queueId: 'sales', agentId: 'a1', holder: 'n1', owner: 'n1', stage: 0, from: 'abandoned', to: 'reserved' },
    ]);
    expect(violations).toContain('call c1 reserved from abandoned');
  });
});
