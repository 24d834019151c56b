/**
 * What counts as a finding, and how the scan prints it. Pure: each part of
 * the scan hands in what it observed and gets back its findings and one row
 * of the summary table.
 */
import type { SvcrackResult, SvmapResult, SvwarResult } from './sipvicious-output';
import { REFUSALS, type PublicRoute } from './public-routes';

export interface Finding {
  part: string;
  what: string;
}

export interface PartReport {
  part: string;
  /** What was done and seen, in a few words. */
  observed: string;
  findings: Finding[];
}

/** The answer one fuzz request got: a status, or what went wrong instead (a timeout: `hung`; a reset connection: `error`). */
export interface CaseOutcome {
  operation: string;
  label: string;
  method: string;
  path: string;
  status: number | null;
  failure?: 'hung' | 'error';
  detail?: string;
  /** The start of the response body (for the report). */
  bodyStart?: string;
}

const shortPath = (path: string): string => (path.length > 120 ? `${path.slice(0, 100)}…(${path.length} chars)` : path);

function describe(outcome: CaseOutcome): string {
  const answer = outcome.failure ? `${outcome.failure}${outcome.detail ? ` (${outcome.detail})` : ''}` : String(outcome.status);
  return `${outcome.method} ${shortPath(outcome.path)} [${outcome.label}] → ${answer}${outcome.bodyStart ? `: ${outcome.bodyStart}` : ''}`;
}

/** Anonymous callers: a finding for every answer that is neither a refusal nor what the reviewed list allows the route. */
export function judgeUnauthenticated(part: string, outcomes: readonly CaseOutcome[], allowed: (operation: string) => PublicRoute | undefined): PartReport {
  const findings: Finding[] = [];
  const publicSeen = new Set<string>();
  for (const o of outcomes) {
    const route = allowed(o.operation);
    if (o.failure || (o.status !== null && o.status >= 500 && !route?.statuses.includes(o.status))) {
      findings.push({ part, what: `no credentials, yet ${o.failure ? 'no answer' : 'a server error'}: ${describe(o)}` });
      continue;
    }
    if (route && route.statuses.length > 0) {
      publicSeen.add(o.operation);
      if (!route.statuses.includes(o.status ?? 0)) findings.push({ part, what: `public route answered outside its reviewed statuses (${route.statuses.join('/')}): ${describe(o)}` });
      continue;
    }
    if (!REFUSALS.includes(o.status ?? 0)) findings.push({ part, what: `served without valid credentials (expected 401): ${describe(o)}` });
  }
  const operations = new Set(outcomes.map((o) => o.operation));
  return {
    part,
    observed: `${outcomes.length} requests to ${operations.size} routes; ${publicSeen.size} reviewed public, the rest must refuse`,
    findings,
  };
}

/** Malformed input with valid credentials: a finding for every 5xx, hung request or broken connection. */
export function judgeMalformed(part: string, outcomes: readonly CaseOutcome[], notRun: number): PartReport {
  const findings: Finding[] = outcomes
    .filter((o) => o.failure !== undefined || (o.status !== null && o.status >= 500))
    .map((o) => ({ part, what: describe(o) }));
  if (notRun > 0) findings.push({ part, what: `${notRun} cases not sent: the time budget ran out (the scan is incomplete)` });
  const byStatus = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.failure ?? String(o.status);
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }
  const counts = [...byStatus.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(' ');
  return { part, observed: `${outcomes.length} requests to ${new Set(outcomes.map((o) => o.operation)).size} routes: ${counts}`, findings };
}

export interface LoginAttempt {
  password: 'wrong' | 'right';
  status: number | null;
  code?: string;
  retryAfter?: string | null;
}

/** The web login burst: the right password right after the wrong ones must be refused 429 TOO_MANY_ATTEMPTS. */
export function judgeLoginBurst(part: string, attempts: readonly LoginAttempt[]): PartReport {
  const findings: Finding[] = [];
  const right = attempts.filter((a) => a.password === 'right');
  const wrong = attempts.filter((a) => a.password === 'wrong');
  for (const a of attempts) {
    if (a.status === null || a.status >= 500) findings.push({ part, what: `a login attempt got ${a.status ?? 'no answer'}` });
  }
  const accepted = right.find((a) => a.status === 200);
  if (accepted) findings.push({ part, what: `the right password was accepted right after ${wrong.length} wrong ones (no throttling): POST /api/auth/login → 200, expected 429 TOO_MANY_ATTEMPTS` });
  for (const a of right) {
    if (a.status !== null && a.status !== 200 && a.status < 500 && (a.status !== 429 || a.code !== 'TOO_MANY_ATTEMPTS')) {
      findings.push({ part, what: `the right password after the burst got ${a.status} ${a.code ?? ''}; expected 429 TOO_MANY_ATTEMPTS` });
    }
  }
  const throttledAt = wrong.findIndex((a) => a.status === 429);
  const statuses = attempts.map((a) => a.status ?? 'none').join(',');
  return {
    part,
    observed: `${wrong.length} wrong passwords then the right one: ${statuses}${throttledAt >= 0 ? ` (429 from attempt ${throttledAt + 1})` : ''}; right one → ${right.map((a) => `${a.status ?? 'none'} ${a.code ?? ''}`.trim()).join(', ')}`,
    findings,
  };
}

