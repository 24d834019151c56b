import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { CertificateError } from '../../../src/tls/certificate-check';
import { certificateStanding, prepareSiteTls } from '../../../src/tls/site-tls';
import type { MachineAddresses } from '../../../src/network/machine-addresses';
import { certificateFromCa } from '../../helpers/certificates';
import { testCa } from '../../helpers/test-tls';

const DAY = 24 * 3600 * 1000;
const machine: MachineAddresses = { hostName: 'pbx1', addresses: ['192.0.2.10', '2001:db8::10'], primary: '192.0.2.10' };

/** A TLS handshake against `pair`, trusting only `ca`, for `name`: what a browser on an office PC does. */
async function handshake(pair: { certPem: Buffer; keyPem: Buffer }, ca: Buffer, name: string): Promise<boolean> {
  const server = tls.createServer({ key: pair.keyPem, cert: pair.certPem }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<boolean>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: /^[0-9.]+$/.test(name) ? undefined : name, checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert) });
      socket.once('secureConnect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The CertificateError message prepareSiteTls refuses with. */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(CertificateError);
    return (err as Error).message;
  }
  throw new Error('expected a CertificateError');
}

describe('the site\'s certificate (real openssl, real TLS handshakes)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-tls-'));
  const base = { certFile: null, keyFile: null, chainFile: null, extraNames: ['office.example'], dataDir, machine, publicAddress: '192.0.2.10' };

  it('with none configured, creates a local CA and a server certificate for every name and address, keys private', async () => {
    const site = await prepareSiteTls(base);
    expect(site.source).toBe('generated');
    expect(site.ca?.created).toBe(true);
    expect(site.issued).toBe(true);
    expect(site.names).toEqual(['pbx1', 'office.example', 'localhost', '192.0.2.10', '2001:db8::10', '127.0.0.1', '::1']);
    for (const name of ['pbx1', 'office.example', 'localhost', '192.0.2.10', '127.0.0.1']) expect(await handshake(site, site.ca!.pem, name)).toBe(true);
    expect(await handshake(site, site.ca!.pem, 'elsewhere.example')).toBe(false);
    const cert = new X509Certificate(site.certPem);
    expect(cert.checkIP('2001:db8::10')).toBe('2001:db8::10');
    expect(Math.round((Date.parse(cert.validTo) - Date.now()) / DAY)).toBe(397);
    expect(new X509Certificate(site.ca!.pem).ca).toBe(true);
    expect(site.ca!.fingerprint).toBe(new X509Certificate(readFileSync(path.join(dataDir, 'tls', 'ca.crt'))).fingerprint256);
    for (const key of ['ca.key', 'server.key']) expect(statSync(path.join(dataDir, 'tls', key)).mode & 0o077).toBe(0);
    expect(certificateStanding(site)).toEqual({ healthy: true, detail: expect.stringMatching(/^certificate valid until \d{4}-\d\d-\d\d \(39[67] days\)$/) });
  });

  it('reuses both on the next start; a new name gets a new server certificate from the same CA', async () => {
    const first = readFileSync(path.join(dataDir, 'tls', 'server.crt'));
    const again = await prepareSiteTls(base);
    expect(again.issued).toBe(false);
    expect(again.ca?.created).toBe(false);
    expect(again.certPem.equals(first)).toBe(true);
    const ca = readFileSync(path.join(dataDir, 'tls', 'ca.crt'));
    const renamed = await prepareSiteTls({ ...base, extraNames: ['office.example', 'calls.office.example'] });
    expect(renamed.issued).toBe(true);
    expect(renamed.ca!.pem.equals(ca)).toBe(true);
    expect(await handshake(renamed, ca, 'calls.office.example')).toBe(true);
  });

  it('renews the server certificate a month before it ends, keeping the CA', async () => {
    const ca = readFileSync(path.join(dataDir, 'tls', 'ca.crt'));
    const later = new Date(Date.now() + 380 * DAY);
    const renewed = await prepareSiteTls({ ...base, extraNames: ['office.example', 'calls.office.example'], now: later });
    expect(renewed.issued).toBe(true);
    expect(renewed.ca!.pem.equals(ca)).toBe(true);
  });

  describe('a configured certificate', () => {
    // Signed by the test run's CA, standing in for a company CA.
    const files = mkdtempSync(path.join(os.tmpdir(), 'switchboard-tls-files-'));
    const configured = { ...base, chainFile: null, dataDir: files };
    const stamp = (d: Date): string => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
    const fromToday = { start: stamp(new Date(Date.now() - DAY)), end: stamp(new Date(Date.now() + 90 * DAY)) };
    let ca: { certFile: string; keyFile: string; pem: Buffer };
    let valid: { certFile: string; keyFile: string };
    let other: { certFile: string; keyFile: string };

    beforeAll(async () => {
      ca = await testCa();
      valid = certificateFromCa(ca, { names: ['office.example'], ...fromToday });
      other = certificateFromCa(ca, { names: ['other.example'], ...fromToday });
    });

    it('is served as it is, checked against its key, and nothing is generated', async () => {
      const site = await prepareSiteTls({ ...configured, certFile: valid.certFile, keyFile: valid.keyFile });
      expect(site).toMatchObject({ source: 'configured', ca: null, chainFile: valid.certFile, warnings: [], issued: false });
      expect(await handshake(site, ca.pem, 'office.example')).toBe(true);
    });

    it('refuses to start on a missing file, a file that is no certificate, or a key of another certificate, naming the file', async () => {
      const missing = path.join(files, 'missing.pem');
      expect(await refusal(() => prepareSiteTls({ ...configured, certFile: missing, keyFile: valid.keyFile }))).toBe(`TLS certificate ${missing} does not exist`);
      expect(await refusal(() => prepareSiteTls({ ...configured, certFile: valid.certFile, keyFile: missing }))).toBe(`TLS key ${missing} does not exist`);
      const garbage = path.join(files, 'garbage.pem');
      writeFileSync(garbage, 'not a certificate\n');
      expect(await refusal(() => prepareSiteTls({ ...configured, certFile: garbage, keyFile: valid.keyFile }))).toMatch(new RegExp(`^TLS certificate ${garbage} is not a PEM certificate`));
      expect(await refusal(() => prepareSiteTls({ ...configured, certFile: valid.certFile, keyFile: garbage }))).toMatch(new RegExp(`^TLS key ${garbage} is not a PEM private key`));
      expect(await refusal(() => prepareSiteTls({ ...configured, certFile: valid.certFile, keyFile: other.keyFile })))
        .toBe(`TLS key ${other.keyFile} does not match the certificate ${valid.certFile} (its public key is another key's)`);
      expect(await refusal(() => prepareSiteTls({ ...configured, certFile: files, keyFile: valid.keyFile }))).toBe(`TLS certificate ${files} is a directory`);
    });

    it('warns when it does not cover the names the site is reached by', async () => {
      const site = await prepareSiteTls({ ...configured, extraNames: ['calls.office.example'], certFile: valid.certFile, keyFile: valid.keyFile });
      expect(site.warnings).toEqual([`certificate ${valid.certFile} does not cover calls.office.example: browsers using those names will refuse it`]);
    });

    it('once expired, is reported at start and stands unhealthy (shown on /readyz)', async () => {
      const expired = certificateFromCa(ca, { names: ['office.example'], start: '20240101000000Z', end: '20240301000000Z' });
      const site = await prepareSiteTls({ ...configured, certFile: expired.certFile, keyFile: expired.keyFile });
      expect(site.warnings).toEqual([`certificate ${expired.certFile} expired on 2024-03-01: browsers refuse the site`]);
      expect(certificateStanding(site)).toEqual({ healthy: false, detail: `certificate ${expired.certFile} expired on 2024-03-01: browsers refuse the site` });
    });
  });
});
