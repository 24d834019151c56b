/**
 * The one error catalogue (design §8). Every failure the system reports on
 * purpose has a code here; the HTTP boundary (src/api) and the SIP boundary
 * (src/sip) each map codes to their own status in exactly one place.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { http: 400, sip: 400, summary: 'the request does not match its schema' },
  BAD_PHONE_NUMBER: { http: 400, sip: 484, summary: 'the phone number cannot be read' },
  BAD_CSV: { http: 400, sip: 400, summary: 'the CSV file cannot be read' },
  BAD_AUDIO: { http: 400, sip: 400, summary: 'the audio file cannot be read or is outside the accepted limits' },
  UNAUTHENTICATED: { http: 401, sip: 401, summary: 'no valid credentials' },
  TOO_MANY_ATTEMPTS: { http: 429, sip: 403, summary: 'too many failed attempts: wait for the time Retry-After names, then try again' },
  FORBIDDEN: { http: 403, sip: 403, summary: 'the role does not allow this' },
  // Issue 15: the outbound destination policy (routing/outbound-policy.ts); the details name its reason code.
  DESTINATION_NOT_ALLOWED: { http: 403, sip: 403, summary: 'the number may not be dialled from here (denied prefix, international, premium rate, no dial-out right)' },
  CALL_LIMIT_REACHED: { http: 429, sip: 403, summary: 'this person already has as many outbound calls as one may have at once' },
  NOT_FOUND: { http: 404, sip: 404, summary: 'no such record' },
  CONFLICT: { http: 409, sip: 409, summary: 'the change conflicts with existing data' },
  ILLEGAL_TRANSITION: { http: 409, sip: 409, summary: 'the state machine does not allow this move now' },
  REFERENCE_IN_USE: { http: 409, sip: 409, summary: 'the record is still referenced' },
  NO_STAFF: { http: 409, sip: 403, summary: 'the user account is not linked to a staff member (no phone, no agent)' },
  NO_DEVICE: { http: 409, sip: 480, summary: 'the staff member has no registered phone to ring' },
  NO_TRUNK: { http: 503, sip: 503, summary: 'no SIP trunk is configured for outbound calls' },
  DEPENDENCY_DOWN: { http: 503, sip: 503, summary: 'a backing service is unavailable' },
  SHUTTING_DOWN: { http: 503, sip: 503, summary: 'this process is shutting down: another one, or this one once restarted, takes the request' },
  // Issue 16: refused at the door so that the calls already admitted keep their media (sip/overload/admission.ts).
  OVERLOADED: { http: 503, sip: 503, summary: 'this process is taking as many calls as it can carry: try again after Retry-After, or another one' },
  // Mostly met at the SIP edge (RFC 3261 §21), each with the HTTP status an API would use for the same thing.
  NOT_A_TRUNK: { http: 403, sip: 403, summary: 'the request came from an address that is not a SIP trunk' },
  BAD_SIP_REQUEST: { http: 400, sip: 400, summary: 'the SIP request is malformed (a missing tag, an unreadable header)' },
  NO_ACCEPTABLE_MEDIA: { http: 415, sip: 488, summary: 'the request carries no media description that can be accepted here' },
  UNSUPPORTED_BODY: { http: 415, sip: 415, summary: 'the request body is of a type this endpoint does not take (see its Accept header)' },
  REQUEST_PENDING: { http: 409, sip: 491, summary: 'another offer is outstanding on this call (retry after a moment)' },
  NO_SUCH_DIALOG: { http: 404, sip: 481, summary: 'no such call leg or transaction' },
  BUSY: { http: 409, sip: 486, summary: 'the person called is busy' },
  FLOW_INVALID: { http: 400, sip: 606, summary: 'the IVR flow does not pass the validator: it will not be accepted anywhere as it is' },
  // Issue 18: listening to, whispering into and barging into live calls.
  CALL_NOT_LIVE: { http: 409, sip: 481, summary: 'the call is not in progress (ended, not answered yet, or on another Switchboard process)' },
  MONITOR_MODE_UNSUPPORTED: { http: 501, sip: 488, summary: 'this monitoring mode cannot be carried by the media engine as deployed (see the details)' },
  INTERNAL: { http: 500, sip: 500, summary: 'unexpected failure' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorDetail {
  /** Where the problem is: a JSON path, a CSV line, a config key. */
  path?: string;
  line?: number;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code].http;
  }

  get sipStatus(): number {
    return ERROR_CATALOGUE[this.code].sip;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
