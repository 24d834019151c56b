import { AppError } from '../errors/app-error';

/**
 * The position after the last call of a call-log page: its start (at the
 * database's microsecond precision, as text) and its id. Keyset pagination on
 * (started_at, id) descending: pages stay stable while new calls arrive, and
 * page 1,000 costs what page 1 costs.
 */
export interface CallLogPosition {
  /** started_at as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly startedAt: string;
  readonly id: string;
}

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The opaque cursor a client sends back for the next page. */
export function encodeCallLogCursor(position: CallLogPosition): string {
  return Buffer.from(`${position.startedAt}|${position.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor; VALIDATION_FAILED when it is not one this API issued. */
export function decodeCallLogCursor(cursor: string): CallLogPosition {
  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) {
    throw new AppError('VALIDATION_FAILED', 'querystring/cursor is not a cursor from a previous page', [{ path: 'querystring/cursor', message: 'not a cursor from a previous page' }]);
  }
  return { startedAt: match[1], id: match[2] };
}
