import { digitFromEventCode, type DtmfDigit } from './dtmf-event';

/**
 * rtpengine's DTMF log datagram (`--dtmf-log-dest`), pure. rtpengine sends one
 * JSON object per completed RFC 4733 event, e.g.
 * `{"callid":"…","source_tag":"caller","tags":["ivr","caller"],"type":"DTMF",
 * "timestamp":1700000000,"source_ip":"…","event":5,"duration":120,"volume":10}`
 * (design §7; rtpengine daemon/dtmf.c). It prints the call id and tags
 * without JSON escaping, so a Call-ID with a quote or backslash makes the
 * datagram unreadable: those are reported as unparsable, not guessed at.
 */

/** One digit as rtpengine reported it. */
export interface RtpengineDtmfReport {
  callId: string;
  sourceTag: string;
  digit: DtmfDigit;
  /** Milliseconds the key was held (the event's duration field). */
  durationMs: number;
}

/** A datagram that is not a DTMF digit, with the reason. */
export interface RtpengineDtmfRejection {
  error: string;
}

/** Parses one datagram from rtpengine's DTMF log socket. */
export function parseRtpengineDtmfLog(datagram: Buffer | string): RtpengineDtmfReport | RtpengineDtmfRejection {
  let value: unknown;
  try {
    value = JSON.parse(typeof datagram === 'string' ? datagram : datagram.toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  const fields = value as Record<string, unknown>;
  if (fields.type !== 'DTMF') return { error: `type is ${JSON.stringify(fields.type)}, not "DTMF"` };
  if (typeof fields.callid !== 'string' || fields.callid === '') return { error: 'no callid' };
  if (typeof fields.source_tag !== 'string') return { error: 'no source_tag' };
  if (typeof fields.event !== 'number') return { error: 'no event code' };
  const digit = digitFromEventCode(fields.event);
  if (!digit) return { error: `event ${fields.event} is not a DTMF digit` };
  const durationMs = typeof fields.duration === 'number' && Number.isFinite(fields.duration) && fields.duration >= 0 ? fields.duration : 0;
  return { callId: fields.callid, sourceTag: fields.source_tag, digit, durationMs };
}
