/**
 * Reading the Contact header of a REGISTER (RFC 3261 §20.10, grammar in
 * §25.1) without trusting it: anything unexpected is `null`, answered with
 * 400, never an exception. drachtio-srf's own parser throws on some malformed
 * values and is not used for this reason.
 */

export interface ContactEntry {
  /** The URI as sent, without angle brackets: what an INVITE to this device targets. */
  uri: string;
  displayName: string | null;
  /** Header parameters (after the `>`), names lower-cased; a flag parameter has value null. */
  params: Map<string, string | null>;
  /** RFC 3261 §10.2.1.1 `expires` parameter, when present. */
  expires: number | null;
  /** RFC 5626 §4.1 / RFC 5627 `+sip.instance` (the `<urn:…>` value without quotes), when present. */
  instanceId: string | null;
  /** RFC 5626 §4.2 `reg-id`, when present. */
  regId: number | null;
}

export type ContactHeader = { kind: 'wildcard' } | { kind: 'list'; entries: ContactEntry[] };

const MAX_CONTACT_HEADER = 8192;
const MAX_CONTACTS = 20;

/** Splits at `separator` outside quoted strings and angle brackets. Null when quotes or brackets do not close. */
function splitTopLevel(text: string, separator: string): string[] | null {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  let inAngle = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (inQuotes) {
      current += c;
      if (c === '\\' && i + 1 < text.length) {
        current += text.charAt(i + 1);
        i += 1;
      } else if (c === '"') {
        inQuotes = false;
      }
      continue;
    }
    if (c === '"') inQuotes = true;
    else if (c === '<') {
      if (inAngle) return null;
      inAngle = true;
    } else if (c === '>') {
      if (!inAngle) return null;
      inAngle = false;
    } else if (c === separator && !inAngle) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (inQuotes || inAngle) return null;
  parts.push(current);
  return parts;
}

function unquote(value: string): string | null {
  if (!value.startsWith('"')) return value;
  if (value.length < 2 || !value.endsWith('"')) return null;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const SIP_URI = /^sips?:[^\s<>"]+$/i;

function parseEntry(raw: string): ContactEntry | null {
  const text = raw.trim();
  if (text === '') return null;
  let displayName: string | null = null;
  let uri: string;
  let rest: string;
  // A quoted display name may itself contain '<': look for the bracket after it.
  let nameEnd = 0;
  if (text.startsWith('"')) {
    const closing = /^"(?:[^"\\]|\\.)*"/.exec(text);
    if (!closing) return null;
    nameEnd = closing[0].length;
  }
  const open = text.indexOf('<', nameEnd);
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return null;
    const name = text.slice(0, open).trim();
    if (name !== '') {
      const unquoted = unquote(name);
      if (unquoted === null) return null;
      displayName = unquoted;
    }
    uri = text.slice(open + 1, close).trim();
    rest = text.slice(close + 1);
  } else {
    // RFC 3261 §20.10: without angle brackets, everything after the first ';' is header parameters.
    const semi = text.indexOf(';');
    uri = semi < 0 ? text : text.slice(0, semi).trim();
    rest = semi < 0 ? '' : text.slice(semi);
  }
  if (!SIP_URI.test(uri) || uri.length > 512) return null;
  const params = new Map<string, string | null>();
  const trimmedRest = rest.trim();
  if (trimmedRest !== '') {
    if (!trimmedRest.startsWith(';')) return null;
    const pieces = splitTopLevel(trimmedRest.slice(1), ';');
    if (pieces === null) return null;
    for (const piece of pieces) {
      const eq = piece.indexOf('=');
      const name = (eq < 0 ? piece : piece.slice(0, eq)).trim().toLowerCase();
      if (!TOKEN.test(name)) return null;
      if (eq < 0) {
        params.set(name, null);
        continue;
      }
      const value = unquote(piece.slice(eq + 1).trim());
      if (value === null) return null;
      params.set(name, value);
    }
  }
  const expiresText = params.get('expires');
  let expires: number | null = null;
  if (expiresText !== undefined) {
    if (expiresText === null || !/^\d{1,10}$/.test(expiresText)) return null;
    expires = Number(expiresText);
  }
  const regIdText = params.get('reg-id');
  let regId: number | null = null;
  if (regIdText !== undefined && regIdText !== null) {
    if (!/^\d{1,10}$/.test(regIdText)) return null;
    regId = Number(regIdText);
  }
  const instance = params.get('+sip.instance');
  const instanceId = instance ? instance.replace(/^<(.*)>$/, '$1') : null;
  return { uri, displayName, params, expires, instanceId, regId };
}

/** Parses a Contact header value; several Contact headers arrive joined by commas. */
export function parseContactHeader(value: string): ContactHeader | null {
  if (value.length > MAX_CONTACT_HEADER) return null;
  if (value.trim() === '*') return { kind: 'wildcard' };
  const pieces = splitTopLevel(value, ',');
  if (pieces === null || pieces.length > MAX_CONTACTS) return null;
  const entries: ContactEntry[] = [];
  for (const piece of pieces) {
    const entry = parseEntry(piece);
    if (entry === null) return null;
    entries.push(entry);
  }
  return { kind: 'list', entries };
}

/** Parses an Expires header (RFC 3261 §20.19: delta-seconds). Null when it is not one. */
export function parseExpiresHeader(value: string): number | null {
  const text = value.trim();
  return /^\d{1,10}$/.test(text) ? Number(text) : null;
}

/**
 * The identity of a binding: two Contact URIs naming the same device give the
 * same key (RFC 3261 §10.3 step 7 compares with the §19.1.4 rules: scheme and
 * host case-insensitive, user case-sensitive, and the transport, user, maddr,
 * ttl and method parameters significant; other parameters ignored).
 */
export function bindingKey(uri: string): string {
  const match = /^(sips?):(?:([^@]*)@)?([^;?]*)([^?]*)/i.exec(uri);
  if (!match) return uri;
  const [, scheme = '', user = '', hostPort = '', paramText = ''] = match;
  const significant = ['transport', 'user', 'maddr', 'ttl', 'method'];
  const params = paramText
    .split(';')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const name = (eq < 0 ? p : p.slice(0, eq)).toLowerCase();
      return [name, eq < 0 ? '' : p.slice(eq + 1).toLowerCase()] as const;
    })
    .filter(([name]) => significant.includes(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, v]) => `;${name}=${v}`)
    .join('');
  return `${scheme.toLowerCase()}:${user === '' ? '' : `${user}@`}${hostPort.toLowerCase()}${params}`;
}

/** The SIP user of a To/From header value (RFC 3261 §20.39), or null when there is none. */
export function addressUser(value: string): string | null {
  const open = value.indexOf('<');
  let uri: string;
  if (open >= 0) {
    const close = value.indexOf('>', open);
    if (close < 0) return null;
    uri = value.slice(open + 1, close);
  } else {
    uri = value.split(';')[0] ?? '';
  }
  const match = /^\s*sips?:([^@;?>]+)@/i.exec(uri);
  if (!match?.[1]) return null;
  try {
    // RFC 3261 §19.1.4: escaped and unescaped user characters are equivalent.
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}
