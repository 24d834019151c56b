import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** A certificate or key that cannot serve; the message names the file and the problem. */
export class CertificateError extends Error {
  override readonly name = 'CertificateError';
}

/** A certificate and its key, read and checked to belong together. */
export interface CertificatePair {
  certFile: string;
  keyFile: string;
  certPem: Buffer;
  keyPem: Buffer;
  certificate: X509Certificate;
}

/** A TLS file's bytes; CertificateError naming the file and why it cannot be read. */
export function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CertificateError(`TLS ${what} ${file} ${why}`);
  }
}

/** The first certificate of a PEM file (a chain file has the server's own first). */
export function parseCertificate(pem: Buffer, file: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new CertificateError(`TLS certificate ${file} is not a PEM certificate: ${(err as Error).message}`);
  }
}

function parseKey(pem: Buffer, file: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new CertificateError(`TLS key ${file} is not a PEM private key (or it is encrypted): ${(err as Error).message}`);
  }
}

/**
 * Reads a certificate and its key and proves they belong together, so that a
 * mismatch refuses the start with the files named instead of failing on the
 * first browser's handshake.
 */
export function readCertificatePair(certFile: string, keyFile: string): CertificatePair {
  const certPem = readPem(certFile, 'certificate');
  const keyPem = readPem(keyFile, 'key');
  const certificate = parseCertificate(certPem, certFile);
  const key = parseKey(keyPem, keyFile);
  if (!certificate.checkPrivateKey(key)) {
    throw new CertificateError(`TLS key ${keyFile} does not match the certificate ${certFile} (its public key is another key's)`);
  }
  return { certFile, keyFile, certPem, keyPem, certificate };
}

/** Where a certificate stands in time. */
export interface CertificateValidity {
  notBefore: Date;
  notAfter: Date;
  expired: boolean;
  notYetValid: boolean;
  /** Whole days left (negative once expired). */
  daysLeft: number;
}

const DAY_MS = 24 * 3600 * 1000;

export function certificateValidity(certificate: X509Certificate, now: Date): CertificateValidity {
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  return {
    notBefore, notAfter,
    expired: now.getTime() > notAfter.getTime(),
    notYetValid: now.getTime() < notBefore.getTime(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
  };
}

/** Names and addresses the certificate does not cover, of those asked (host names and IPs alike). */
export function uncoveredNames(certificate: X509Certificate, names: readonly string[]): string[] {
  return names.filter((name) => (net.isIP(name) ? certificate.checkIP(name) === undefined : certificate.checkHost(name) === undefined));
}

/** SHA-256 fingerprint as browsers show it (AA:BB:…), for checking a downloaded CA by eye. */
export function fingerprint(certificate: X509Certificate): string {
  return certificate.fingerprint256;
}
