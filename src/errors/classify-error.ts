import { AppError } from './app-error';

/**
 * The one classifier of what is thrown into the error catalogue (design §8),
 * used by both edges: the HTTP boundary (api/http-errors.ts) and the SIP
 * boundary (sip/sip-status.ts) only map its result to their status. It knows
 * the shapes pg, ioredis and Node's sockets throw, without importing them.
 */

/** Socket-level failures: the service is not there (or not answering). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Postgres SQLSTATEs that mean "unavailable, try again", not "your request is wrong":
 * class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now),
 * 57014 (statement cancelled: statement_timeout), 53300 (too many connections).
 */
const POSTGRES_UNAVAILABLE = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '57014', '53300']);

/** What ioredis and pg say when their connection is gone, in messages only. */
const CONNECTION_MESSAGES = /Connection is closed|Stream isn't writeable|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

interface CodedError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint?: unknown;
  column?: unknown;
}

function codeOf(err: unknown): string | null {
  const code = typeof err === 'object' && err !== null ? (err as CodedError).code : undefined;
  return typeof code === 'string' ? code : null;
}

/** Redis, Postgres or another backing service out of reach, whoever reports it. */
export function isBackingServiceDown(err: unknown): boolean {
  // By shape, not instanceof: Node's sockets throw errors of their own realm (a test VM's Error is another class).
  if (typeof err !== 'object' || err === null) return false;
  const { name, message } = err as CodedError;
  const code = codeOf(err);
  if (code !== null && (CONNECTION_CODES.has(code) || POSTGRES_UNAVAILABLE.has(code))) return true;
  return name === 'MaxRetriesPerRequestError' || (typeof message === 'string' && CONNECTION_MESSAGES.test(message));
}

/** A Postgres error about the data (SQLSTATE: five characters, digits and capitals). */
function postgresDataError(err: unknown): AppError | null {
  const code = codeOf(err);
  if (code === null || !/^[0-9A-Z]{5}$/.test(code)) return null;
  const e = err as CodedError;
  const detail = typeof e.detail === 'string' ? e.detail : '';
  const constraint = typeof e.constraint === 'string' ? e.constraint : '';
  const column = typeof e.column === 'string' ? e.column : '';
  switch (code) {
    case '23505':
      return new AppError('CONFLICT', `already exists: ${detail || constraint}`, [{ message: detail || constraint }]);
    case '23503':
      return /still referenced/.test(detail)
        ? new AppError('REFERENCE_IN_USE', `still in use: ${detail}`, [{ message: detail }])
        : new AppError('VALIDATION_FAILED', `refers to a record that does not exist: ${detail}`, [{ message: detail }]);
    case '23514':
    case '22P02':
    case '22007':
    case '22008':
    case '23502':
      return new AppError('VALIDATION_FAILED', `rejected by the database: ${detail || constraint || column || code}`);
    default:
      return null;
  }
}

/** Anything thrown → the catalogue's error: an AppError as it is, a backing service down, bad data, else INTERNAL. */
export function classifyError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isBackingServiceDown(err)) return new AppError('DEPENDENCY_DOWN', 'a backing service is unavailable; try again shortly', [], { cause: err });
  return postgresDataError(err) ?? new AppError('INTERNAL', 'unexpected failure', [], { cause: err });
}
