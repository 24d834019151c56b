import { TrunkAcl } from '../../../src/sip/trunk-acl';

describe('trunk address list', () => {
  const acl = new TrunkAcl(['127.0.0.1/32', '10.20.0.0/16', '192.0.2.7', '2001:db8::/32']);

  it.each([
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.20.5.9', true],
    ['10.21.0.1', false],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['::ffff:10.20.1.1', true],
    ['2001:db8:1::5', true],
    ['2001:db9::1', false],
    ['not-an-ip', false],
    ['', false],
  ])('%s → %s', (source, allowed) => {
    expect(acl.allows(source)).toBe(allowed);
  });

  it('allows nothing when empty, and refuses a malformed range at start', () => {
    expect(new TrunkAcl([]).allows('127.0.0.1')).toBe(false);
    expect(() => new TrunkAcl(['10.0.0.0/33'])).toThrow(/bad prefix/);
    expect(() => new TrunkAcl(['trunk.example.com'])).toThrow(/not an IP address/);
  });
});
