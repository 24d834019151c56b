/**
 * Sends fuzz cases over real HTTP (undici, so that paths go out exactly as
 * generated and the source address can be chosen) and runs the API parts of
 * the security scan: anonymous callers on every route, then malformed input
 * with an admin token. Used by scripts/security-scan.ts and by the
 * integration test that runs the same fuzz on every CI run.
 */
import { Agent } from 'undici';
import { listOperations, malformedCases, operationKey, unauthenticatedCases, type FuzzCase, type OpenApiDocument } from './openapi-fuzz';
import { findPublicRoute, PUBLIC_ROUTES, ROUTES_OUTSIDE_DOCUMENT } from './public-routes';
import { judgeMalformed, judgeUnauthenticated, type CaseOutcome, type PartReport } from './verdict';

export interface HttpTarget {
  baseUrl: string;
  /** Send from this local address (e.g. 127.0.0.2, not the trunk's 127.0.0.1). */
  localAddress?: string;
  /** A request without an answer in this time is a finding (hung). */
  timeoutMs?: number;
}

/**
 * Operations the authenticated fuzz leaves out, each for a reviewed reason.
 * They are still called without credentials.
 */
export const NOT_FUZZED_WITH_TOKEN: ReadonlyArray<{ operation: string; why: string }> = [
  { operation: 'POST /api/auth/logout', why: 'ends the session the fuzz runs with (it takes no input to spoil)' },
];

export class HttpFuzzClient {
  private readonly agent: Agent;
  private readonly origin: string;
  private readonly timeoutMs: number;

