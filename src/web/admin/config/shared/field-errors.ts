import type { ApiError } from '../../../shared/api-client';

/**
 * The server names a bad field as `body/fullName`, `/sipPassword` or
 * `querystring/text`; forms want `fullName`. Errors without a field stay in
 * the banner.
 */
export function fieldErrors(error: ApiError | null): Record<string, string> {
  const result: Record<string, string> = {};
  if (!error) return result;
  for (const detail of error.details) {
    if (!detail.path) continue;
    const field = detail.path.replace(/^(body|querystring|params)/, '').replace(/^\//, '').split('/')[0];
    if (!field) continue;
    // Fastify's messages repeat the path ("body/fullName must NOT have fewer…"): keep the words only.
    const message = detail.message.startsWith(detail.path) ? detail.message.slice(detail.path.length).trim() : detail.message;
    result[field] = result[field] ? `${result[field]}; ${message}` : message;
  }
  return result;
}
