import { ERROR_CATALOGUE, type ErrorCode } from '../errors/app-error';
import { classifyError } from '../errors/classify-error';

/**
 * The SIP boundary of the error catalogue (design §8): every failure a SIP
 * handler did not answer on purpose becomes a final response here, and only
 * here.
 */
export interface SipFailure {
  status: number;
  reason: string;
  headers: Record<string, string>;
}

/** RFC 3261 §21 reason phrases for the statuses Switchboard sends. */
const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  484: 'Address Incomplete',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  503: 'Service Unavailable',
  603: 'Decline',
  606: 'Not Acceptable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Request Failed' : 'OK');
}

/**
 * The final response for an error thrown while handling a request: the
 * catalogue's SIP status of what the shared classifier makes of it; 503 with
 * Retry-After when a backing service is down (RFC 3261 §21.5.4: the client may
 * retry elsewhere or later); 500 for anything else.
 */
export function sipFailureFor(err: unknown): SipFailure {
  const status = classifyError(err).sipStatus;
  return { status, reason: reasonPhrase(status), headers: status === 503 ? { 'Retry-After': '10' } : {} };
}

/**
 * The final response refusing a request on purpose: the catalogue's SIP
 * status for `code`, its reason phrase, and what was wrong in parentheses
 * (what a phone can show), e.g. `400 Bad Request (missing From tag)`.
 */
export function sipRefusal(code: ErrorCode, why?: string): SipFailure {
  const status = ERROR_CATALOGUE[code].sip;
  return { status, reason: why ? `${reasonPhrase(status)} (${why})` : reasonPhrase(status), headers: status === 503 ? { 'Retry-After': '10' } : {} };
}

/**
 * What an INVITE carries as its offer (RFC 3261 §13.2.1, RFC 3264): an SDP
 * body, nothing (a delayed offer: the offer is due in our 200 OK), or a body
 * of another type (ISUP in multipart, a typo), which gets 415 with Accept.
 */
export function inviteOfferKind(contentType: string | undefined, body: string | undefined): 'sdp' | 'none' | 'other' {
  if (body === undefined || body.trim() === '') return 'none';
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  // RFC 3261 §20.15 wants a Content-Type with every body; a peer that leaves it out but sends SDP is taken at its word.
  if (type === 'application/sdp' || (type === '' && /^\s*v=0/.test(body))) return 'sdp';
  return 'other';
}

/** Sends sipRefusal(code, why) as the final response. */
export function refuse(res: { send(status: number, reason: string, options: { headers: Record<string, string> }): void }, code: ErrorCode, why?: string, headers: Record<string, string> = {}): void {
  const refusal = sipRefusal(code, why);
  res.send(refusal.status, refusal.reason, { headers: { ...refusal.headers, ...headers } });
}
