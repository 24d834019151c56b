import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';

/** Enough differences to see which field is missing, not a page of them. */
const MAX_REPORTED = 5;

/** Where two JSON values differ, as paths (`items[0].clientName`), at most `limit` of them. */
export function jsonDifferences(sent: unknown, written: unknown, limit = MAX_REPORTED, path = ''): string[] {
  if (Object.is(sent, written)) return [];
  if (Array.isArray(sent) && Array.isArray(written)) {
    const out: string[] = sent.length === written.length ? [] : [`${path || '.'} (${sent.length} items sent, ${written.length} written)`];
    for (let i = 0; i < Math.min(sent.length, written.length) && out.length < limit; i++) out.push(...jsonDifferences(sent[i], written[i], limit - out.length, `${path}[${i}]`));
    return out.slice(0, limit);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(sent) && isObject(written)) {
    const out: string[] = [];
    for (const key of new Set([...Object.keys(sent), ...Object.keys(written)])) {
      if (out.length >= limit) break;
      const at = path ? `${path}.${key}` : key;
      if (!(key in written)) out.push(`${at} (dropped)`);
      else if (!(key in sent)) out.push(`${at} (added)`);
      else out.push(...jsonDifferences(sent[key], written[key], limit - out.length, at));
    }
    return out;
  }
  return [`${path || '.'} (${JSON.stringify(sent)} sent, ${JSON.stringify(written)} written)`];
}

/**
 * fastify writes a response through its schema (fast-json-stringify), which
 * silently drops every property the schema does not declare and truncates a
 * fraction declared as an integer: a route and its schema that drift apart
 * break the browser apps without an error anywhere. Run under test, this
 * compares each JSON answer as written with what the route handed over and
 * turns a difference into a 500 naming the fields, so the API and browser
 * tests fail at the cause. Not for production: it serialises every answer twice.
 */
export function checkResponseContracts(app: FastifyInstance): void {
  const handedOver = new WeakMap<FastifyRequest, string>();
  app.addHook('preSerialization', async (request, _reply, payload: unknown) => {
    handedOver.set(request, JSON.stringify(payload));
    return payload;
  });
  app.addHook('onSend', async (request, _reply, payload: unknown) => {
    const sent = handedOver.get(request);
    handedOver.delete(request);
    if (sent === undefined || typeof payload !== 'string') return payload;
    const differences = jsonDifferences(JSON.parse(sent), JSON.parse(payload));
    if (differences.length > 0) {
      throw new AppError('INTERNAL', `the response schema of ${request.method} ${request.routeOptions.url ?? request.url} does not match what the route sends: ${differences.join('; ')}`);
    }
    return payload;
  });
}
