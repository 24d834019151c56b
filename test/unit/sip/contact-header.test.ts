import { addressUser, bindingKey, parseContactHeader, parseExpiresHeader } from '../../../src/sip/contact-header';

describe('Contact header of a REGISTER (RFC 3261 §20.10, §10.3)', () => {
  it('reads a sip.js contact with instance id, reg-id and expires', () => {
    const parsed = parseContactHeader('<sip:k2j4mq1a@d8f1a2b3c4.invalid;transport=ws>;expires=600;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:6a2f3c4e-0c1b-4b6f-9a4e-2d1f0e9c8b7a>"');
    expect(parsed?.kind).toBe('list');
    if (parsed?.kind !== 'list') return;
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.entries[0]).toMatchObject({
      uri: 'sip:k2j4mq1a@d8f1a2b3c4.invalid;transport=ws',
      expires: 600,
      regId: 1,
      instanceId: 'urn:uuid:6a2f3c4e-0c1b-4b6f-9a4e-2d1f0e9c8b7a',
      displayName: null,
    });
    expect(parsed.entries[0]?.params.has('+sip.ice')).toBe(true);
  });

  it('reads several contacts, with display names (quoted, containing "<" and ",") and bare URIs', () => {
    const parsed = parseContactHeader('"Desk, <2>" <sip:op1@10.0.0.5:5062>;q=0.7, sip:op1@10.0.0.6;expires=60, Anna <sips:op1@host>');
    expect(parsed?.kind === 'list' && parsed.entries.map((e) => [e.uri, e.displayName, e.expires])).toEqual([
      ['sip:op1@10.0.0.5:5062', 'Desk, <2>', null],
      ['sip:op1@10.0.0.6', null, 60],
      ['sips:op1@host', 'Anna', null],
    ]);
  });

  it('recognises the wildcard', () => {
    expect(parseContactHeader(' * ')).toEqual({ kind: 'wildcard' });
  });

  it.each([
    ['unclosed angle bracket', '<sip:a@b'],
    ['stray closing bracket', 'sip:a@b>'],
    ['not a SIP URI', '<http://example.com>'],
    ['empty element', '<sip:a@b>, '],
    ['bad expires', '<sip:a@b>;expires=soon'],
    ['negative expires', '<sip:a@b>;expires=-1'],
    ['flag expires', '<sip:a@b>;expires'],
    ['bad reg-id', '<sip:a@b>;reg-id=x'],
    ['unterminated quoted param', '<sip:a@b>;+sip.instance="<urn:uuid:1>'],
    ['garbage after the URI', '<sip:a@b> junk'],
    ['nested brackets', '<<sip:a@b>>'],
    ['too many contacts', Array.from({ length: 30 }, (_, i) => `<sip:a${i}@b>`).join(',')],
    ['empty', ''],
  ])('reports %s as malformed (null), never throws', (_label, value) => {
    expect(parseContactHeader(value)).toBeNull();
  });

  it('gives one binding key per device (RFC 3261 §19.1.4 comparison)', () => {
    expect(bindingKey('SIP:op1@EXAMPLE.com:5060;transport=UDP;ob')).toBe(bindingKey('sip:op1@example.com:5060;transport=udp'));
    expect(bindingKey('sip:op1@example.com')).not.toBe(bindingKey('sip:OP1@example.com'));
    expect(bindingKey('sip:op1@example.com;transport=tcp')).not.toBe(bindingKey('sip:op1@example.com;transport=udp'));
  });

  it('reads Expires and the user of a To header', () => {
    expect(parseExpiresHeader(' 0 ')).toBe(0);
    expect(parseExpiresHeader('3600')).toBe(3600);
    expect(parseExpiresHeader('1h')).toBeNull();
    expect(addressUser('"Op One" <sip:op1@switchboard>;tag=1')).toBe('op1');
    expect(addressUser('sip:op%31@switchboard')).toBe('op1');
    expect(addressUser('<sip:switchboard>')).toBeNull();
    expect(addressUser('<sip:%zz@x>')).toBeNull();
    expect(addressUser('<sip:a@b')).toBeNull();
  });
});