  constructor(target: HttpTarget) {
    this.origin = new URL(target.baseUrl).origin;
    this.timeoutMs = target.timeoutMs ?? 15_000;
    this.agent = new Agent({
      connect: { ...(target.localAddress ? { localAddress: target.localAddress } : {}), timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connections: 8,
    });
  }

  async send(c: FuzzCase, token: string | null): Promise<CaseOutcome> {
    const headers: Record<string, string> = { ...c.headers };
    if (token && !headers.authorization) headers.authorization = `Bearer ${token}`;
    const base = { operation: c.operation, label: c.label, method: c.method, path: c.path };
    try {
      // The agent itself, not undici's request(): that one parses the URL and would normalise the path.
      const response = await this.agent.request({ origin: this.origin, path: c.path, method: c.method as 'GET', headers, ...(c.body !== undefined ? { body: c.body } : {}) });
      const text = await response.body.text();
      return { ...base, status: response.statusCode, ...(response.statusCode >= 500 || response.statusCode === 200 ? { bodyStart: text.slice(0, 160).replace(/\s+/g, ' ') } : {}) };
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const hung = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
      return { ...base, status: null, failure: hung ? 'hung' : 'error', detail: `${code || 'error'}: ${(err as Error).message}` };
    }
  }

  /** JSON from a GET (the OpenAPI document, a login). */
  async json<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T; headers: Record<string, string | string[] | undefined> }> {
    const response = await this.agent.request({
      origin: this.origin, path, method: method as 'GET',
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.statusCode, body: parsed as T, headers: response.headers };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * A throwaway admin account for the fuzz, logged in. The fuzz fills path ids
 * with 1 and sends well-formed bodies with its malformed queries, so it does
 * change user 1 (a password, the role): its own session must not be user 1's.
 */
export async function fuzzAdminToken(client: HttpFuzzClient, adminToken: string, username = 'security_scan'): Promise<string> {
  const password = `scan-${Date.now().toString(36)}-password`;
  const created = await client.json('POST', '/api/users', { username, password, role: 'admin' }, adminToken);
  if (created.status !== 201) throw new Error(`cannot create the fuzz admin: POST /api/users → ${created.status} ${JSON.stringify(created.body)}`);
  const login = await client.json<{ token?: string }>('POST', '/api/auth/login', { username, password });
  if (login.status !== 200 || !login.body.token) throw new Error(`the fuzz admin cannot log in: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body.token;
}

/** Sends `cases` with `concurrency` at a time until done or `deadline` (ms since epoch); returns the answers and how many were not sent. */
export async function runCases(client: HttpFuzzClient, cases: readonly FuzzCase[], token: string | null, options: { concurrency?: number; deadline?: number } = {}): Promise<{ outcomes: CaseOutcome[]; notRun: number }> {
  const outcomes: CaseOutcome[] = [];
  let next = 0;
  const deadline = options.deadline ?? Infinity;
  const worker = async (): Promise<void> => {
    while (next < cases.length && Date.now() < deadline) {
      const c = cases[next++]!;
      outcomes.push(await client.send(c, token));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, () => worker()));
  return { outcomes, notRun: cases.length - next };
}

export interface ApiFuzzOptions {
  seed: number;
  /** Give up sending after this long (the remaining cases are a finding: the scan is incomplete). */
  budgetMs: number;
  concurrency?: number;
  hugeBytes?: number;
}

/** Both API parts: anonymous callers on every documented (and known undocumented) route, then malformed input with the admin token. */
export async function runApiFuzz(client: HttpFuzzClient, doc: OpenApiDocument, adminToken: string, options: ApiFuzzOptions): Promise<PartReport[]> {
  const deadline = Date.now() + options.budgetMs;
  const operations = listOperations(doc);

  const anonymous = operations.flatMap(unauthenticatedCases);
  const outside = ROUTES_OUTSIDE_DOCUMENT.map((r): FuzzCase => ({ operation: `${operationKey(r.method, r.path)} (undocumented)`, label: 'no credentials', method: r.method, path: r.path, headers: {} }));
  const anonymousRun = await runCases(client, [...anonymous, ...outside], null, { deadline, ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
  const allowed = (operation: string): ReturnType<typeof findPublicRoute> => {
    const undocumented = / \(undocumented\)$/.test(operation);
    const [method = '', path = ''] = operation.replace(/ \(undocumented\)$/, '').split(' ');
    return findPublicRoute(method, path, undocumented ? ROUTES_OUTSIDE_DOCUMENT : PUBLIC_ROUTES);
  };
  const anonymousReport = judgeUnauthenticated('API without credentials', anonymousRun.outcomes, allowed);
  if (anonymousRun.notRun > 0) anonymousReport.findings.push({ part: anonymousReport.part, what: `${anonymousRun.notRun} requests not sent: the time budget ran out` });
  const stale = PUBLIC_ROUTES.filter((r) => !operations.some((o) => o.method === r.method && o.path === r.path));
  if (stale.length > 0) anonymousReport.observed += `; listed public but gone: ${stale.map((r) => `${r.method} ${r.path}`).join(', ')}`;

  const skipped = new Set(NOT_FUZZED_WITH_TOKEN.map((s) => s.operation));
  const malformed = operations.filter((o) => !skipped.has(operationKey(o.method, o.path))).flatMap((o) => malformedCases(o, { seed: options.seed, ...(options.hugeBytes ? { hugeBytes: options.hugeBytes } : {}) }));
  const malformedRun = await runCases(client, malformed, adminToken, { deadline, ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
  const malformedReport = judgeMalformed('API malformed input (admin)', malformedRun.outcomes, malformedRun.notRun);
  // A fuzz that lost its session half-way only tested the auth hook: say so.
  const me = await client.json('GET', '/api/auth/me', undefined, adminToken);
  if (me.status !== 200) malformedReport.findings.push({ part: malformedReport.part, what: `the admin session stopped working during the fuzz (GET /api/auth/me → ${me.status}): later answers may be 401s that test nothing` });
  // The login takes no token: its 401 is a wrong (or missing) password, not the session failing.
  const unauthorised = malformedRun.outcomes.filter((o) => o.status === 401 && !o.operation.startsWith('POST /api/auth/login')).length;
  if (unauthorised > 0) malformedReport.observed += ` (${unauthorised} answered 401 to the admin token)`;
  return [anonymousReport, malformedReport];
}
