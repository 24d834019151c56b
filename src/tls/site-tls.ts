import type { X509Certificate } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { MachineAddresses } from '../network/machine-addresses';
import { certificateValidity, fingerprint, readCertificatePair, readPem, uncoveredNames } from './certificate-check';
import { ensureLocalCa, ensureServerCertificate } from './local-ca';

/** What TLS the site serves with: HTTPS, secure WebSocket and SIP over TLS all use it. */
export interface SiteTls {
  source: 'generated' | 'configured';
  certFile: string;
  keyFile: string;
  /** The CA list drachtio-server loads for SIP over TLS. */
  chainFile: string;
  certPem: Buffer;
  keyPem: Buffer;
  certificate: X509Certificate;
  /** The local CA that operators' PCs trust, with its fingerprint to check by eye; null with a configured certificate. */
  ca: { file: string; pem: Buffer; fingerprint: string; created: boolean } | null;
  /** The names and addresses the site is reached by. */
  names: string[];
  /** Said at start: names a configured certificate does not cover, an expiry near or past. */
  warnings: string[];
  /** Whether a new server certificate was written at this start. */
  issued: boolean;
}

export interface SiteTlsOptions {
  certFile: string | null;
  keyFile: string | null;
  chainFile: string | null;
  /** Extra names from config (tls.names). */
  extraNames: readonly string[];
  dataDir: string;
  machine: MachineAddresses;
  publicAddress: string;
  now?: Date;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Every name and address the site answers to, in a stable order (host name first: it becomes the common name). */
export function siteNames(machine: MachineAddresses, publicAddress: string, extraNames: readonly string[]): string[] {
  const hostNames = HOST_NAME.test(machine.hostName) ? [machine.hostName] : [];
  return [...new Set([...hostNames, ...extraNames, 'localhost', publicAddress, ...machine.addresses, '127.0.0.1', '::1'])];
}

/** How the certificate stands now, for the start banner and /readyz. */
export function certificateStanding(tls: Pick<SiteTls, 'certificate' | 'certFile'>, now = new Date()): { healthy: boolean; detail: string } {
  const validity = certificateValidity(tls.certificate, now);
  const until = validity.notAfter.toISOString().slice(0, 10);
  if (validity.expired) return { healthy: false, detail: `certificate ${tls.certFile} expired on ${until}: browsers refuse the site` };
  if (validity.notYetValid) return { healthy: false, detail: `certificate ${tls.certFile} is not valid before ${validity.notBefore.toISOString()}` };
  return { healthy: true, detail: `certificate valid until ${until} (${validity.daysLeft} days)${validity.daysLeft <= 30 ? ': renew it soon' : ''}` };
}


/**
 * The site's TLS: the configured certificate, checked (readable, a pair,
 * covering the public address), or one from the local CA in
 * <dataDir>/tls, issued for every name and address of this machine and
 * reused across starts. Throws CertificateError naming the file and the problem.
 */
export async function prepareSiteTls(options: SiteTlsOptions): Promise<SiteTls> {
  const now = options.now ?? new Date();
  const names = siteNames(options.machine, options.publicAddress, options.extraNames);
  const warnings: string[] = [];
  if (options.certFile !== null && options.keyFile !== null) {
    const pair = readCertificatePair(options.certFile, options.keyFile);
    const chainFile = options.chainFile ?? options.certFile;
    if (options.chainFile !== null) readPem(chainFile, 'chain file');
    // A real certificate names the site's DNS names (tls.names); without those, the names printed in the URLs must be covered.
    const expected = options.extraNames.length > 0 ? [...options.extraNames] : [options.machine.hostName, options.publicAddress].filter((n) => net.isIP(n) || HOST_NAME.test(n));
    const missing = uncoveredNames(pair.certificate, expected);
    if (missing.length > 0) warnings.push(`certificate ${options.certFile} does not cover ${missing.join(', ')}: browsers using those names will refuse it`);
    const result: SiteTls = {
      source: 'configured', certFile: pair.certFile, keyFile: pair.keyFile, chainFile, certPem: pair.certPem, keyPem: pair.keyPem,
      certificate: pair.certificate, ca: null, names, warnings, issued: false,
    };
    const standing = certificateStanding(result, now);
    if (!standing.healthy || /renew/.test(standing.detail)) warnings.push(standing.detail);
    return result;
  }
  const dir = path.join(options.dataDir, 'tls');
  const ca = await ensureLocalCa(dir, options.machine.hostName, now);
  const server = await ensureServerCertificate(ca, dir, names, now);
  return {
    source: 'generated', certFile: server.certFile, keyFile: server.keyFile, chainFile: ca.certFile,
    certPem: server.pair.certPem, keyPem: server.pair.keyPem, certificate: server.pair.certificate,
    ca: { file: ca.certFile, pem: ca.pair.certPem, fingerprint: fingerprint(ca.pair.certificate), created: ca.created },
    names, warnings, issued: server.issued,
  };
}
