import { createRootLogger } from '../../../src/logger';
import { withDirection, audioDirection } from '../../../src/media/sdp-text';
import { CONSULT_TRANSITIONS } from '../../../src/sip/consult-transfer';
import { CallHold, holdIntentOf } from '../../../src/sip/hold-state';
import { concreteTransferTarget, transferTargetOfReferTo } from '../../../src/sip/transfer-target';
import type { DirectorySnapshot } from '../../../src/routing/directory-snapshot';
import type { ClientFacts } from '../../../src/routing/client-facts';

const sdp = (direction: string): string => ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', ...(direction ? [`a=${direction}`] : []), ''].join('\r\n');

describe('hold: what an agent re-INVITE asks for (RFC 3264 §8.4)', () => {
  it.each([
    ['sendonly', 'on_hold'],
    ['inactive', 'on_hold'],
    ['sendrecv', 'talking'],
    ['recvonly', 'talking'],
    ['', 'talking'],
  ])('a=%s means %s', (direction, intent) => {
    expect(holdIntentOf(sdp(direction))).toBe(intent);
  });

  it('holds once, resumes once, ignores refreshes, and refuses moves the table does not allow', () => {
    let now = 1000;
    const hold = new CallHold(createRootLogger('silent'), () => now);
    expect(hold.moveFor(sdp('sendrecv'))).toBeNull();
    expect(hold.moveFor(sdp('sendonly'))).toBe('hold');
    hold.transition('on_hold');
    expect(hold.moveFor(sdp('inactive'))).toBeNull();
    now += 4200;
    expect(hold.moveFor(sdp('sendrecv'))).toBe('resume');
    expect(hold.transition('talking')).toBe(4200);
    expect(() => hold.transition('talking')).toThrow(/talking → talking/);
    hold.transition('on_hold');
    hold.reset();
    expect(hold.state).toBe('talking');
  });

  it('an SDP reused as an offer loses the hold it was answered with', () => {
    const held = sdp('recvonly');
    expect(audioDirection(withDirection(held, 'sendrecv'))).toBe('sendrecv');
    expect(withDirection(held, 'sendrecv').match(/a=(sendrecv|recvonly)/g)).toEqual(['a=sendrecv']);
    expect(audioDirection(withDirection(sdp(''), 'inactive'))).toBe('inactive');
  });
});

describe('warm transfer lifecycle table', () => {
  it('ends only in completed, cancelled or ended, and completes only from talking', () => {
    for (const terminal of ['completed', 'cancelled', 'ended'] as const) expect(CONSULT_TRANSITIONS[terminal]).toEqual([]);
    const into = (state: string) => Object.entries(CONSULT_TRANSITIONS).filter(([, to]) => (to as readonly string[]).includes(state)).map(([from]) => from);
    expect(into('completed')).toEqual(['talking']);
    expect(into('cancelled').sort()).toEqual(['failed', 'ringing', 'talking']);
  });
});

describe('transfer targets: the named services and the REFER user parts', () => {
  const directory: DirectorySnapshot = {
    queues: ['operators', 'finance', 'second_line'],
    departments: [
      { code: 'finance', name: 'Finance service', headStaffId: 8, queue: 'finance' },
      { code: 'quality_control', name: 'Quality control', headStaffId: 9, queue: null },
      { code: 'second_line', name: 'Second line support', headStaffId: 10, queue: 'second_line' },
    ],
    staff: [{ id: 6, name: 'Pavel Orlov', role: 'key_account_manager', departmentCode: null, keyAccountManager: true, active: true }],
  };
  const client = { id: 1, name: 'Sadovod', type: 'market', managerId: 6 } as ClientFacts;

  it.each([
    [{ kind: 'finance' }, { kind: 'department', department: 'finance' }, { kind: 'finance', department: 'finance', queue: 'finance', label: 'Finance service' }],
    [{ kind: 'quality' }, { kind: 'department', department: 'quality_control' }, { kind: 'quality', department: 'quality_control', label: 'Quality control' }],
    [{ kind: 'second_line' }, { kind: 'department', department: 'second_line' }, { kind: 'second_line', department: 'second_line', queue: 'second_line' }],
    [{ kind: 'manager' }, { kind: 'person', staffId: 6 }, { kind: 'person', staffId: 6, label: 'client manager Pavel Orlov' }],
  ] as const)('%j goes to %j', (named, target, fact) => {
    const resolved = concreteTransferTarget(named, directory, client);
    expect(resolved.target).toEqual(target);
    expect(resolved.fact).toMatchObject(fact);
  });

  it('refuses the manager of a caller who has none, and a service the directory lacks', () => {
    expect(() => concreteTransferTarget({ kind: 'manager' }, directory, null)).toThrow(/no assigned manager/);
    expect(() => concreteTransferTarget({ kind: 'finance' }, { ...directory, departments: [] }, client)).toThrow(/finance/);
  });

  it.each([
    ['<sip:finance@10.0.0.1>', { kind: 'finance' }],
    ['sip:quality@pbx', { kind: 'quality' }],
    ['<sip:second-line@pbx;transport=udp>', { kind: 'second_line' }],
    ['sip:second_line@pbx', { kind: 'second_line' }],
    ['<sip:manager@pbx>', { kind: 'manager' }],
    ['<sip:queue-finance@127.0.0.1>', { kind: 'queue', queue: 'finance' }],
    ['sip:staff-12@pbx', { kind: 'person', staffId: 12 }],
    ['sip:dept-quality_control@pbx', { kind: 'department', department: 'quality_control' }],
    ['sip:someone@pbx', null],
    ['sip:staff-x@pbx', null],
  ])('Refer-To %s → %j', (referTo, target) => {
    expect(transferTargetOfReferTo(referTo)).toEqual(target);
  });
});
