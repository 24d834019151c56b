import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * HTTP Digest authentication as SIP uses it (RFC 3261 §22.4, which profiles
 * RFC 2617 §3): building the challenge, reading an Authorization header that
 * may come from anyone, and checking the response. No I/O here: nonces are
 * kept by nonce-store.ts, credentials come from the staff table.
 *
 * Only MD5 with qop=auth is offered: it is what sip.js, desk phones and sipp
 * all implement, and qop=auth carries the nonce-count that lets the registrar
 * refuse replays (RFC 2617 §3.2.2, "nc").
 */

export interface ChallengeOptions {
  realm: string;
  nonce: string;
  /** RFC 2617 §3.2.1: TRUE tells the client its password was right but the nonce is no longer valid, so it retries without asking the user. */
  stale?: boolean;
}

/** The WWW-Authenticate value of a 401 (RFC 3261 §22.4, RFC 2617 §3.2.1). */
export function buildChallenge(options: ChallengeOptions): string {
  const parts = [`Digest realm=${quote(options.realm)}`, `nonce=${quote(options.nonce)}`, 'algorithm=MD5', 'qop="auth"'];
  if (options.stale) parts.push('stale=TRUE');
  return parts.join(', ');
}

/** One parsed credentials element of an Authorization header: scheme plus its auth-params (names lower-cased). */
export interface RawCredentials {
  scheme: string;
  params: Map<string, string>;
}

/** The digest-response of RFC 2617 §3.2.2, checked for shape; values are unquoted. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  /** 32 lower-case hex digits. */
  response: string;
  qop: 'auth';
  /** nonce-count as a number (the header carries 8 hex digits). */
  nc: number;
  /** nonce-count exactly as sent: it is part of the hashed string. */
  ncHex: string;
  cnonce: string;
  opaque: string | null;
}

export type CredentialsVerdict =
  /** Well-formed Digest credentials for this realm. */
  | { kind: 'ok'; credentials: DigestCredentials }
  /** No credentials for this realm: answer with a challenge (RFC 3261 §22.2). */
  | { kind: 'none' }
  /** Well-formed, but something we do not offer (algorithm, qop, another realm): a fresh challenge. */
  | { kind: 'unsupported'; detail: string }
  /** Not parseable: 400 (RFC 3261 §21.4.1). */
  | { kind: 'malformed'; detail: string };

/** Longest Authorization header read at all; real ones are a few hundred bytes. */
export const MAX_AUTHORIZATION_LENGTH = 4096;
const MAX_PARAM_LENGTH = 1024;

// RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
const TOKEN_CHAR = /[A-Za-z0-9\-.!%*_+`'~]/;

class Cursor {
  index = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.index >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.index);
  }

  skipSpace(): boolean {
    const start = this.index;
    while (!this.done && /[ \t\r\n]/.test(this.peek())) this.index += 1;
    return this.index > start;
  }

  token(): string | null {
    const start = this.index;
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.index += 1;
    return this.index > start ? this.text.slice(start, this.index) : null;
  }

  /** RFC 3261 §25.1 quoted-string with quoted-pair escapes; null when unterminated. */
  quoted(): string | null {
    if (this.peek() !== '"') return null;
    this.index += 1;
    let value = '';
    while (!this.done) {
      const c = this.peek();
      if (c === '\\') {
        if (this.index + 1 >= this.text.length) return null;
        value += this.text.charAt(this.index + 1);
        this.index += 2;
      } else if (c === '"') {
        this.index += 1;
        return value;
      } else {
        value += c;
        this.index += 1;
      }
    }
    return null;
  }
}

/**
 * Splits an Authorization header value into its credentials elements. Several
 * Authorization headers (one per realm, RFC 3261 §22.2) reach us joined with
 * commas by drachtio-srf, so a comma may start either the next auth-param or
 * the next scheme. Returns null for anything that is not the grammar: the
 * caller answers 400, never crashes.
 */
export function parseAuthorizationHeader(value: string): RawCredentials[] | null {
  if (value.length > MAX_AUTHORIZATION_LENGTH) return null;
  const cur = new Cursor(value);
  const result: RawCredentials[] = [];
  cur.skipSpace();
  let scheme = cur.token();
  if (scheme === null) return null;
  while (scheme !== null) {
    const params = new Map<string, string>();
    if (!cur.skipSpace()) return null;
    let nextScheme: string | null = null;
    for (;;) {
      const name = cur.token();
      if (name === null) return null;
      cur.skipSpace();
      if (cur.peek() !== '=') return null;
      cur.index += 1;
      cur.skipSpace();
      const paramValue = cur.peek() === '"' ? cur.quoted() : cur.token();
      if (paramValue === null || paramValue.length > MAX_PARAM_LENGTH) return null;
      const key = name.toLowerCase();
      // RFC 2617 §3.2.2 lists each directive once; two different values would make "which one was hashed" ambiguous.
      if (params.has(key)) return null;
      params.set(key, paramValue);
      cur.skipSpace();
      if (cur.done) break;
      if (cur.peek() !== ',') return null;
      while (cur.peek() === ',' || /[ \t]/.test(cur.peek())) cur.index += 1;
      if (cur.done) break;
      // Either "name=" (same credentials) or "Scheme param=..." (the next header's credentials).
      const mark = cur.index;
      const word = cur.token();
      if (word === null) return null;
      const hadSpace = cur.skipSpace();
      if (cur.peek() === '=') {
        cur.index = mark;
        continue;
      }
      if (!hadSpace) return null;
      cur.index = mark;
      nextScheme = cur.token();
      break;
    }
    result.push({ scheme, params });
    scheme = nextScheme;
  }
  return result;
}

/**
 * Reads the Digest credentials meant for `realm` out of an Authorization
 * header value (RFC 2617 §3.2.2, RFC 3261 §22.4), checking every directive the
 * verification depends on.
 */
export function readDigestCredentials(header: string | undefined, realm: string): CredentialsVerdict {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const parsed = parseAuthorizationHeader(header);
  if (parsed === null) return { kind: 'malformed', detail: 'Authorization header does not follow the grammar' };
  const digest = parsed.filter((c) => c.scheme.toLowerCase() === 'digest');
  if (digest.length === 0) return { kind: 'unsupported', detail: 'no Digest credentials' };
  const mine = digest.find((c) => c.params.get('realm') === realm);
  if (!mine) return { kind: 'unsupported', detail: 'credentials are for another realm' };
  const p = mine.params;
  for (const required of ['username', 'nonce', 'uri', 'response']) {
    if (!p.get(required)) return { kind: 'malformed', detail: `missing ${required}` };
  }
  const response = p.get('response') as string;
  if (!/^[0-9a-fA-F]{32}$/.test(response)) return { kind: 'malformed', detail: 'response is not 32 hex digits' };
  const algorithm = p.get('algorithm');
  if (algorithm !== undefined && algorithm.toLowerCase() !== 'md5') return { kind: 'unsupported', detail: `algorithm ${algorithm}` };
  const qop = p.get('qop');
  // RFC 2617 §3.2.2: a client answering a challenge that offered qop MUST send qop, cnonce and nc.
  if (qop === undefined) return { kind: 'unsupported', detail: 'no qop (RFC 2069 style digest is not accepted)' };
  if (qop.toLowerCase() !== 'auth') return { kind: 'unsupported', detail: `qop ${qop}` };
  const ncHex = p.get('nc');
  const cnonce = p.get('cnonce');
  if (ncHex === undefined || !/^[0-9a-fA-F]{8}$/.test(ncHex)) return { kind: 'malformed', detail: 'nc is not 8 hex digits' };
  if (!cnonce) return { kind: 'malformed', detail: 'missing cnonce' };
  const nc = Number.parseInt(ncHex, 16);
  if (nc === 0) return { kind: 'malformed', detail: 'nc must start at 00000001' };
  return {
    kind: 'ok',
    credentials: {
      username: p.get('username') as string,
      realm,
      nonce: p.get('nonce') as string,
      uri: p.get('uri') as string,
      response: response.toLowerCase(),
      qop: 'auth',
      nc,
      ncHex,
      cnonce,
      opaque: p.get('opaque') ?? null,
    },
  };
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * request-digest for qop=auth (RFC 2617 §3.2.2.1):
 * KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2) with HA2 = MD5(method ":" digest-uri) (§3.2.2.3).
 */
export function expectedDigestResponse(input: { ha1: string; method: string; uri: string; nonce: string; ncHex: string; cnonce: string; qop: 'auth' }): string {
  const ha2 = md5(`${input.method}:${input.uri}`);
  return md5(`${input.ha1.toLowerCase()}:${input.nonce}:${input.ncHex}:${input.cnonce}:${input.qop}:${ha2}`);
}

/**
 * True when `credentials.response` is what someone knowing HA1 would send.
 * Always does the same work and compares in constant time, so that the time
 * taken says nothing about how close a guess was.
 */
export function digestMatches(credentials: DigestCredentials, ha1: string, method: string): boolean {
  const expected = Buffer.from(expectedDigestResponse({ ha1, method, ...credentials }), 'utf8');
  const given = Buffer.from(credentials.response, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
