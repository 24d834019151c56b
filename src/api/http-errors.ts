import type { FastifyError } from 'fastify';
import { AppError, type ErrorDetail } from '../errors/app-error';

interface PgError {
  code: string;
  detail?: string;
  constraint?: string;
  column?: string;
  table?: string;
}

function isPgError(err: unknown): err is PgError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * The single mapping from anything thrown in a request to an AppError
 * (design §8: one catalogue, one mapping per boundary).
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const fastifyError = err as FastifyError & { validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>; validationContext?: string };
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'body';
    const details: ErrorDetail[] = fastifyError.validation.map((v) => {
      const extra = typeof v.params?.additionalProperty === 'string' ? ` ('${v.params.additionalProperty}')` : v.params?.allowedValues ? ` (${(v.params.allowedValues as unknown[]).join(', ')})` : '';
      const missing = typeof v.params?.missingProperty === 'string' ? `/${v.params.missingProperty}` : '';
      const path = `${where}${v.instancePath}${missing}`;
      return { path, message: `${path} ${v.message ?? 'is invalid'}${extra}` };
    });
    return new AppError('VALIDATION_FAILED', details.map((d) => d.message).join('; '), details);
  }
  if (fastifyError.statusCode === 415 || fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('VALIDATION_FAILED', `unsupported content type: ${fastifyError.message}`);
  }
  if (fastifyError.statusCode === 400 || fastifyError.statusCode === 413) {
    return new AppError('VALIDATION_FAILED', fastifyError.message);
  }
  if (isPgError(err)) {
    const detail = err.detail ?? '';
    switch (err.code) {
      case '23505':
        return new AppError('CONFLICT', `already exists: ${detail || err.constraint}`, [{ message: detail || String(err.constraint) }]);
      case '23503':
        return /still referenced/.test(detail)
          ? new AppError('REFERENCE_IN_USE', `still in use: ${detail}`, [{ message: detail }])
          : new AppError('VALIDATION_FAILED', `refers to a record that does not exist: ${detail}`, [{ message: detail }]);
      case '23514':
      case '22P02':
      case '22007':
      case '22008':
      case '23502':
        return new AppError('VALIDATION_FAILED', `rejected by the database: ${detail || err.constraint || err.column || err.code}`);
      case '57P01':
      case '57P03':
      case '08006':
      case '08001':
        return new AppError('DEPENDENCY_DOWN', 'the database is unavailable; try again shortly');
    }
  }
  const code = (err as { code?: string }).code;
  if ((code && CONNECTION_ERRORS.has(code)) || /Connection terminated|timeout exceeded when trying to connect/i.test((err as Error).message ?? '')) {
    return new AppError('DEPENDENCY_DOWN', 'a backing service is unavailable; try again shortly', [], { cause: err });
  }
  return new AppError('INTERNAL', 'unexpected failure', [], { cause: err });
}
