import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Certificates a site might be given, made with Debian's openssl: signed by
 * `ca` for `names`, valid between two dates (in the past for an expired one,
 * which `openssl ca` can backdate and `openssl x509 -req` cannot).
 */
export function certificateFromCa(ca: { certFile: string; keyFile: string }, options: { names: string[]; start: string; end: string }): { certFile: string; keyFile: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-cert-'));
  const keyFile = path.join(dir, 'site.key');
  const csr = path.join(dir, 'site.csr');
  const certFile = path.join(dir, 'site.crt');
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  const san = options.names.map((n) => (/^[0-9.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(path.join(dir, 'ca.cnf'), [
    '[ ca ]', 'default_ca = CA_default', '[ CA_default ]', `database = ${dir}/index.txt`, `new_certs_dir = ${dir}`, `serial = ${dir}/serial`,
    'default_md = sha256', 'policy = policy_any', 'unique_subject = no', 'x509_extensions = site_ext',
    '[ policy_any ]', 'commonName = supplied', '[ site_ext ]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', `subjectAltName = ${san}`, '',
  ].join('\n'));
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${options.names[0]}`], { stdio: 'pipe' });
  execFileSync('openssl', ['ca', '-batch', '-notext', '-config', path.join(dir, 'ca.cnf'), '-cert', ca.certFile, '-keyfile', ca.keyFile, '-in', csr, '-out', certFile, '-startdate', options.start, '-enddate', options.end], { stdio: 'pipe' });
  return { certFile, keyFile, dir };
}
