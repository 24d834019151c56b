import { trunkIdentityHeaders, trunkIdentityProblems, type TrunkCallerIdentity } from '../../../src/sip/trunk-caller-identity';

const trunk = { host: '127.0.0.1', port: 5090 };
const company: TrunkCallerIdentity = { fromNumber: '+74951234567', displayName: 'Acme Sales', assertedNumber: null, privacy: 'none' };

describe('outbound caller identity per trunk', () => {
  it('without a configured identity, calls still go out as switchboard@switchboard.invalid with no PAI', () => {
    expect(trunkIdentityHeaders(null, 'campaign', trunk)).toEqual({ From: '<sip:switchboard@switchboard.invalid>' });
  });

  it('shows the company number and name in From and asserts it in P-Asserted-Identity (RFC 3325)', () => {
    expect(trunkIdentityHeaders(company, 'callback', trunk)).toEqual({
      From: '"Acme Sales" <sip:+74951234567@127.0.0.1:5090;user=phone>',
      'P-Asserted-Identity': '"Acme Sales" <sip:+74951234567@127.0.0.1:5090;user=phone>',
      Privacy: 'none',
    });
  });

  it('asserts a different billing number when one is configured, and leaves the name out when there is none', () => {
    const headers = trunkIdentityHeaders({ ...company, displayName: null, assertedNumber: '+74957654321' }, 'click-to-call', trunk);
    expect(headers.From).toBe('<sip:+74951234567@127.0.0.1:5090;user=phone>');
    expect(headers['P-Asserted-Identity']).toBe('<sip:+74957654321@127.0.0.1:5090;user=phone>');
  });

  it('Privacy: id hides the From as anonymous@anonymous.invalid while keeping the real number in PAI', () => {
    expect(trunkIdentityHeaders({ ...company, privacy: 'id' }, 'campaign', trunk)).toEqual({
      From: '"Anonymous" <sip:anonymous@anonymous.invalid>',
      'P-Asserted-Identity': '"Acme Sales" <sip:+74951234567@127.0.0.1:5090;user=phone>',
      Privacy: 'id',
    });
  });

  it('never withholds the number of an emergency call', () => {
    const headers = trunkIdentityHeaders({ ...company, privacy: 'id' }, 'emergency', trunk);
    expect(headers.From).toContain('+74951234567');
    expect(headers.Privacy).toBe('none');
  });

  it('brackets an IPv6 trunk address in the URIs', () => {
    expect(trunkIdentityHeaders(company, 'device', { host: '2001:db8::7', port: 5060 }).From).toBe('"Acme Sales" <sip:+74951234567@[2001:db8::7]:5060;user=phone>');
    expect(trunkIdentityHeaders(company, 'device', { host: '[2001:db8::7]', port: 5060 }).From).toBe('"Acme Sales" <sip:+74951234567@[2001:db8::7]:5060;user=phone>');
  });

  it('names each bad field, and a bad stored identity falls back to no identity rather than a malformed INVITE', () => {
    const bad: TrunkCallerIdentity = { fromNumber: '84951234567', displayName: 'Say "hi"', assertedNumber: '+1', privacy: 'id' };
    expect(trunkIdentityProblems(bad).map((p) => p.path)).toEqual(['fromNumber', 'assertedNumber', 'displayName']);
    expect(trunkIdentityProblems(company)).toEqual([]);
    expect(trunkIdentityHeaders(bad, 'campaign', trunk)).toEqual({ From: '<sip:switchboard@switchboard.invalid>' });
  });
});
