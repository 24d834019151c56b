import path from 'node:path';
import { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/config-schema';
import type { MonitorLegPlacer } from '../call-monitoring/monitor-leg';
import { ConfigError } from '../config/load-config';
import { listenPlan } from '../network/listen-plan';
import type { ComponentStatus } from '../api/api-context';
import { buildApp } from '../api/build-app';
import { ensureAdminUser } from '../db/bootstrap-admin';
import { DEMO_PASSWORD, seedDemoData } from '../db/demo-seed';
import { demoCredentialsRefusal, findDemoCredentials } from '../db/demo-credentials';
import { runMigrations } from '../db/migrate';
import { ensureReferenceData } from '../db/reference-data';
import { CALL_PATH_POOL, createPool, GENERAL_POOL, type Db } from '../db/pool';
import { startPostgresServer } from '../db/postgres-server';
import { acdDirectorySource } from '../db/repositories/acd-directory-source';
import { acdEventStore } from '../db/repositories/acd-events-repository';
import { rollupStore } from '../db/repositories/report-rollups-repository';
import type { Logger } from '../logger';
import { pingRtpengine, startRtpengine } from '../media/rtpengine-process';
import { rtpengineComponentName, type RtpengineEndpoint } from '../media/rtpengine-pool';
import { rtpengineTargets } from '../config/rtpengine-targets';
import type { DrainOptions } from '../sip/call-session/live-calls';
import { drachtioAvailable, startDrachtioServer } from '../sip/drachtio-process';
import { SipConnection } from '../sip/sip-connection';
import { createRegistrar, type Registrar } from '../sip/registrar';
import { InboundCallHandler } from '../sip/inbound-call-handler';
import { monitorLegPlacerFor } from '../sip/monitoring/sip-monitor-leg-placer';
import { DeviceCallHandler } from '../sip/device-call-handler';
import { OutboundDialer } from '../sip/outbound-dialer';
import { RedisOutboundCallSlots } from '../sip/outbound-call-slots';
import { callingRulesFor } from '../sip/outbound-calling-rules';
import { RedisCallbackRetryStore } from '../sip/callback-retry-store';
import { outboundPolicyFor } from '../routing/outbound-policy';
import { dialableTrunks } from '../sip/trunk-address';
import { createCallServices } from './call-services-factory';
import { SipKeys } from '../sip/sip-keys';
import { followPhonePresence } from '../sip/phone-presence';
import { startRedisServer } from './redis-server';
import { connectRedis, describeRedisTarget, usesSentinel, type RedisTarget } from './redis-connection';
import { Acd, AcdEventWriter } from '../acd';
import { syncDirectoryToAcd } from '../directory/acd-directory-sync';
import { StaffingChangeFeed } from '../directory/directory-change-feed';
import { ReportRollupJob } from '../reports/report-rollup-job';
import type { RunningService } from '../platform/managed-process';
import { hostPart, isLoopback, machineAddresses } from '../network/machine-addresses';
import { certificateStanding, prepareSiteTls, type SiteTls } from '../tls/site-tls';
import { CA_DOWNLOAD_PATH } from '../tls/trust-instructions';

/** How each real component came to be: given by URL, started here, or missing (with how to get it). */
export interface ComponentReport {
  name: string;
  how: 'external' | 'started' | 'missing';
  where: string;
}

export interface RunningSystem {
  http: FastifyInstance;
  /** The base URL to reach the web apps and API by (https:// when TLS is on), at the public address. */
  url: string;
  /** The same by every other name and address of the machine, for people on other PCs. */
  otherUrls: string[];
  /** The address phones, trunks and PCs are told to use. */
  publicAddress: string;
  /** The site's TLS (null with TLS off): where its local CA is, to trust it on PCs. */
  tls: { source: SiteTls['source']; certFile: string; caFile: string | null; caUrl: string | null; caFingerprint: string | null; standing: string } | null;
  /** Things an installer must hear: loopback only, certificate problems. */
  warnings: string[];
  /** Calls live in this process now (inbound hotline calls, outbound calls); zero with SIP off. */
  liveCalls(): { inbound: number; outbound: number };
  /** The call-ids the rtpengines hold sessions for now (each one's `list`, of those that answer); empty with media off. */
  mediaSessions(): Promise<string[]>;
  components: ComponentReport[];
  /** This process's name in the ACD (its heartbeat; what its calls' checkpoints are kept under); null without Redis. */
  nodeId: string | null;
  demo: { adminUser: string; adminPassword: string; staffPassword: string } | null;
  /**
   * Stops everything, newest first. Calls in progress get `drainMs` (default
   * 0: ended at once, with the reason on their record) while new ones are
   * refused; then every service stops.
   */
  stop(options?: DrainOptions): Promise<void>;
}

const DEV_ADMIN_PASSWORD = 'switchboard-admin';

/**
 * Brings up the whole system on one machine (design §4): each component from
 * its URL if given, else started from its binary, else reported missing while
 * the rest runs. Everything started here is stopped by stop(), newest first.
 */
export async function startSystem(config: Readonly<AppConfig>, logger: Logger): Promise<RunningSystem> {
  const started: RunningService[] = [];
  const closers: Array<() => Promise<void> | void> = [];
  const reports: ComponentReport[] = [];
  const warnings: string[] = [];
  const dataDir = path.resolve(config.dataDir);
  const machine = machineAddresses();
  const listening = listenPlan({ mode: config.mode, httpHost: config.http.host, publicAddress: config.network.publicAddress }, machine);
  const publicAddress = listening.publicAddress;
  if (listening.loopbackOnly) warnings.push(listening.loopbackOnly);

  /** How long calls may drain at stop (stop's options), read by the call handlers' closer. */
  let drain: DrainOptions = {};
  const stopAll = async (options: DrainOptions = {}): Promise<void> => {
    drain = options;
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'error while closing');
      }
    }
    for (const service of started.reverse()) {
      try {
        await service.stop();
        logger.info({ service: service.name }, 'stopped');
      } catch (err) {
        logger.warn({ service: service.name, err: (err as Error).message }, 'error while stopping');
      }
    }
  };

  try {
    // Postgres: required; nothing works without the directory.
    let databaseUrl = config.database.url;
    if (databaseUrl) {
      reports.push({ name: 'postgres', how: 'external', where: databaseUrl.replace(/\/\/[^@]*@/, '//***@') });
    } else {
      const pg = await startPostgresServer({ dataDir: path.join(dataDir, 'postgres'), port: config.database.embedded.port, logger });
      started.push(pg);
      databaseUrl = pg.url;
      reports.push({ name: 'postgres', how: 'started', where: `${pg.url} (data in ${pg.dataDir})` });
    }
    await runMigrations(databaseUrl, 'up');
    const db: Db = createPool(databaseUrl, logger, GENERAL_POOL);
    closers.push(() => db.end());
    // Checked before any other service starts: a refused start leaves nothing behind.
    if (config.mode === 'production') {
      // Demo data in a production database: accounts anyone who read the README can log in with (issue 15).
      const refusal = demoCredentialsRefusal(await findDemoCredentials(db));
      if (refusal) throw new ConfigError(refusal);
    }
    // The call path's own small pool with short timeouts: reports and admin work never take a ringing call's connection.
    const callDb: Db = createPool(databaseUrl, logger.child({ pool: 'calls' }), CALL_PATH_POOL);
    closers.push(() => callDb.end());

    // Redis: live state; the HTTP side still starts without it and says so on /readyz.
    // Given by URL or by Sentinel (which finds the primary, and follows it through failovers), else a local redis-server.
    let redisTarget: RedisTarget | null = null;
    if (config.redis.url || usesSentinel(config.redis)) {
      redisTarget = config.redis;
      reports.push({ name: 'redis', how: 'external', where: describeRedisTarget(redisTarget) });
    } else {
      try {
        const redisServer = await startRedisServer({ port: config.redis.port, dataDir: path.join(dataDir, 'redis'), appendOnly: true, logger });
        started.push(redisServer);
        redisTarget = { ...config.redis, url: redisServer.url };
        reports.push({ name: 'redis', how: 'started', where: `${redisServer.url} (AOF in ${path.join(dataDir, 'redis')})` });
      } catch (err) {
        reports.push({ name: 'redis', how: 'missing', where: (err as Error).message });
      }
    }
    // Without Redis the connection still goes where the local one would be, so /readyz reports it down rather than absent.
    const redis = connectRedis(redisTarget ?? { ...config.redis, url: `redis://127.0.0.1:${config.redis.port}` }, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    redis.on('error', () => undefined);
    closers.push(() => redis.disconnect());

    // TLS: one certificate for HTTPS, secure WebSocket and SIP over TLS; a bad file refuses the start, naming it.
    let siteTls: SiteTls | null = null;
    if (config.tls.enabled) {
      siteTls = await prepareSiteTls({
        certFile: config.tls.certFile, keyFile: config.tls.keyFile, chainFile: config.tls.chainFile, extraNames: config.tls.names,
        dataDir, machine, publicAddress,
      });
      warnings.push(...siteTls.warnings);
      if (siteTls.issued) logger.info({ certFile: siteTls.certFile, names: siteTls.names }, 'issued a server certificate from the local CA');
    } else {
      warnings.push('TLS is off (TLS=false): browsers on other PCs get no microphone on a plain-HTTP page; use it only on this machine');
    }

    // rtpengine: media. Without it calls cannot be answered, but the directory and admin work. Several external ones
    // (issue 14) share the calls; a local one is started only when none is named.
    let rtpengineStates: ComponentStatus[] = [{ name: 'rtpengine', state: 'disabled', required: false }];
    const rtpengines: RtpengineEndpoint[] = [];
    const defaultCaptureDir = path.join(dataDir, 'recordings', 'raw');
    const externalRtpengines = rtpengineTargets(config.rtpengine);
    if (externalRtpengines.length > 0) {
      rtpengineStates = [];
      for (const [index, target] of externalRtpengines.entries()) {
        const name = rtpengineComponentName(index, externalRtpengines.length);
        reports.push({ name, how: 'external', where: target.url });
        rtpengineStates.push({ name, state: (await pingRtpengine(target.host, target.port, 1000)) ? 'up' : 'down', required: false, detail: target.url });
        rtpengines.push({ url: target.url, host: target.host, port: target.port, recordingDir: target.recordingDir ? path.resolve(target.recordingDir) : defaultCaptureDir });
      }
    } else {
      const recordingDir = config.rtpengine.recordingDir ? path.resolve(config.rtpengine.recordingDir) : defaultCaptureDir;
      try {
        const rtpengine = await startRtpengine({
          binary: config.rtpengine.binary, ngPort: config.rtpengine.ngPort, interface: config.rtpengine.interface ?? publicAddress,
          portMin: config.rtpengine.portMin, portMax: config.rtpengine.portMax, dtmfLogPort: config.rtpengine.dtmfLogPort, recordingDir, logger,
        });
        started.push(rtpengine);
        rtpengineStates = [{ name: 'rtpengine', state: 'up', required: false }];
        rtpengines.push({ url: rtpengine.url, host: '127.0.0.1', port: config.rtpengine.ngPort, recordingDir });
        reports.push({ name: 'rtpengine', how: 'started', where: `${rtpengine.url} (userspace)` });
      } catch (err) {
        reports.push({ name: 'rtpengine', how: 'missing', where: (err as Error).message });
      }
    }

    // drachtio-server: SIP. Without it the app runs with SIP off.
    let sip: SipConnection | null = null;
    let registrar: Registrar | null = null;
    let drachtioHost = config.drachtio.host;
    if (drachtioHost) {
      reports.push({ name: 'drachtio', how: 'external', where: `${drachtioHost}:${config.drachtio.port}` });
    } else if (drachtioAvailable(config.drachtio.binary)) {
      try {
        const listen = {
          addresses: isLoopback(publicAddress) ? [publicAddress] : [publicAddress, '127.0.0.1'],
          sipPort: config.drachtio.sipPort,
          wsPort: siteTls ? null : config.drachtio.wsPort,
          tls: siteTls ? { certFile: siteTls.certFile, keyFile: siteTls.keyFile, chainFile: siteTls.chainFile, wssPort: config.drachtio.wssPort, tlsPort: config.drachtio.tlsPort } : null,
        };
        const drachtio = await startDrachtioServer({
          binary: config.drachtio.binary, adminPort: config.drachtio.port, secret: config.drachtio.secret, listen,
          workDir: path.join(dataDir, 'drachtio'), logger,
          // IPs the registrar locks out are dropped by drachtio-server itself from its next start on.
          // With Sentinel none is set up: the registrar still answers a locked-out IP 403 itself.
          ...(redisTarget?.url ? { blacklist: { redisHost: new URL(redisTarget.url).hostname, redisPort: Number(new URL(redisTarget.url).port || 6379), redisKey: new SipKeys().blacklist() } } : {}),
        });
        started.push(drachtio);
        drachtioHost = '127.0.0.1';
        const at = listen.addresses.map(hostPart).join(' and ');
        const web = listen.tls ? `wss :${listen.tls.wssPort}, tls :${listen.tls.tlsPort}` : `ws :${config.drachtio.wsPort}`;
        reports.push({ name: 'drachtio', how: 'started', where: `SIP on ${at}: udp/tcp :${config.drachtio.sipPort}, ${web}` });
      } catch (err) {
        reports.push({ name: 'drachtio', how: 'missing', where: (err as Error).message });
      }
    } else {
      reports.push({ name: 'drachtio', how: 'missing', where: 'no `drachtio` binary on PATH and DRACHTIO_HOST unset: SIP is off. Set DRACHTIO_HOST, or run `docker compose up` (see README)' });
    }
    if (drachtioHost) {
      sip = new SipConnection({ host: drachtioHost, port: config.drachtio.port, secret: config.drachtio.secret, logger: logger.child({ module: 'sip' }) });
      sip.connect();
      const connection = sip;
      closers.push(() => connection.disconnect());
      const mounted = createRegistrar({
        redis, db, realm: config.sip.realm, logger: logger.child({ module: 'registrar' }),
        trunks: config.sip.trunks, authExemptNetworks: config.sip.authExemptNetworks, maxBindingsPerPerson: config.sip.maxBindingsPerPerson, nonceSecret: config.sip.nonceSecret,
      });
      mounted.mount(connection.srf);
      mounted.start();
      closers.push(() => mounted.stop());
      registrar = mounted;
    }

    await ensureReferenceData(db);
    const adminPassword = config.auth.adminPassword ?? DEV_ADMIN_PASSWORD;
    await ensureAdminUser(db, config.auth.adminUser, adminPassword);
    let seeded = false;
    if (config.demo.seedOnFirstStart && config.mode !== 'production') {
      seeded = (await seedDemoData(db, { defaultCountry: config.phone.defaultCountry, sipRealm: config.sip.realm, logger, alwaysOpen: config.demo.alwaysOpen })) === 'seeded';
    }

    // Hourly report rollups (issue 7), kept current in the background; one process does it (advisory lock).
    // Daily agent rows in the reports' default zone: the zone a year's report by day is usually asked in.
    const reportRollups = new ReportRollupJob({ store: rollupStore(db), logger: logger.child({ module: 'report-rollups' }), dayTimeZone: config.reports?.timeZone ?? 'UTC' });
    reportRollups.start();
    closers.push(() => reportRollups.stop());

    // The ACD: live queues and agents in Redis, fed from the directory and kept in step with it.
    let acd: Acd | null = null;
    if (redisTarget) {
      const acdRedis = connectRedis(redisTarget, { maxRetriesPerRequest: 2 });
      acdRedis.on('error', () => undefined);
      closers.push(() => acdRedis.disconnect());
      acd = new Acd({ redis: acdRedis, logger: logger.child({ module: 'acd' }) });
      const running = acd;
      await running.start();
      closers.push(() => running.stop());
      const directory = acdDirectorySource(db, config.sip.realm);
      await syncDirectoryToAcd(directory, running, logger);
      const staffing = new StaffingChangeFeed(redis, logger);
      let resync: NodeJS.Timeout | null = null;
      await staffing.subscribe(() => {
        // Several changes in a burst (an admin saving a form) give one sync.
        if (resync) clearTimeout(resync);
        resync = setTimeout(() => {
          resync = null;
          syncDirectoryToAcd(directory, running, logger).catch((err: unknown) => logger.warn({ err }, 'ACD directory sync failed'));
        }, 250);
      });
      closers.push(() => {
        if (resync) clearTimeout(resync);
        staffing.close();
      });
      const writerRedis = acdRedis.duplicate();
      writerRedis.on('error', () => undefined);
      // While Postgres is away, events past 50,000 in the stream go to local disk first, so Redis never trims unwritten ones.
      const eventWriter = new AcdEventWriter({
        redis: writerRedis, store: acdEventStore(db), spillDir: path.join(dataDir, 'acd-events-spill'), logger: logger.child({ module: 'acd-events' }),
      });
      await eventWriter.start();
      closers.push(async () => {
        await eventWriter.stop();
        writerRedis.disconnect();
      });
    }

    // Calls: the hotline needs SIP, media and the ACD together; media is there when one rtpengine answers at least.
    let liveCalls: InboundCallHandler | null = null;
    let listMediaSessions: () => Promise<string[]> = () => Promise.resolve([]);
    let rtpengineStatus = (): ComponentStatus[] => rtpengineStates;
    let overloadStatus = (): ComponentStatus[] => [];
    let outboundCalls: OutboundDialer | null = null;
    let monitorLegs: MonitorLegPlacer | null = null;
    const metrics = new Registry();
    if (sip && registrar && acd && rtpengineStates.some((r) => r.state === 'up')) {
      const callServices = await createCallServices({ config, db: callDb, redis, acd, srf: sip.srf, registrar, rtpengines, logger, metrics });
      listMediaSessions = () => callServices.media.listCalls();
      // From here each engine's health is what its probes and commands show, not the ping at start.
      rtpengineStatus = () => callServices.media.status();
      // Whether new calls are being shed for overload (issue 16); never required: see OverloadGuard.status.
      overloadStatus = () => [callServices.overload.status()];
      closers.push(() => callServices.stop());
      // Ready with no phone that can ring is not Ready (a closed softphone tab, an unplugged desk phone).
      closers.push(followPhonePresence(registrar, acd, logger.child({ module: 'presence' })));
      const calls = new InboundCallHandler(callServices.services);
      calls.mount();
      liveCalls = calls;
      // Call monitoring (issue 18): supervisors' devices get a copy of the hotline's live calls.
      monitorLegs = monitorLegPlacerFor(callServices.services, calls);
      // Outbound calls (issue 5): click-to-call, calls dialled on staff devices, queued callbacks.
      // Where calls may go, and how many one person may have at once across processes (issue 15).
      const slots = new RedisOutboundCallSlots({ redis, logger: logger.child({ module: 'outbound-slots' }) });
      closers.push(() => slots.stop());
      const dialer = new OutboundDialer({
        services: callServices.services, db, acd, defaultCountry: config.phone.defaultCountry, trunks: dialableTrunks(config.sip.trunks),
        policy: outboundPolicyFor(config.outbound, config.phone.defaultCountry), slots,
        callingRules: callingRulesFor(config.callingRules), callbackRetries: new RedisCallbackRetryStore(redis),
      });
      // hotline: draft-test calls (`ivr-draft-<flow>`, issue 7) run the hotline's path on a draft flow.
      const devices = new DeviceCallHandler({ services: callServices.services, registrar, dialer, db, defaultCountry: config.phone.defaultCountry, logger, hotline: calls });
      calls.attachOutbound({ devices, callbacks: (reservation) => dialer.dialCallback(reservation) });
      outboundCalls = dialer;
      // drachtio-server back after a drop (it may have restarted and lost every dialog): each call checks its legs.
      closers.push(sip.onReconnect(() => {
        calls.reconcileDialogs();
        dialer.reconcileDialogs();
      }));
      // Inbound and outbound calls drain side by side: one deadline for both.
      closers.push(async () => {
        await Promise.all([calls.stop(drain), dialer.stop(drain)]);
      });
      reports.push({ name: 'calls', how: 'started', where: `hotline on drachtio, trunks ${config.sip.trunks.join(', ')}` });
    } else {
      reports.push({ name: 'calls', how: 'missing', where: 'the hotline needs drachtio-server, rtpengine and Redis; see the lines above' });
    }

    const tlsComponent = (): ComponentStatus => {
      if (!siteTls) return { name: 'tls', state: 'disabled', required: false, detail: 'TLS is off: plain HTTP and WebSocket' };
      const standing = certificateStanding(siteTls);
      return { name: 'tls', state: standing.healthy ? 'up' : 'down', required: false, detail: standing.detail };
    };
    const plainPaths = [...(config.http.plainHealth ? ['/healthz', '/readyz', '/metrics'] : []), ...(siteTls?.ca ? [CA_DOWNLOAD_PATH, '/ca'] : [])];
    const http = await buildApp({
      config, db, redis, logger, metrics, ...(acd ? { acd } : {}), ...(liveCalls ? { calls: liveCalls } : {}), ...(outboundCalls ? { outbound: outboundCalls } : {}),
      ...(monitorLegs ? { monitorLegs } : {}),
      ...(siteTls ? { https: { key: siteTls.keyPem, cert: siteTls.certPem, plainPaths } } : {}),
      ...(siteTls?.ca ? { siteCa: { pem: siteTls.ca.pem, fingerprint: siteTls.ca.fingerprint } } : {}),
      components: () => [...rtpengineStatus(), ...overloadStatus(), sip ? sip.status() : { name: 'sip', state: 'disabled', required: false, detail: 'drachtio-server not available' }, tlsComponent()],
    });
    closers.push(() => http.close());
    await http.listen({ host: listening.httpHost, port: config.http.port });

    const scheme = siteTls ? 'https' : 'http';
    const urlOf = (host: string): string => `${scheme}://${hostPart(host)}:${config.http.port}`;
    const boundToAll = listening.httpHost === '0.0.0.0' || listening.httpHost === '::';
    const url = urlOf(boundToAll ? publicAddress : listening.httpHost);
    const otherUrls = boundToAll ? [...new Set([machine.hostName, ...machine.addresses].filter((h) => h !== publicAddress).map(urlOf))] : [];
    return {
      http, url, otherUrls, publicAddress, warnings,
      liveCalls: () => ({ inbound: liveCalls?.liveCalls ?? 0, outbound: outboundCalls?.liveCalls ?? 0 }),
      mediaSessions: () => listMediaSessions(),
      tls: siteTls
        ? {
          source: siteTls.source, certFile: siteTls.certFile, caFile: siteTls.ca?.file ?? null, caUrl: siteTls.ca ? `${url}${CA_DOWNLOAD_PATH}` : null,
          caFingerprint: siteTls.ca?.fingerprint ?? null, standing: tlsComponent().detail ?? '',
        }
        : null,
      components: reports,
      nodeId: acd?.nodeId ?? null,
      demo: config.mode === 'production' ? null : { adminUser: config.auth.adminUser, adminPassword: config.auth.adminPassword ? '(from ADMIN_PASSWORD)' : adminPassword, staffPassword: seeded || config.demo.seedOnFirstStart ? DEMO_PASSWORD : '' },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
