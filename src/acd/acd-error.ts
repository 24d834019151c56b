import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../errors/app-error';

// Lua raises `ACD|<code>|<message>|`; Redis appends where in the script it happened.
const LUA_ERROR = /ACD\|([A-Z_]+)\|([^|]*)\|/;

function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

/**
 * Maps a failure of an ACD script call to the error catalogue: refusals the
 * scripts raise on purpose keep their code (ILLEGAL_TRANSITION, NOT_FOUND,
 * CONFLICT…); other Redis replies are bugs (INTERNAL); anything else means
 * Redis could not be reached (DEPENDENCY_DOWN).
 */
export function toAcdError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const match = LUA_ERROR.exec(message);
  if (match) {
    const code = match[1] ?? 'INTERNAL';
    return new AppError(isErrorCode(code) ? code : 'INTERNAL', match[2] ?? message, [], { cause: err });
  }
  if (err instanceof Error && err.name === 'ReplyError') return new AppError('INTERNAL', `ACD script failed: ${message}`, [], { cause: err });
  return new AppError('DEPENDENCY_DOWN', `Redis is unavailable: ${message}`, [], { cause: err });
}
