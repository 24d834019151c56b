import { findPublicRoute, PUBLIC_ROUTES } from '../../../scripts/security/public-routes';
import { passwordDictionary, usernameDictionary } from '../../../scripts/security/sip-dictionaries';
import {
  closingLine, formatReport, judgeLoginBurst, judgeMalformed, judgeSvcrack, judgeSvwar, judgeUnauthenticated, notRun, type CaseOutcome, type LoginAttempt,
} from '../../../scripts/security/verdict';

const outcome = (operation: string, status: number | null, extra: Partial<CaseOutcome> = {}): CaseOutcome => {
  const [method = 'GET', path = '/'] = operation.split(' ');
  return { operation, label: 'no credentials', method, path, status, ...extra };
};
const allowed = (operation: string) => findPublicRoute(operation.split(' ')[0]!, operation.split(' ')[1]!);

describe('the security scan verdict', () => {
  it('anonymous callers: refusals pass; a served route not on the reviewed list fails; a public route answering outside its statuses fails', () => {
    const report = judgeUnauthenticated('anon', [
      outcome('GET /api/clients', 401),
      outcome('DELETE /api/clients/{id}', 404),
      outcome('GET /healthz', 200),
      outcome('POST /api/auth/login', 400),
      outcome('GET /api/floor', 200, { bodyStart: '{"queues":[]}' }),
      outcome('GET /metrics', 200),
      outcome('GET /api/agents', 403),
      outcome('GET /api/users', 500),
      outcome('GET /api/audit', null, { failure: 'hung' }),
    ], allowed);
    expect(report.findings.map((f) => f.what)).toEqual([
      expect.stringMatching(/^served without valid credentials \(expected 401\): GET \/api\/floor \[no credentials\] → 200: \{"queues"/),
      expect.stringMatching(/^public route answered outside its reviewed statuses \(403\): GET \/metrics/),
      // 403 is not "who are you": an anonymous caller must be asked to log in, not told the role is wrong.
      expect.stringMatching(/^served without valid credentials \(expected 401\): GET \/api\/agents .* → 403/),
      expect.stringMatching(/server error: GET \/api\/users .* → 500/),
      expect.stringMatching(/no answer: GET \/api\/audit .* → hung/),
    ]);
  });

  it('the reviewed public list allows no successful login', () => {
    expect(findPublicRoute('POST', '/api/auth/login')?.statuses).not.toContain(200);
    expect(PUBLIC_ROUTES.every((r) => r.why.length > 10)).toBe(true);
  });

  it('malformed input: every 5xx, hung request and broken connection is a finding; 4xx are fine; an unfinished run is one', () => {
    const report = judgeMalformed('fuzz', [
      outcome('GET /api/clients', 400),
      outcome('GET /api/clients', 404),
      outcome('GET /api/staff', 500, { label: 'query offset=20 digits', path: '/api/staff?offset=99999999999999999999' }),
      outcome('POST /api/x', null, { failure: 'hung', detail: 'UND_ERR_HEADERS_TIMEOUT' }),
      outcome('POST /api/y', null, { failure: 'error', detail: 'ECONNRESET' }),
      outcome('GET /api/z', 503),
    ], 7);
    expect(report.findings.map((f) => f.what)).toEqual([
      'GET /api/staff?offset=99999999999999999999 [query offset=20 digits] → 500',
      'POST /api/x [no credentials] → hung (UND_ERR_HEADERS_TIMEOUT)',
      'POST /api/y [no credentials] → error (ECONNRESET)',
      'GET /api/z [no credentials] → 503',
      '7 cases not sent: the time budget ran out (the scan is incomplete)',
    ]);
    expect(report.observed).toContain('400×1 404×1 500×1 503×1 error×1 hung×1');
  });

  it('login burst: the right password refused 429 TOO_MANY_ATTEMPTS passes; accepted, or refused any other way, fails', () => {
    const wrong: LoginAttempt[] = [401, 401, 401, 401, 401, 429].map((status) => ({ password: 'wrong', status }));
    expect(judgeLoginBurst('login', [...wrong, { password: 'right', status: 429, code: 'TOO_MANY_ATTEMPTS' }]).findings).toEqual([]);
    expect(judgeLoginBurst('login', [...wrong, { password: 'right', status: 200 }]).findings.map((f) => f.what)).toEqual([
      expect.stringMatching(/right password was accepted right after 6 wrong ones \(no throttling\)/),
    ]);
    expect(judgeLoginBurst('login', [...wrong, { password: 'right', status: 401, code: 'UNAUTHENTICATED' }]).findings).toHaveLength(1);
    expect(judgeLoginBurst('login', [{ password: 'wrong', status: 502 }, { password: 'right', status: 429, code: 'TOO_MANY_ATTEMPTS' }]).findings.map((f) => f.what)).toEqual(['a login attempt got 502']);
  });

  it('svwar: every listed extension is a finding, and so is a run from the wrong address', () => {
    const listed = judgeSvwar('svwar', { outcome: 'scanned', extensions: [{ extension: 'anna', authentication: 'reqauth' }], tried: ['anna'], detail: '1 names tried' }, '127.0.0.2', '127.0.0.2');
    expect(listed.findings.map((f) => f.what)).toEqual(["extension enumerated: 'anna' (reqauth)"]);
    const challenged = judgeSvwar('svwar', { outcome: 'unknown-challenged', extensions: [], tried: [], detail: 'x' }, '127.0.0.2', '127.0.0.2');
    expect(challenged.findings).toEqual([]);
    const fromTrunk = judgeSvwar('svwar', { outcome: 'scanned', extensions: [], tried: [], detail: 'x' }, '0.0.0.0', '127.0.0.2');
    expect(fromTrunk.findings[0]!.what).toMatch(/did not send from 127.0.0.2/);
  });

  it('svcrack: a password found fails; so does a run that never sent the real one, or a control run that could not find it', () => {
    const found = { cracked: [{ extension: 'anna', password: 'demo-pass-1' }], tried: ['a', 'demo-pass-1'], outcome: 'finished' as const, detail: '' };
    const stopped = { cracked: [], tried: ['a', 'demo-pass-1', 'b'], outcome: 'finished' as const, detail: '' };
    const short = { cracked: [], tried: ['a'], outcome: 'finished' as const, detail: '' };
    expect(judgeSvcrack('crack', found, found, 'demo-pass-1', '127.0.0.2', '127.0.0.2').findings.map((f) => f.what)).toEqual(['password found: anna / demo-pass-1']);
    const ok = judgeSvcrack('crack', stopped, found, 'demo-pass-1', '127.0.0.2', '127.0.0.2');
    expect(ok.findings).toEqual([]);
    expect(ok.observed).toMatch(/3 passwords tried, the real one at #2; none found; control .*: found it/);
    expect(judgeSvcrack('crack', short, found, 'demo-pass-1', '127.0.0.2', '127.0.0.2').findings[0]!.what).toMatch(/never sent the real password/);
    expect(judgeSvcrack('crack', stopped, stopped, 'demo-pass-1', '127.0.0.2', '127.0.0.2').findings[0]!.what).toMatch(/control run/);
  });

  it('prints a table, the findings, and one closing line with the count', () => {
    const text = formatReport([
      { part: 'SIP svmap', observed: 'found 127.0.0.1:5060', findings: [] },
      notRun('SIP svwar', 'svwar missing'),
    ]);
    expect(text.split('\n')).toEqual([
      'part      | verdict | what it found',
      '----------|---------|--------------',
      'SIP svmap | ok      | found 127.0.0.1:5060',
      'SIP svwar | 1 FAIL  | not run: svwar missing',
      '',
      'findings:',
      '1. [SIP svwar] not run: svwar missing',
      '',
      'security scan: 1 finding',
    ]);
    expect(closingLine([{ part: 'a', observed: '', findings: [] }])).toBe('security scan: 0 findings');
  });

  it('word lists: the real names among common ones and a numeric range; the real password after more guesses than the SIP limits', () => {
    const names = usernameDictionary(['anna', 'olga', 'supervisor']);
    expect(names).toEqual(expect.arrayContaining(['anna', 'olga', 'supervisor', 'admin', '100', '199', '1000']));
    expect(new Set(names).size).toBe(names.length);
    const passwords = passwordDictionary('demo-pass-1');
    // More than the 20 failures that lock an address and the 5 that hold a name back.
    expect(passwords.indexOf('demo-pass-1')).toBe(40);
    expect(passwords.length).toBe(44);
  });
});
