import { fetchTrusting, testCa } from '../helpers/test-tls';
import { certificateFromCa } from '../helpers/certificates';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/**
 * The whole system given a certificate of the site's own (TLS_CERT_FILE and
 * TLS_KEY_FILE), as `npm start` would be: a bad one refuses the start naming
 * the file; an expired one starts, says so, and shows on /readyz.
 */
describe('the system with a configured certificate (real Postgres, Redis, rtpengine; drachtio-server when present)', () => {
  const DAY = 24 * 3600 * 1000;

  it('refuses to start with a key that is not the certificate\'s, naming both files', async () => {
    const ca = await testCa();
    const site = certificateFromCa(ca, { names: ['127.0.0.1'], start: '20250101000000Z', end: '20351231000000Z' });
    const other = certificateFromCa(ca, { names: ['127.0.0.1'], start: '20250101000000Z', end: '20351231000000Z' });
    await expect(startSystemHarness({ env: { TLS_CERT_FILE: site.certFile, TLS_KEY_FILE: other.keyFile } }))
      .rejects.toThrow(`TLS key ${other.keyFile} does not match the certificate ${site.certFile}`);
  }, 60_000);

  describe('an expired certificate', () => {
    let h: SystemHarness;
    let expired: { certFile: string; keyFile: string };

    beforeAll(async () => {
      const ca = await testCa();
      const stamp = (d: Date): string => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
      expired = certificateFromCa(ca, { names: ['127.0.0.1', 'localhost'], start: stamp(new Date(Date.now() - 100 * DAY)), end: stamp(new Date(Date.now() - 2 * DAY)) });
      h = await startSystemHarness({ env: { TLS_CERT_FILE: expired.certFile, TLS_KEY_FILE: expired.keyFile } });
    }, 120_000);

    afterAll(async () => {
      await h?.close();
    });

    it('is said at start, and /readyz shows the tls component down with the date (over plain HTTP, which health keeps)', async () => {
      const until = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
      expect(h.system.warnings).toContain(`certificate ${expired.certFile} expired on ${until}: browsers refuse the site`);
      const plain = fetchTrusting((await testCa()).pem);
      const ready = await plain(`${h.baseUrl.replace('https://', 'http://')}/readyz`);
      const body = (await ready.json()) as { ready: boolean; components: Array<{ name: string; state: string; detail?: string }> };
      expect(body.components.find((c) => c.name === 'tls')).toEqual({ name: 'tls', state: 'down', required: false, detail: `certificate ${expired.certFile} expired on ${until}: browsers refuse the site` });
      // A browser refuses it: so does Node's TLS client, trusting the same CA.
      await expect(h.fetch(`${h.baseUrl}/healthz`)).rejects.toMatchObject({ cause: { code: 'CERT_HAS_EXPIRED' } });
    });
  });
});
