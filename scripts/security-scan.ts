// npm run security:scan (issue 15): attacks a throwaway Switchboard the way an
// outsider on the office network would, from 127.0.0.2 (not the dev trunk's
// 127.0.0.1): sipvicious (svmap, svwar with REGISTER/INVITE/OPTIONS, svcrack),
// a web login brute-force burst, and a fuzz of every OpenAPI operation without
// credentials and with malformed ids, bodies and queries. Prints a table of
// what each part found and `security scan: N findings`; exits 1 on any finding.
// SECURITY_SCAN_SEED=<n> replays another fuzz; the default is fixed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../src/db/demo-seed';
import { freeTcpPort } from '../src/platform/managed-process';
import { fuzzAdminToken, HttpFuzzClient, runApiFuzz } from './security/http-fuzz';
import { loginBurst } from './security/login-burst';
import type { OpenApiDocument } from './security/openapi-fuzz';
import { passwordDictionary, usernameDictionary } from './security/sip-dictionaries';
import { boundAddress, parseSvcrack, parseSvmap, parseSvwar } from './security/sipvicious-output';
import { missingSipvicious, runSipvicious } from './security/sipvicious-runner';
import { startTestInstance, type TestInstance } from './security/test-instance';
import { formatReport, judgeLoginBurst, judgeSvcrack, judgeSvmap, judgeSvwar, notRun, type PartReport } from './security/verdict';

/** Where the attacks come from: loopback, but not the dev trunk (127.0.0.1). */
const SOURCE = '127.0.0.2';
/** A second outsider, for the svcrack control run. */
const CONTROL_SOURCE = '127.0.0.3';
const TARGET_HOST = '127.0.0.1';
/** The demo account the password attacks aim at. */
const VICTIM = 'anna';
const DEMO_ADMIN = { username: 'admin', password: 'switchboard-admin' };
const SEED = Number(process.env.SECURITY_SCAN_SEED ?? 15);
const FUZZ_BUDGET_MS = 180_000;

const say = (line: string): void => console.log(`security scan: ${line}`);

async function sipParts(instance: TestInstance, workDir: string): Promise<PartReport[]> {
  const reports: PartReport[] = [];
  const names = path.join(workDir, 'names.txt');
  writeFileSync(names, `${usernameDictionary(DEMO_LOGINS).join('\n')}\n`);
  const passwords = path.join(workDir, 'passwords.txt');
  writeFileSync(passwords, `${passwordDictionary(DEMO_PASSWORD).join('\n')}\n`);
  const control = path.join(workDir, 'control.txt');
  writeFileSync(control, `${DEMO_PASSWORD}\n`);
  const target = ['-p', String(instance.sipPort), TARGET_HOST];
  const from = async (address: string): Promise<string[]> => ['-P', String(await freeTcpPort()), '-x', address];

  say(`svmap from ${SOURCE}`);
  const map = await runSipvicious('svmap', SOURCE, [...(await from(SOURCE)), ...target]);
  reports.push(judgeSvmap('SIP svmap', parseSvmap(map.output), boundAddress(map.output), SOURCE));

  for (const method of ['REGISTER', 'INVITE', 'OPTIONS']) {
    say(`svwar -m ${method} from ${SOURCE}`);
    const war = await runSipvicious('svwar', SOURCE, ['-vv', ...(await from(SOURCE)), '-m', method, '-d', names, ...target]);
    reports.push(judgeSvwar(`SIP svwar ${method}`, parseSvwar(war.output), boundAddress(war.output), SOURCE));
  }

  // Last: the attack may get the source blacklisted, which would blind any SIP part after it.
  say(`svcrack control: ${VICTIM} with the real password alone from ${CONTROL_SOURCE}`);
  const controlRun = await runSipvicious('svcrack', CONTROL_SOURCE, ['-vv', ...(await from(CONTROL_SOURCE)), '-u', VICTIM, '-d', control, ...target]);
  say(`svcrack ${VICTIM} from ${SOURCE}`);
  const crack = await runSipvicious('svcrack', SOURCE, ['-vv', ...(await from(SOURCE)), '-u', VICTIM, '-d', passwords, ...target]);
  reports.push(judgeSvcrack('SIP svcrack', parseSvcrack(crack.output), parseSvcrack(controlRun.output), DEMO_PASSWORD, boundAddress(crack.output), SOURCE));
  return reports;
}

async function main(): Promise<number> {
  const reports: PartReport[] = [];
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'security-scan-'));
  let instance: TestInstance | null = null;
  try {
    say('starting a throwaway Switchboard (demo data, TLS off)');
    instance = await startTestInstance();
    say(`up at ${instance.baseUrl}, SIP udp ${TARGET_HOST}:${instance.sipPort}; ${/trunks (\S+)/.exec(instance.output())?.[0] ?? 'trunks: not shown'}`);
    const client = new HttpFuzzClient({ baseUrl: instance.baseUrl, localAddress: SOURCE, timeoutMs: 15_000 });
    try {
      // Both sessions before the login burst: that one gets this address throttled on purpose.
      const admin = await client.json<{ token?: string }>('POST', '/api/auth/login', DEMO_ADMIN);
      if (admin.status !== 200 || !admin.body.token) throw new Error(`the demo admin cannot log in: ${admin.status}`);
      const fuzzToken = await fuzzAdminToken(client, admin.body.token);

      const missing = missingSipvicious();
      if (missing.length > 0) reports.push(notRun('SIP (sipvicious)', `missing ${missing.join(', ')}: install the Debian package sipvicious (npm run security:scan does as root)`));
      else if (!/drachtio\s+started/.test(instance.output())) reports.push(notRun('SIP (sipvicious)', 'the instance has no SIP: drachtio-server did not start (no drachtio binary on PATH?)'));
      else reports.push(...(await sipParts(instance, workDir)));

      say(`web login burst on ${VICTIM} from ${SOURCE}`);
      reports.push(judgeLoginBurst('web login brute force', await loginBurst(client, VICTIM, DEMO_PASSWORD)));

      say(`fuzzing every OpenAPI operation from ${SOURCE} (seed ${SEED})`);
      const doc = await client.json<OpenApiDocument>('GET', '/docs/json');
      if (doc.status !== 200) throw new Error(`GET /docs/json → ${doc.status}`);
      reports.push(...(await runApiFuzz(client, doc.body, fuzzToken, { seed: SEED, budgetMs: FUZZ_BUDGET_MS })));

      const alive = await client.json('GET', '/healthz').catch(() => ({ status: 0 }));
      reports.push({ part: 'instance after the scan', observed: `GET /healthz → ${alive.status || 'no answer'}`, findings: alive.status === 200 ? [] : [{ part: 'instance after the scan', what: `the instance no longer answers /healthz (${alive.status || 'no answer'})` }] });
    } finally {
      await client.close();
    }
  } catch (err) {
    reports.push(notRun('scan', err instanceof Error ? err.message : String(err)));
  } finally {
    await instance?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`\n${formatReport(reports)}`);
  return reports.some((r) => r.findings.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
