import { classifyDialled, requestUriUser } from '../../../src/sip/dial-plan';
import { warningHeader } from '../../../src/sip/device-call-handler';
import { draftTestAddress, parseDraftTestAddress } from '../../../src/sip/draft-test-address';
import { sentOverWebSocket } from '../../../src/sip/sent-over-websocket';

// Issue 7: "call it" — a staff phone dials a DRAFT of an IVR flow by a reserved address.
describe('the draft-test address a staff phone dials (ivr-draft-<flow>[-v<version>][-as-<number>])', () => {
  // A colleague whose SIP username looks like a draft address must not shadow it, nor a digits-only extension a number.
  const directory = { staffUsernames: new Set(['anna', 'ivr-draft-main', '1001']), queues: new Set(['operators']), departments: new Set(['finance']) };

  it.each([
    ['ivr-draft-main', { kind: 'ivr_draft', flow: 'main', version: null, callerNumber: null }],
    ['ivr-draft-main-v12', { kind: 'ivr_draft', flow: 'main', version: 12, callerNumber: null }],
    ['ivr-draft-night_shift2-v3', { kind: 'ivr_draft', flow: 'night_shift2', version: 3, callerNumber: null }],
    ['ivr-draft-main-as-+74951000002', { kind: 'ivr_draft', flow: 'main', version: null, callerNumber: '+74951000002' }],
    ['ivr-draft-main-v7-as-84951000002', { kind: 'ivr_draft', flow: 'main', version: 7, callerNumber: '84951000002' }],
    // URL-encoded as a phone may send it (RFC 3261 §19.1.2 allows escaping in the user part).
    ['ivr-draft-main-v7-as-%2B74951000002', { kind: 'ivr_draft', flow: 'main', version: 7, callerNumber: '+74951000002' }],
  ])('%s is a draft test', (dialled, expected) => {
    expect(classifyDialled(dialled, directory, 'RU')).toEqual(expected);
  });

  it.each([
    ['ivr-draft-', 'no flow name'],
    ['ivr-draft-Main', 'flow names are lower case'],
    ['ivr-draft-main-v0', 'versions start at 1'],
    ['ivr-draft-main-vx', 'not a version'],
    ['ivr-draft-main-as-12', 'too short for a number'],
    ['ivr-draft-main-as-+7495abc', 'not a number'],
    ['ivr-draft-main-v2-v3', 'two versions'],
    ['ivr-draft-main-as-+74951000002-v2', 'the caller number comes last'],
  ])('%s is unknown (%s): the prefix is reserved, never a colleague or a number', (dialled) => {
    expect(classifyDialled(dialled, directory, 'RU')).toEqual({ kind: 'unknown', dialled });
  });

  it('leaves every other kind of dialled name as it was', () => {
    expect(classifyDialled('anna', directory, 'RU')).toEqual({ kind: 'staff', username: 'anna' });
    expect(classifyDialled('queue-operators', directory, 'RU')).toEqual({ kind: 'queue', queue: 'operators' });
    expect(classifyDialled('+74951000001', directory, 'RU')).toEqual({ kind: 'external', e164: '+74951000001' });
    expect(classifyDialled('ivr-main', directory, 'RU')).toEqual({ kind: 'unknown', dialled: 'ivr-main' });
  });

  it('reads the address from the Request-URI a browser softphone (sip.js) or a desk phone sends', () => {
    expect(requestUriUser('sip:ivr-draft-main-v4@switchboard.local')).toBe('ivr-draft-main-v4');
    expect(requestUriUser('sip:ivr-draft-main-as-+74951000002@127.0.0.1:5060;transport=ws')).toBe('ivr-draft-main-as-+74951000002');
  });

  it('the admin app writes what the server reads: flow, version and a caller number typed any way', () => {
    expect(draftTestAddress({ flow: 'main' })).toBe('ivr-draft-main');
    expect(draftTestAddress({ flow: 'main', version: 12 })).toBe('ivr-draft-main-v12');
    expect(draftTestAddress({ flow: 'main', version: 12, callerNumber: '+7 (495) 100-00-02' })).toBe('ivr-draft-main-v12-as-+74951000002');
    // Nothing usable as a number: no caller part rather than an address the server refuses.
    expect(draftTestAddress({ flow: 'main', callerNumber: 'nobody' })).toBe('ivr-draft-main');
    expect(draftTestAddress({ flow: 'main', callerNumber: '' })).toBe('ivr-draft-main');
    for (const address of [{ flow: 'main', version: 3, callerNumber: '8 495 100 00 01' }, { flow: 'x1', version: null, callerNumber: null }]) {
      const written = draftTestAddress(address);
      expect(parseDraftTestAddress(written)).toEqual({ flow: address.flow, version: address.version, callerNumber: address.callerNumber ? address.callerNumber.replace(/\D/g, '') : null });
    }
  });

  it('a refusal\'s detail travels in a Warning header a phone can show (RFC 3261 §20.43): one line, quotes escaped, short', () => {
    expect(warningHeader('IVR flow main draft v3 is invalid: nodes.greeting.next: unknown node \'x\''))
      .toBe('399 switchboard "IVR flow main draft v3 is invalid: nodes.greeting.next: unknown node \'x\'"');
    expect(warningHeader('a "quoted"\r\nline \\ here')).toBe('399 switchboard "a \\"quoted\\" line \\\\ here"');
    expect(warningHeader('Сценарий x'.repeat(100)).length).toBeLessThan(330);
  });

  it('a browser softphone\'s INVITE is told by its Via (drachtio-server reports a WebSocket as "tcp"): its leg gets WebRTC media, and it is never a trunk call', () => {
    const request = (via: string | undefined, protocol: string) => ({ protocol, get: (name: string) => (name === 'Via' ? via : undefined) });
    expect(sentOverWebSocket(request('SIP/2.0/WS 83amrduojucc.invalid;branch=z9hG4bK1769627', 'tcp'))).toBe(true);
    expect(sentOverWebSocket(request('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK1', 'tls'))).toBe(true);
    expect(sentOverWebSocket(request('SIP/2.0/UDP 127.0.0.5:5060;branch=z9hG4bK2', 'udp'))).toBe(false);
    expect(sentOverWebSocket(request('SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK3', 'tcp'))).toBe(false);
    expect(sentOverWebSocket(request(undefined, 'udp'))).toBe(false);
  });
});
