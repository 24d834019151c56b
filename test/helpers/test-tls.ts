import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';
import { findExecutable } from '../../src/platform/managed-process';
import { ensureLocalCa } from '../../src/tls/local-ca';

/**
 * One certificate authority for a whole test run, made by the product's own
 * code (src/tls/local-ca.ts) in the global setup: every system a test starts
 * reuses it (it is copied into the system's data directory, where `npm start`
 * keeps its CA), Node's fetch trusts it, and Chromium trusts it through an NSS
 * database in a HOME of its own — as an IT person trusts it on an office PC.
 */
export const TEST_CA_DIR_ENV = 'SWITCHBOARD_TEST_CA_DIR';
export const TEST_BROWSER_HOME_ENV = 'SWITCHBOARD_TEST_BROWSER_HOME';

/** The global setup's part: the CA, and Chromium's trust store holding it (when NSS's certutil is installed). */
export async function prepareTestTls(root: string): Promise<void> {
  const caDir = path.join(root, 'tls-ca');
  const ca = await ensureLocalCa(caDir, 'tests');
  process.env[TEST_CA_DIR_ENV] = caDir;
  const certutil = findExecutable('certutil');
  if (!certutil) return;
  const home = path.join(root, 'browser-home');
  const nssDb = path.join(home, '.pki', 'nssdb');
  mkdirSync(nssDb, { recursive: true });
  execFileSync(certutil, ['-d', `sql:${nssDb}`, '-N', '--empty-password']);
  execFileSync(certutil, ['-d', `sql:${nssDb}`, '-A', '-t', 'C,,', '-n', 'switchboard-test-ca', '-i', ca.certFile]);
  process.env[TEST_BROWSER_HOME_ENV] = home;
}

/** The run's CA; a test file run without the global setup (unit tier) gets one of its own. */
export async function testCa(): Promise<{ dir: string; certFile: string; keyFile: string; pem: Buffer }> {
  let dir = process.env[TEST_CA_DIR_ENV];
  if (!dir || !existsSync(path.join(dir, 'ca.crt'))) {
    dir = path.join(os.tmpdir(), `switchboard-test-ca-${process.pid}`);
    await ensureLocalCa(dir, 'tests');
    process.env[TEST_CA_DIR_ENV] = dir;
  }
  const certFile = path.join(dir, 'ca.crt');
  return { dir, certFile, keyFile: path.join(dir, 'ca.key'), pem: readFileSync(certFile) };
}

/** Puts the run's CA where a system keeps its own (<dataDir>/tls), so that it issues its server certificate from it. */
export async function installTestCa(dataDir: string): Promise<void> {
  const ca = await testCa();
  mkdirSync(path.join(dataDir, 'tls'), { recursive: true });
  copyFileSync(ca.certFile, path.join(dataDir, 'tls', 'ca.crt'));
  copyFileSync(ca.keyFile, path.join(dataDir, 'tls', 'ca.key'));
}

export type TrustingFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** fetch that trusts the given CA (and no redirects followed, so that a test sees a 308 as a 308). */
export function fetchTrusting(caPem: Buffer | string): TrustingFetch {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  return (url, init) => undiciFetch(url, { redirect: 'manual', ...init, dispatcher });
}

/**
 * How Chromium trusts the run's CA: a HOME whose NSS database holds it. Without
 * NSS's certutil, certificate errors are ignored instead, and the run says so.
 */
export function browserTrust(): { env: Record<string, string>; args: string[] } {
  const home = process.env[TEST_BROWSER_HOME_ENV];
  if (home) return { env: { ...stringEnv(), HOME: home }, args: [] };
  process.stderr.write('test-tls: certutil (Debian libnss3-tools) is missing: Chromium ignores certificate errors instead of trusting the test CA\n');
  return { env: stringEnv(), args: ['--ignore-certificate-errors'] };
}

function stringEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}
