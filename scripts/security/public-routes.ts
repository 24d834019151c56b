/**
 * The reviewed list of what answers callers without credentials. Every other
 * route must refuse them (401, or 404/405 for what is not there): the scan
 * fails on any route that serves an anonymous caller and is not listed here,
 * and on a listed route answering with a status it is not listed with.
 * Add a route here only after deciding it is meant to be public.
 */
export interface PublicRoute {
  method: string;
  /** As documented (`/api/auth/login`), or a concrete URL for the routes outside the document. */
  path: string;
  /** The statuses an anonymous caller from outside the monitoring networks may get. */
  statuses: readonly number[];
  why: string;
}

export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  { method: 'GET', path: '/healthz', statuses: [200], why: 'liveness for load balancers: {"status":"ok"} only' },
  { method: 'GET', path: '/readyz', statuses: [200, 503], why: 'readiness verdict only; the components are for the monitoring networks or token' },
  { method: 'GET', path: '/metrics', statuses: [403], why: 'public route that refuses everyone outside the monitoring networks and without the monitoring token' },
  { method: 'GET', path: '/ca.crt', statuses: [200, 404], why: 'the local CA certificate PCs install to trust the site (404 with TLS off)' },
  { method: 'GET', path: '/ca', statuses: [200, 404], why: 'how to install that CA (404 with TLS off)' },
  { method: 'POST', path: '/api/auth/login', statuses: [400, 401, 413, 429], why: 'the login itself: never 200 without the right password' },
];

/**
 * Routes the OpenAPI document does not list (hidden from it, or served by a
 * plugin), checked without credentials all the same. `statuses` empty: the
 * route must refuse (401/404/405) like any other.
 */
export const ROUTES_OUTSIDE_DOCUMENT: readonly PublicRoute[] = [
  { method: 'GET', path: '/docs', statuses: [200, 302], why: 'API documentation (Swagger UI)' },
  { method: 'GET', path: '/docs/json', statuses: [200], why: 'the OpenAPI document itself' },
  { method: 'GET', path: '/', statuses: [302], why: 'redirects to the softphone' },
  { method: 'GET', path: '/softphone/', statuses: [200, 503], why: 'the softphone web app (it logs in through the API); 503 when not built' },
  { method: 'GET', path: '/admin/', statuses: [200, 503], why: 'the admin web app (it logs in through the API); 503 when not built' },
  { method: 'GET', path: '/api/agent/events', statuses: [], why: 'WebSocket: a ticket or token is required' },
  { method: 'GET', path: '/api/floor/live', statuses: [], why: 'WebSocket: a ticket or token is required' },
];

/** Statuses that count as a refusal of an anonymous caller. */
export const REFUSALS: readonly number[] = [401, 404, 405];

export function findPublicRoute(method: string, path: string, list: readonly PublicRoute[] = PUBLIC_ROUTES): PublicRoute | undefined {
  return list.find((r) => r.method === method.toUpperCase() && r.path === path);
}
