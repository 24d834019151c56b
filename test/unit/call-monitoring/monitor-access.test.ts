import { decideMonitorAccess, modesAllowedFor, queuesWithinReach, type MonitoredCall, type MonitoringActor } from '../../../src/call-monitoring/monitor-access';
import type { MonitorMode } from '../../../src/call-monitoring/monitor-mode';
import { DEFAULT_MONITORING_POLICY, monitoringPolicyOf, type MonitoringPolicy } from '../../../src/call-monitoring/monitoring-policy';

const CALL: MonitoredCall = { callId: 'c1', live: true, agentStaffId: 7, queue: 'operators', callerNumber: '+74951000001', monitoredByUserIds: [] };
const actor = (over: Partial<MonitoringActor>): MonitoringActor => ({ userId: 10, role: 'supervisor', staffId: 3, supervisedQueues: [], ...over });
const policy = (over: Partial<MonitoringPolicy> = {}): MonitoringPolicy => ({ ...DEFAULT_MONITORING_POLICY, ...over });

// Issue 18 point 3: one row per rule of who may monitor what.
describe('decideMonitorAccess', () => {
  const rows: Array<{ rule: string; actor: MonitoringActor; call: MonitoredCall | null; mode: MonitorMode; policy?: MonitoringPolicy; expect: string }> = [
    { rule: 'an admin monitors any call', actor: actor({ role: 'admin', supervisedQueues: [] }), call: { ...CALL, queue: 'regional' }, mode: 'barge', expect: 'allowed' },
    { rule: 'an operator never', actor: actor({ role: 'operator' }), call: CALL, mode: 'listen', expect: 'FORBIDDEN' },
    { rule: 'a supervisor of the queue listens', actor: actor({ supervisedQueues: ['operators'] }), call: CALL, mode: 'listen', expect: 'allowed' },
    { rule: 'a supervisor of the queue barges', actor: actor({ supervisedQueues: ['operators'] }), call: CALL, mode: 'barge', expect: 'allowed' },
    { rule: 'a supervisor of other queues does not', actor: actor({ supervisedQueues: ['regional'] }), call: CALL, mode: 'listen', expect: 'FORBIDDEN' },
    { rule: 'a supervisor of no queue sees all by default', actor: actor({ supervisedQueues: [] }), call: CALL, mode: 'listen', expect: 'allowed' },
    { rule: 'a supervisor of no queue sees none when the policy closes it', actor: actor({ supervisedQueues: [] }), call: CALL, mode: 'listen', policy: policy({ unassignedSupervisorsSeeAllQueues: false }), expect: 'FORBIDDEN' },
    { rule: 'a call to a person is not in an assigned supervisor\'s queues', actor: actor({ supervisedQueues: ['operators'] }), call: { ...CALL, queue: null }, mode: 'listen', expect: 'FORBIDDEN' },
    { rule: 'quality listens to any call', actor: actor({ role: 'quality', staffId: null }), call: { ...CALL, queue: 'regional' }, mode: 'listen', expect: 'allowed' },
    { rule: 'quality does not whisper by default', actor: actor({ role: 'quality' }), call: CALL, mode: 'whisper', expect: 'FORBIDDEN' },
    { rule: 'quality whispers when the policy lets it', actor: actor({ role: 'quality' }), call: CALL, mode: 'whisper', policy: policy({ qualityMayWhisper: true }), expect: 'allowed' },
    { rule: 'quality never barges', actor: actor({ role: 'quality' }), call: CALL, mode: 'barge', policy: policy({ qualityMayWhisper: true }), expect: 'FORBIDDEN' },
    { rule: 'nobody monitors their own call', actor: actor({ role: 'admin', staffId: 7 }), call: CALL, mode: 'listen', expect: 'FORBIDDEN' },
    { rule: 'nobody monitors a call twice', actor: actor({ role: 'admin' }), call: { ...CALL, monitoredByUserIds: [10] }, mode: 'listen', expect: 'CONFLICT' },
    { rule: 'someone else monitoring it already is no obstacle', actor: actor({ role: 'admin' }), call: { ...CALL, monitoredByUserIds: [11] }, mode: 'listen', expect: 'allowed' },
    { rule: 'an unknown call is not live', actor: actor({ role: 'admin' }), call: null, mode: 'listen', expect: 'CALL_NOT_LIVE' },
    { rule: 'a call still waiting is not live', actor: actor({ role: 'admin' }), call: { ...CALL, live: false, agentStaffId: null }, mode: 'listen', expect: 'CALL_NOT_LIVE' },
  ];
  it.each(rows)('$rule', (row) => {
    const decision = decideMonitorAccess(row.actor, row.call, row.mode, row.policy ?? policy());
    expect(decision.allowed ? 'allowed' : decision.code).toBe(row.expect);
    if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(10);
  });

  it('names the modes each role may use', () => {
    expect(modesAllowedFor('admin', policy())).toEqual(['listen', 'whisper', 'barge']);
    expect(modesAllowedFor('supervisor', policy())).toEqual(['listen', 'whisper', 'barge']);
    expect(modesAllowedFor('quality', policy())).toEqual(['listen']);
    expect(modesAllowedFor('operator', policy())).toEqual([]);
  });
});

describe('queuesWithinReach', () => {
  it('is every queue (null) for admins, quality and an unassigned supervisor under the default policy; the assigned queues otherwise', () => {
    expect(queuesWithinReach(actor({ role: 'admin' }), policy())).toBeNull();
    expect(queuesWithinReach(actor({ role: 'quality' }), policy())).toBeNull();
    expect(queuesWithinReach(actor({ supervisedQueues: [] }), policy())).toBeNull();
    expect(queuesWithinReach(actor({ supervisedQueues: [] }), policy({ unassignedSupervisorsSeeAllQueues: false }))).toEqual([]);
    expect(queuesWithinReach(actor({ supervisedQueues: ['regional'] }), policy())).toEqual(['regional']);
    expect(queuesWithinReach(actor({ role: 'operator', supervisedQueues: ['regional'] }), policy())).toEqual([]);
  });
});

describe('monitoringPolicyOf', () => {
  it('keeps today\'s supervisors working and tells nobody unless configured', () => {
    expect(monitoringPolicyOf(undefined)).toEqual({ unassignedSupervisorsSeeAllQueues: true, announce: 'none', qualityMayWhisper: false });
    expect(monitoringPolicyOf({ announce: 'tone' })).toEqual({ unassignedSupervisorsSeeAllQueues: true, announce: 'tone', qualityMayWhisper: false });
  });
});
