/**
 * A DTMF digit pressed on a call, whichever way it arrived: RFC 4733
 * telephone-events in the RTP stream (reported by rtpengine's DTMF log) or a
 * SIP INFO request.
 */

/** The sixteen DTMF keys (RFC 4733 §3.2, events 0–15). */
export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** How a digit reached us. */
export type DtmfSource = 'rfc4733' | 'sip-info';

/** One key press. */
export interface DtmfEvent {
  callId: string;
  digit: DtmfDigit;
  /**
   * The tag of the leg that sent it. For RFC 4733 this is rtpengine's
   * `source_tag` — the monologue that received the packets (see
   * MediaSession.roleOfTag for mapping it to caller or agent); for SIP INFO,
   * what the SIP layer passes.
   */
  sourceTag: string;
  /** When it was received, ms since the UNIX epoch (the listener's clock). */
  at: number;
  source: DtmfSource;
  /** How long the key was held, when the sender said so. */
  durationMs?: number;
}

/** RFC 4733 §3.2 event codes 0–15, in order. */
const DIGITS: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** The digit of an RFC 4733 event code, or null for codes outside the DTMF range (flash hook, tones). */
export function digitFromEventCode(code: number): DtmfDigit | null {
  return Number.isInteger(code) && code >= 0 && code < DIGITS.length ? (DIGITS[code] ?? null) : null;
}

/** The RFC 4733 event code of a digit. */
export function eventCodeOfDigit(digit: DtmfDigit): number {
  return DIGITS.indexOf(digit);
}

/** A single key character as a digit (`a`–`d` accepted in either case), or null. */
export function parseDigitChar(text: string): DtmfDigit | null {
  const upper = text.toUpperCase();
  return (DIGITS as readonly string[]).includes(upper) ? (upper as DtmfDigit) : null;
}
