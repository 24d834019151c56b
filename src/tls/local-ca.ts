import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../platform/managed-process';
import { CertificateError, certificateValidity, readCertificatePair, uncoveredNames, type CertificatePair } from './certificate-check';

const run = promisify(execFile);

/** The site's own certificate authority: kept in the data directory, trusted once by each PC, reused for years. */
export interface LocalCa {
  certFile: string;
  keyFile: string;
  pair: CertificatePair;
}

/** A CA is renewed this close to its end; a server certificate likewise. */
const RENEW_BEFORE_DAYS = 30;
const CA_DAYS = 3650;
/** Browsers refuse server certificates valid for longer than 398 days (CA/B Forum; Safari enforces it for every CA). */
const SERVER_DAYS = 397;

const DNS_NAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function openssl(): string {
  const binary = findExecutable('openssl');
  if (!binary) {
    throw new CertificateError('openssl is needed to create the local certificate authority (apt-get install openssl), or set TLS_CERT_FILE and TLS_KEY_FILE to a certificate you have');
  }
  return binary;
}

async function opensslRun(args: string[], what: string): Promise<void> {
  try {
    await run(openssl(), args, { timeout: 30_000 });
  } catch (err) {
    if (err instanceof CertificateError) throw err;
    const stderr = (err as { stderr?: string }).stderr?.trim() ?? '';
    throw new CertificateError(`openssl could not ${what}: ${stderr || (err as Error).message}`);
  }
}

/** Writes beside the target, then renames: a crash never leaves half a key or a key without its certificate. */
function swapIn(files: Array<{ from: string; to: string }>): void {
  for (const { from, to } of files) renameSync(from, to);
}

function usable(certFile: string, keyFile: string, now: Date): CertificatePair | null {
  if (!existsSync(certFile) || !existsSync(keyFile)) return null;
  try {
    const pair = readCertificatePair(certFile, keyFile);
    const validity = certificateValidity(pair.certificate, now);
    return validity.daysLeft > RENEW_BEFORE_DAYS && !validity.notYetValid ? pair : null;
  } catch {
    return null;
  }
}

/**
 * The local CA in `dir` (ca.crt, ca.key): reused while valid for more than
 * 30 days, so that PCs that trusted it keep trusting the site; created with
 * Debian's openssl otherwise (EC P-256, ten years).
 */
export async function ensureLocalCa(dir: string, siteLabel: string, now = new Date()): Promise<LocalCa & { created: boolean }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'ca.key');
  const existing = usable(certFile, keyFile, now);
  if (existing) return { certFile, keyFile, pair: existing, created: false };
  const tmpCert = `${certFile}.new`;
  const tmpKey = `${keyFile}.new`;
  await opensslRun([
    'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', tmpKey, '-out', tmpCert, '-days', String(CA_DAYS), '-sha256',
    '-subj', `/O=Switchboard/CN=${subjectText(`Switchboard local CA (${siteLabel})`)}`,
    '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash',
  ], 'create the local certificate authority');
  chmodSync(tmpKey, 0o600);
  swapIn([{ from: tmpKey, to: keyFile }, { from: tmpCert, to: certFile }]);
  return { certFile, keyFile, pair: readCertificatePair(certFile, keyFile), created: true };
}

/** `/` and `=` and `,` would end a subject field early; names never need them. */
function subjectText(text: string): string {
  return text.replace(/[/=,+\\]/g, ' ').slice(0, 64);
}

/** The subjectAltName of a server certificate: DNS names and IP addresses, each once. */
export function subjectAltName(names: readonly string[]): string {
  const unique = [...new Set(names)];
  const entries = unique.map((name) => {
    if (net.isIP(name)) return `IP:${name}`;
    if (DNS_NAME.test(name)) return `DNS:${name}`;
    throw new CertificateError(`cannot put '${name}' in a certificate: not a host name or an IP address`);
  });
  return `subjectAltName=${entries.join(',')}`;
}

export interface ServerCertificate {
  certFile: string;
  keyFile: string;
  pair: CertificatePair;
  issued: boolean;
}

/**
 * The server certificate in `dir` (server.crt, server.key), signed by the
 * local CA and covering every name asked for. Reused when it still covers
 * them, was issued by this CA and has more than 30 days left; otherwise a new
 * one is issued (a new address on the machine, a renamed host, renewal).
 */
export async function ensureServerCertificate(ca: LocalCa, dir: string, names: readonly string[], now = new Date()): Promise<ServerCertificate> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  const existing = usable(certFile, keyFile, now);
  if (existing && existing.certificate.checkIssued(ca.pair.certificate) && existing.certificate.verify(ca.pair.certificate.publicKey) && uncoveredNames(existing.certificate, names).length === 0) {
    return { certFile, keyFile, pair: existing, issued: false };
  }
  const commonName = subjectText(names.find((n) => !net.isIP(n) && n !== 'localhost') ?? names[0] ?? 'switchboard');
  const tmpKey = `${keyFile}.new`;
  const tmpCsr = path.join(dir, 'server.csr.tmp');
  const tmpCert = `${certFile}.new`;
  const extFile = path.join(dir, 'server.ext.tmp');
  try {
    writeFileSync(extFile, [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      // clientAuth too: drachtio-server presents the same certificate when it opens TLS to a phone or trunk.
      'extendedKeyUsage=serverAuth,clientAuth',
      'authorityKeyIdentifier=keyid',
      subjectAltName(names),
      '',
    ].join('\n'));
    await opensslRun(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', tmpKey, '-out', tmpCsr, '-subj', `/O=Switchboard/CN=${commonName}`], 'create the server key');
    chmodSync(tmpKey, 0o600);
    await opensslRun([
      'x509', '-req', '-in', tmpCsr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${randomBytes(16).toString('hex').replace(/^[89a-f]/, '1')}`,
      '-days', String(SERVER_DAYS), '-sha256', '-extfile', extFile, '-out', tmpCert,
    ], 'sign the server certificate');
    swapIn([{ from: tmpKey, to: keyFile }, { from: tmpCert, to: certFile }]);
  } finally {
    for (const leftover of [tmpCsr, extFile, tmpKey, tmpCert]) rmSync(leftover, { force: true });
  }
  return { certFile, keyFile, pair: readCertificatePair(certFile, keyFile), issued: true };
}
