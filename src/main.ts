import { loadConfig, ConfigError } from './config/load-config';
import { createRootLogger } from './logger';
import { startSystem, type RunningSystem } from './runtime/start-system';
import { trustInstructions } from './tls/trust-instructions';

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function banner(system: RunningSystem): void {
  print();
  print('Switchboard is up');
  print(`  ${(system.tls ? 'HTTPS' : 'HTTP').padEnd(11)} ${system.url}   (API docs: ${system.url}/docs, readiness: ${system.url}/readyz)`);
  print(`  softphone   ${system.url}/softphone/   (operators, managers)`);
  print(`  admin       ${system.url}/admin/   (admins, supervisors)`);
  for (const other of system.otherUrls) print(`  also at     ${other}/softphone/`);
  if (system.tls) {
    print(`  certificate ${system.tls.source === 'generated' ? 'from the local CA' : 'configured'}: ${system.tls.certFile}, ${system.tls.standing}`);
    if (system.tls.caUrl) {
      print(`  trust CA    ${system.tls.caUrl}   (file ${system.tls.caFile}, SHA-256 ${system.tls.caFingerprint})`);
      print(`              once per PC, then restart the browser (how: ${system.url}/ca):`);
      for (const { system: os, how } of trustInstructions()) print(`              ${os}: ${how}`);
    }
  }
  for (const c of system.components) {
    const mark = c.how === 'missing' ? 'MISSING' : c.how === 'started' ? 'started' : 'external';
    print(`  ${c.name.padEnd(11)} ${mark.padEnd(8)} ${c.where}`);
  }
  if (system.nodeId) print(`  ACD node    ${system.nodeId}   (this process; another process closes its calls if it dies)`);
  if (system.demo) {
    print(`  admin login ${system.demo.adminUser} / ${system.demo.adminPassword}   (development only)`);
    if (system.demo.staffPassword) print(`  demo staff  supervisor, anna, ion, olga, pavel, elena, tatiana / ${system.demo.staffPassword} (API and SIP)`);
  }
  for (const warning of system.warnings) print(`  WARNING     ${warning}`);
  print('Press Ctrl-C to stop.');
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchboard: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createRootLogger(config.log.level);
  // A bug in one call's code must not end every other call: log it loudly (it is a defect to fix) and carry on.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  const system = await startSystem(config, logger);
  banner(system);

  // First signal: calls in progress drain for shutdown.drainSeconds while new ones get 503; a second signal cuts the
  // drain short (calls are ended at once, with the reason on their record). Either way the process exits: a watchdog
  // ends it if stopping the services itself hangs.
  let stopping = false;
  let cutShort: () => void = () => undefined;
  const drainCutShort = new Promise<void>((resolve) => (cutShort = resolve));
  const shutdown = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: ending the calls in progress now');
      cutShort();
      return;
    }
    stopping = true;
    const drainMs = config.shutdown.drainSeconds * 1000;
    logger.info({ signal, drainSeconds: config.shutdown.drainSeconds }, 'shutting down: new calls are refused, calls in progress may finish');
    const watchdog = setTimeout(() => {
      logger.error('shutdown did not finish in time: exiting anyway');
      process.exit(1);
    }, drainMs + 60_000);
    watchdog.unref();
    system
      .stop({ drainMs, cutShort: drainCutShort })
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`switchboard: cannot start: ${(err as Error).message}\n`);
  process.exit(1);
});
