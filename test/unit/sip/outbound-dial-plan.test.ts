import { callbackAttemptOf, callbackClientIdOf } from '../../../src/sip/callback-dialer';
import { classifyDialled, requestUriUser } from '../../../src/sip/dial-plan';
import { dialableTrunks, parseTrunkEntry, trunkRequestUri } from '../../../src/sip/trunk-address';
import { TrunkAcl } from '../../../src/sip/trunk-acl';

describe('SIP_TRUNKS entries: where trunk calls come from, and where outbound calls go', () => {
  it.each([
    ['10.0.0.0/8', { acl: '10.0.0.0/8', dial: null }],
    ['192.0.2.7', { acl: '192.0.2.7', dial: { host: '192.0.2.7', port: 5060 } }],
    ['192.0.2.7:5080', { acl: '192.0.2.7', dial: { host: '192.0.2.7', port: 5080 } }],
    ['[2001:db8::7]:5080', { acl: '2001:db8::7', dial: { host: '[2001:db8::7]', port: 5080 } }],
    ['2001:db8::7', { acl: '2001:db8::7', dial: { host: '[2001:db8::7]', port: 5060 } }],
    ['2001:db8::/32', { acl: '2001:db8::/32', dial: null }],
  ])('%s', (entry, expected) => {
    expect(parseTrunkEntry(entry)).toEqual(expected);
  });

  it('refuses a bad port, and the ACL reads an entry with a port by its address', () => {
    expect(() => parseTrunkEntry('192.0.2.7:70000')).toThrow(/not an address:port/);
    const acl = new TrunkAcl(['127.0.0.5:5099', '10.0.0.0/8']);
    expect(acl.allows('127.0.0.5')).toBe(true);
    expect(acl.allows('127.0.0.1')).toBe(false);
  });

  it('dials out through the first entry that names one address; ranges are inbound only', () => {
    expect(dialableTrunks(['10.0.0.0/8', '192.0.2.7:5080', '192.0.2.8'])).toEqual([{ host: '192.0.2.7', port: 5080 }, { host: '192.0.2.8', port: 5060 }]);
    expect(dialableTrunks(['127.0.0.1/32'])).toEqual([]);
    expect(trunkRequestUri('+74951000001', { host: '192.0.2.7', port: 5080 })).toBe('sip:+74951000001@192.0.2.7:5080');
  });
});

describe('what a staff phone dialled', () => {
  const directory = { staffUsernames: new Set(['anna', '1001']), queues: new Set(['finance', 'operators']), departments: new Set(['finance', 'wholesale_sales']) };

  it.each([
    ['anna', { kind: 'staff', username: 'anna' }],
    ['1001', { kind: 'staff', username: '1001' }],
    ['queue-finance', { kind: 'queue', queue: 'finance' }],
    ['dept-wholesale_sales', { kind: 'department', department: 'wholesale_sales' }],
    ['+74951000001', { kind: 'external', e164: '+74951000001' }],
    ['84951000001', { kind: 'external', e164: '+74951000001' }],
    ['%2B74951000001', { kind: 'external', e164: '+74951000001' }],
    ['queue-nosuch', { kind: 'unknown', dialled: 'queue-nosuch' }],
    ['boris', { kind: 'unknown', dialled: 'boris' }],
  ])('%s', (dialled, expected) => {
    expect(classifyDialled(dialled, directory, 'RU')).toEqual(expected);
  });

  it('an emergency short code is dialled out as it is (issue 15: the outbound policy puts it through); a colleague\'s extension still wins', () => {
    const withEmergency = { ...directory, staffUsernames: new Set(['anna', '101']), emergencyNumbers: new Set(['112', '101']) };
    expect(classifyDialled('112', withEmergency, 'RU')).toEqual({ kind: 'external', e164: '112' });
    expect(classifyDialled('101', withEmergency, 'RU')).toEqual({ kind: 'staff', username: '101' });
    // Without the list (or a code not on it) a short code is nobody.
    expect(classifyDialled('112', directory, 'RU')).toEqual({ kind: 'unknown', dialled: '112' });
  });

  it('reads the user part of sip: and tel: Request-URIs', () => {
    expect(requestUriUser('sip:+74951000001@switchboard;user=phone')).toBe('+74951000001');
    expect(requestUriUser('sip:anna@127.0.0.1:5060')).toBe('anna');
    expect(requestUriUser('tel:+74951000001')).toBe('+74951000001');
    expect(requestUriUser('sip:127.0.0.1')).toBe(null);
  });
});

describe('callback attempts', () => {
  // What happens after each attempt is the retry policy's (callback-retry-policy.test.ts).
  it('reads which attempt a reserved callback is, and its client, from the ACD meta', () => {
    const first = { callId: '3f1c0f0e-1111-4222-8333-444455556666', meta: { clientId: 7 } };
    expect(callbackAttemptOf(first)).toBe(1);
    expect(callbackAttemptOf({ meta: { callbackAttempt: 3 } })).toBe(3);
    expect(callbackClientIdOf(first)).toBe(7);
    expect(callbackClientIdOf({ meta: { clientId: null } })).toBeNull();
  });
});
