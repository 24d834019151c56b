import type { FastifyError } from 'fastify';
import { AppError, type ErrorDetail } from '../errors/app-error';
import { classifyError } from '../errors/classify-error';

/**
 * The HTTP edge's mapping from anything thrown in a request to an AppError
 * (design §8: one catalogue, one mapping per boundary): fastify's own
 * request errors here, the rest by the shared classifier.
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
  // Everything else (backing services down, Postgres data errors, bugs): the one classifier both edges share.
  return classifyError(err);
}
