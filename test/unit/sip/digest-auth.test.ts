import { sipHa1 } from '../../../src/auth/sip-digest';
import {
  buildChallenge,
  digestMatches,
  expectedDigestResponse,
  MAX_AUTHORIZATION_LENGTH,
  parseAuthorizationHeader,
  readDigestCredentials,
  type DigestCredentials,
} from '../../../src/sip/digest-auth';

// RFC 2617 §3.5: the worked example (method GET).
const RFC2617_EXAMPLE =
  'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

function okCredentials(header: string, realm: string): DigestCredentials {
  const verdict = readDigestCredentials(header, realm);
  if (verdict.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(verdict)}`);
  return verdict.credentials;
}

describe('digest authentication (RFC 2617 §3.2.2, RFC 3261 §22.4)', () => {
  describe('the RFC 2617 §3.5 example', () => {
    const ha1 = sipHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life');

    it('computes the example response', () => {
      expect(ha1).toBe('939e7578ed9e3c518a452acee763bce9');
      expect(
        expectedDigestResponse({ ha1, method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', ncHex: '00000001', cnonce: '0a4f113b', qop: 'auth' }),
      ).toBe('6629fae49393a05397450978507c4ef1');
    });

    it('parses the example header and verifies it', () => {
      const credentials = okCredentials(RFC2617_EXAMPLE, 'testrealm@host.com');
      expect(credentials).toMatchObject({ username: 'Mufasa', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', uri: '/dir/index.html', nc: 1, ncHex: '00000001', cnonce: '0a4f113b', opaque: '5ccc069c403ebaf9f0171e9517f40e41' });
      expect(digestMatches(credentials, ha1, 'GET')).toBe(true);
    });

    it.each([
      ['another password', sipHa1('Mufasa', 'testrealm@host.com', 'circle of life'), 'GET'],
      ['another method', sipHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life'), 'POST'],
    ])('rejects the example with %s', (_label, otherHa1, method) => {
      expect(digestMatches(okCredentials(RFC2617_EXAMPLE, 'testrealm@host.com'), otherHa1, method)).toBe(false);
    });

    it('rejects the example when nc, cnonce or uri were changed in transit', () => {
      for (const tampered of [
        RFC2617_EXAMPLE.replace('nc=00000001', 'nc=00000002'),
        RFC2617_EXAMPLE.replace('cnonce="0a4f113b"', 'cnonce="0a4f113c"'),
        RFC2617_EXAMPLE.replace('uri="/dir/index.html"', 'uri="/dir/other.html"'),
      ]) {
        expect(digestMatches(okCredentials(tampered, 'testrealm@host.com'), ha1, 'GET')).toBe(false);
      }
    });

    it('accepts an upper-case response and algorithm=MD5 in any case', () => {
      const header = RFC2617_EXAMPLE.replace('6629fae49393a05397450978507c4ef1', '6629FAE49393A05397450978507C4EF1') + ', algorithm=md5';
      expect(digestMatches(okCredentials(header, 'testrealm@host.com'), ha1, 'GET')).toBe(true);
    });
  });

  it('a SIP REGISTER round trip: the response a client computes from our challenge verifies', () => {
    const realm = 'switchboard';
    const nonce = '0123456789abcdef0123456789abcdef';
    const challenge = buildChallenge({ realm, nonce });
    expect(challenge).toBe('Digest realm="switchboard", nonce="0123456789abcdef0123456789abcdef", algorithm=MD5, qop="auth"');
    const ha1 = sipHa1('op1', realm, 'secret');
    const uri = 'sip:127.0.0.1:5060';
    const response = expectedDigestResponse({ ha1, method: 'REGISTER', uri, nonce, ncHex: '00000001', cnonce: 'abc', qop: 'auth' });
    const header = `Digest username="op1",realm="${realm}",nonce="${nonce}",uri="${uri}",response="${response}",algorithm=MD5,cnonce="abc",qop=auth,nc=00000001`;
    expect(digestMatches(okCredentials(header, realm), ha1, 'REGISTER')).toBe(true);
  });

  it('marks a stale challenge and escapes the realm', () => {
    expect(buildChallenge({ realm: 'a "b" \\c', nonce: 'n', stale: true })).toBe('Digest realm="a \\"b\\" \\\\c", nonce="n", algorithm=MD5, qop="auth", stale=TRUE');
  });

  describe('reading the Authorization header', () => {
    it('unescapes quoted-pairs and keeps commas inside quotes', () => {
      const parsed = parseAuthorizationHeader('Digest username="a\\"b,c", realm="r", nonce=abc');
      expect(parsed).toHaveLength(1);
      expect(parsed?.[0]?.params.get('username')).toBe('a"b,c');
      expect(parsed?.[0]?.params.get('nonce')).toBe('abc');
    });

    it('splits credentials of several Authorization headers joined by commas and picks the one for our realm', () => {
      const other = 'Digest username="x", realm="elsewhere", nonce="n1", uri="sip:a", response="00000000000000000000000000000000", qop=auth, nc=00000001, cnonce="c"';
      const mine = RFC2617_EXAMPLE;
      const parsed = parseAuthorizationHeader(`${other}, ${mine}`);
      expect(parsed?.map((c) => c.params.get('realm'))).toEqual(['elsewhere', 'testrealm@host.com']);
      expect(okCredentials(`${other}, ${mine}`, 'testrealm@host.com').username).toBe('Mufasa');
    });

    it('says "none" when there is no header, so the client gets a challenge', () => {
      expect(readDigestCredentials(undefined, 'r')).toEqual({ kind: 'none' });
      expect(readDigestCredentials('   ', 'r')).toEqual({ kind: 'none' });
    });

    it.each([
      ['Basic credentials only', 'Basic dXNlcjpwYXNz'.replace('dXNlcjpwYXNz', 'token=abc')],
      ['another realm', RFC2617_EXAMPLE.replace('testrealm@host.com', 'other')],
      ['MD5-sess', `${RFC2617_EXAMPLE}, algorithm=MD5-sess`],
      ['SHA-256', `${RFC2617_EXAMPLE}, algorithm=SHA-256`],
      ['qop=auth-int', RFC2617_EXAMPLE.replace('qop=auth', 'qop=auth-int')],
      ['no qop (RFC 2069 style)', RFC2617_EXAMPLE.replace('qop=auth, ', '')],
    ])('answers %s with a fresh challenge ("unsupported")', (_label, header) => {
      expect(readDigestCredentials(header, 'testrealm@host.com').kind).toBe('unsupported');
    });

    // Every one of these must come back as a value, never an exception: the registrar answers 400.
    const malformed: Array<[string, string]> = [
      ['scheme only', 'Digest'],
      ['scheme and spaces', 'Digest    '],
      ['no space after the scheme', 'Digest,username="a"'],
      ['unterminated quote', 'Digest username="Mufasa, realm="r"'],
      ['dangling backslash', 'Digest username="abc\\'],
      ['missing =', 'Digest username "Mufasa"'],
      ['missing value', 'Digest username=, realm="r"'],
      ['garbage between params', 'Digest username="a" realm="r"'],
      ['only commas', ',,,,'],
      ['empty name', 'Digest ="x"'],
      ['control characters', 'Digest username=\u0000\u0001'],
      ['duplicate directive', `${RFC2617_EXAMPLE}, nonce="other"`],
      ['missing response', RFC2617_EXAMPLE.replace(/response="[^"]*", /, '')],
      ['missing username', RFC2617_EXAMPLE.replace('username="Mufasa", ', '')],
      ['missing uri', RFC2617_EXAMPLE.replace('uri="/dir/index.html", ', '')],
      ['short response', RFC2617_EXAMPLE.replace('6629fae49393a05397450978507c4ef1', '6629fae4')],
      ['non-hex response', RFC2617_EXAMPLE.replace('6629fae49393a05397450978507c4ef1', 'z629fae49393a05397450978507c4ef1')],
      ['nc not 8 hex digits', RFC2617_EXAMPLE.replace('nc=00000001', 'nc=1')],
      ['nc of zero', RFC2617_EXAMPLE.replace('nc=00000001', 'nc=00000000')],
      ['missing cnonce', RFC2617_EXAMPLE.replace('cnonce="0a4f113b", ', '')],
      ['empty username', RFC2617_EXAMPLE.replace('username="Mufasa"', 'username=""')],
      ['oversized header', `Digest username="${'a'.repeat(MAX_AUTHORIZATION_LENGTH)}"`],
      ['oversized parameter', `Digest username="${'a'.repeat(2000)}", realm="testrealm@host.com"`],
      ['unicode junk', 'Digest ☃="☃"'],
      ['trailing second scheme without params', `${RFC2617_EXAMPLE}, Digest`],
    ];
    it.each(malformed)('reports "%s" as malformed without throwing', (_label, header) => {
      expect(readDigestCredentials(header, 'testrealm@host.com').kind).toBe('malformed');
    });

    it('survives random byte soup', () => {
      let seed = 42;
      const random = (): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const alphabet = 'Digest usernamrlcq=",\\ \t;:<>@01234567890abcdef';
      for (let i = 0; i < 2000; i += 1) {
        let header = '';
        const length = Math.floor(random() * 120);
        for (let j = 0; j < length; j += 1) header += alphabet.charAt(Math.floor(random() * alphabet.length));
        expect(() => readDigestCredentials(header, 'r')).not.toThrow();
      }
    });
  });
});
