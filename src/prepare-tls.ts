import { loadConfig, ConfigError } from './config/load-config';
import { listenPlan } from './network/listen-plan';
import { machineAddresses } from './network/machine-addresses';
import { CertificateError } from './tls/certificate-check';
import { certificateStanding, prepareSiteTls } from './tls/site-tls';
import path from 'node:path';

/**
 * `npm run tls:prepare` (and the compose stack's tls-init service): the site's
 * certificate made or checked before anything serves with it, so that
 * drachtio-server, started beside the app, finds its files in place. The app
 * does the same at start and reuses what this wrote.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.tls.enabled) {
    process.stdout.write('TLS is off (TLS=false): no certificate needed\n');
    return;
  }
  const machine = machineAddresses();
  const site = await prepareSiteTls({
    certFile: config.tls.certFile, keyFile: config.tls.keyFile, chainFile: config.tls.chainFile, extraNames: config.tls.names,
    dataDir: path.resolve(config.dataDir), machine, publicAddress: listenPlan({ mode: config.mode, httpHost: config.http.host, publicAddress: config.network.publicAddress }, machine).publicAddress,
  });
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`certificate ${site.certFile} (${site.source}${site.issued ? ', issued now' : ''}), key ${site.keyFile}, chain ${site.chainFile}`);
  out(`  ${certificateStanding(site).detail}; names: ${site.names.join(', ')}`);
  if (site.ca) out(`local CA ${site.ca.file}, SHA-256 ${site.ca.fingerprint}`);
  for (const warning of site.warnings) out(`WARNING ${warning}`);
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof CertificateError;
  process.stderr.write(`switchboard: ${known ? '' : 'cannot prepare TLS: '}${(err as Error).message}\n`);
  process.exit(known ? 2 : 1);
});
