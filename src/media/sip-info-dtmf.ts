import { digitFromEventCode, parseDigitChar, type DtmfDigit } from './dtmf-event';

/**
 * The body of a SIP INFO request (RFC 6086) carrying a key press, pure. Two
 * body types are in use, neither standardised by an RFC:
 *
 * - `application/dtmf-relay` (Cisco, sip.js's default): `Signal=5` and
 *   `Duration=160` lines; `Signal` may also be an RFC 4733 event code
 *   (`10` for `*`, `11` for `#`).
 * - `application/dtmf`: the key alone, e.g. `5` (or its event code).
 */

/** A digit read from an INFO body. */
export interface SipInfoDigit {
  digit: DtmfDigit;
  durationMs?: number;
}

/** Why an INFO body is not a digit. `unsupported-type` is for 415, `malformed` for 400. */
export interface SipInfoRejection {
  error: 'unsupported-type' | 'malformed';
  detail: string;
}

/** A Signal value: one key character, or an RFC 4733 event code 0–15. */
function signalDigit(text: string): DtmfDigit | null {
  const value = text.trim();
  if (value.length === 1) return parseDigitChar(value);
  return /^\d{1,2}$/.test(value) ? digitFromEventCode(Number(value)) : null;
}

/**
 * Parses an INFO body by its Content-Type (parameters such as `charset` and
 * letter case are ignored).
 */
export function parseSipInfoDtmf(contentType: string, body: string): SipInfoDigit | SipInfoRejection {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/dtmf') {
    const digit = signalDigit(body);
    return digit ? { digit } : { error: 'malformed', detail: `application/dtmf body ${JSON.stringify(body.slice(0, 40))} is not one key` };
  }
  if (type !== 'application/dtmf-relay') return { error: 'unsupported-type', detail: `Content-Type ${type || '(none)'} does not carry DTMF` };
  let digit: DtmfDigit | null = null;
  let durationMs: number | undefined;
  for (const line of body.split(/\r?\n/)) {
    const separator = line.indexOf('=');
    if (separator < 0) continue;
    const key = line.slice(0, separator).trim().toLowerCase();
    const value = line.slice(separator + 1).trim();
    if (key === 'signal') {
      digit = signalDigit(value);
      if (!digit) return { error: 'malformed', detail: `Signal=${value.slice(0, 20)} is not a DTMF key` };
    } else if (key === 'duration' && /^\d+$/.test(value)) {
      durationMs = Number(value);
    }
  }
  if (!digit) return { error: 'malformed', detail: 'application/dtmf-relay body has no Signal line' };
  return durationMs === undefined ? { digit } : { digit, durationMs };
}