export function judgeSvmap(part: string, result: SvmapResult, bound: string | null, expectedSource: string): PartReport {
  const findings = sourceFindings(part, bound, expectedSource);
  const devices = result.devices.map((d) => `${d.device} (User-Agent ${d.userAgent})`).join(', ');
  return { part, observed: devices ? `found ${devices} (expected: the port answers)` : 'found no SIP device', findings };
}

/** svwar: every extension it lists is a name the server gave away. */
export function judgeSvwar(part: string, result: SvwarResult, bound: string | null, expectedSource: string): PartReport {
  const findings = sourceFindings(part, bound, expectedSource);
  for (const e of result.extensions) findings.push({ part, what: `extension enumerated: '${e.extension}' (${e.authentication})` });
  if (result.outcome === 'no-response' || result.outcome === 'error') findings.push({ part, what: `svwar did not run to the end: ${result.detail}` });
  const listed = result.extensions.map((e) => e.extension).join(', ');
  return { part, observed: `${result.outcome}: ${result.detail}${listed ? `; listed ${listed}` : '; listed none'}`, findings };
}

/**
 * svcrack: a password found is a finding. A run that never sent the real
 * password proves nothing, so that is one too; and the control run (the real
 * password alone, from another address) must find it, or the tool could not
 * have found it anyway.
 */
export function judgeSvcrack(part: string, attack: SvcrackResult, control: SvcrackResult | null, realPassword: string, bound: string | null, expectedSource: string): PartReport {
  const findings = sourceFindings(part, bound, expectedSource);
  for (const c of attack.cracked) findings.push({ part, what: `password found: ${c.extension} / ${c.password}` });
  const position = attack.tried.indexOf(realPassword);
  if (attack.outcome !== 'finished') findings.push({ part, what: `svcrack did not run to the end: ${attack.detail}` });
  else if (position < 0 && attack.cracked.length === 0) findings.push({ part, what: `svcrack never sent the real password (it tried ${attack.tried.length}): the run proves nothing` });
  if (control && control.cracked.length === 0) findings.push({ part, what: `control run: svcrack did not find the real password alone from a fresh address (${control.detail}), so the attack run proves nothing` });
  const controlSaid = control ? `; control (real password alone, fresh address): ${control.cracked.length > 0 ? 'found it' : 'not found'}` : '';
  return {
    part,
    observed: `${attack.tried.length} passwords tried, the real one at #${position + 1}; ${attack.cracked.length > 0 ? `FOUND ${attack.cracked.map((c) => c.password).join(', ')}` : 'none found'}${controlSaid}`,
    findings,
  };
}

function sourceFindings(part: string, bound: string | null, expected: string): Finding[] {
  return bound === expected ? [] : [{ part, what: `the tool did not send from ${expected} (bound to ${bound ?? 'unknown'}): the result says nothing about a non-trunk source` }];
}

/** A part that could not run at all (a tool missing, the instance down): one finding, so the scan never passes by skipping. */
export function notRun(part: string, why: string): PartReport {
  return { part, observed: `not run: ${why}`, findings: [{ part, what: `not run: ${why}` }] };
}

/** The summary table, the findings one per line, and the closing line. */
export function formatReport(reports: readonly PartReport[]): string {
  const rows = reports.map((r) => [r.part, r.findings.length === 0 ? 'ok' : `${r.findings.length} FAIL`, r.observed]);
  const header = ['part', 'verdict', 'what it found'];
  const widths = [0, 1].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c)).join(' | ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-') + '-|-' + '-'.repeat(13), ...rows.map(line)];
  const findings = reports.flatMap((r) => r.findings);
  if (findings.length > 0) {
    out.push('', 'findings:');
    findings.forEach((f, i) => out.push(`${i + 1}. [${f.part}] ${f.what}`));
  }
  out.push('', closingLine(reports));
  return out.join('\n');
}

export function closingLine(reports: readonly PartReport[]): string {
  const n = reports.reduce((sum, r) => sum + r.findings.length, 0);
  return `security scan: ${n} finding${n === 1 ? '' : 's'}`;
}
