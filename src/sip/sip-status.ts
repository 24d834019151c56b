import { ERROR_CATALOGUE, isAppError } from '../errors/app-error';

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
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  484: 'Address Incomplete',
  486: 'Busy Here',
  500: 'Server Internal Error',
  503: 'Service Unavailable',
  603: 'Decline',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Request Failed' : 'OK');
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN', '57P01', '57P03', '08006', '08001']);

/** Redis or Postgres out of reach: ioredis and pg report it with these shapes. */
function isDependencyDown(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return err.name === 'MaxRetriesPerRequestError' || /Connection is closed|Stream isn't writeable|Connection terminated|timeout exceeded when trying to connect/i.test(err.message);
}

/**
 * The final response for an error thrown while handling a request: the
 * catalogue's SIP status for an AppError; 503 with Retry-After when a backing
 * service is down (RFC 3261 §21.5.4: the client may retry elsewhere or later);
 * 500 for anything else.
 */
export function sipFailureFor(err: unknown): SipFailure {
  let status: number;
  if (isAppError(err)) status = ERROR_CATALOGUE[err.code].sip;
  else if (isDependencyDown(err)) status = 503;
  else status = 500;
  return { status, reason: reasonPhrase(status), headers: status === 503 ? { 'Retry-After': '10' } : {} };
}
