import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { subscribeAcdEvents, type Acd, type AcdEvent } from '../acd';
import { AvailabilityView } from '../acd/availability-view';
import { CallCheckpointStore } from '../calls/call-checkpoint-store';
import { CallRecordWriter } from '../calls/call-record-writer';
import { purgeExpiredRecordings } from '../calls/recording-retention';
import type { AppConfig } from '../config/config-schema';
import { ivrFlowStore, routingConfigStore } from '../db/config-stores';
import type { Db } from '../db/pool';
import { ConfigPublishedFeed, PublishedConfigCache } from '../db/published-config-cache';
import { callRecordStore, recordingPurgeStore } from '../db/repositories/call-records-repository';
import { findClientFactsByPhone } from '../db/repositories/caller-facts-repository';
import { loadDirectorySnapshot } from '../db/repositories/directory-snapshot-repository';
import { listPrompts } from '../db/repositories/prompts-repository';
import { CallerLookup } from '../directory/caller-lookup';
import { DirectoryChangeFeed, StaffingChangeFeed } from '../directory/directory-change-feed';
import type { Logger } from '../logger';
import { DtmfListener } from '../media/dtmf-listener';
import { DtmfRelayFeed } from '../media/dtmf-relay';
import { promptFilePath } from '../media/prompt-files';
import { PromptVariants } from '../media/prompt-variants';
import { RtpenginePool, type RtpengineEndpoint } from '../media/rtpengine-pool';
import type { DirectorySnapshot } from '../routing/directory-snapshot';
import type { CallServices, PromptSource } from '../sip/call-services';
import type { Registrar } from '../sip/registrar';
import { queueWaitOptionsSource } from './queue-wait-options-source';
import { voicemailSettings } from './voicemail-services';
import { OrphanCallCloser } from '../sip/orphan-call-closer';
import { hangUpOrphanLeg } from '../sip/orphan-legs';
import type { SrfApp } from '../sip/srf-types';
import { TrunkAcl } from '../sip/trunk-acl';
import { EventLoopDelay } from '../sip/overload/event-loop-delay';
import { OverloadGuard } from '../sip/overload/overload-guard';
import { deepFreeze } from '../platform/deep-freeze';

/** The IVR flow the hotline runs. */
const FLOW_NAME = 'main';

/** A value read again at most every `ttlMs`; the last one is kept when a re-read fails. */
function cached<T>(load: () => Promise<T>, ttlMs: number): { get: () => Promise<T>; invalidate: () => void } {
  let value: T | undefined;
  let at = 0;
  return {
    async get() {
      if (value !== undefined && Date.now() - at < ttlMs) return value;
      try {
        value = await load();
        at = Date.now();
      } catch (err) {
        if (value === undefined) throw err;
      }
      return value;
    },
    invalidate() {
      at = 0;
    },
  };
}

/**
 * Music on hold: there is no licensed music in the repository, so a gentle
 * two-tone pattern is made with sox on first use. Without sox, the
 * "connecting" prompt is looped instead.
 */
function musicOnHoldFile(dataDir: string, fallback: string, logger: Logger): string {
  const file = path.join(dataDir, 'prompts', 'music_on_hold.wav');
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const made = spawnSync('sox', ['-D', '-R', '-n', '-r', '8000', '-c', '1', '-b', '16', file, 'synth', '0.6', 'sine', '523', 'synth', '0.6', 'sine', 'mix', '659', 'pad', '0', '0.4', 'repeat', '14', 'vol', '0.15'], { timeout: 10_000 });
  if (made.status === 0 && existsSync(file)) return file;
  logger.warn({ stderr: made.stderr?.toString() }, 'could not make music on hold with sox; looping the connecting prompt');
  return fallback;
}

export interface CallServicesHandle {
  services: CallServices;
  /** The rtpengines the calls go on: their health for /readyz, their calls for mediaSessions(). */
  media: RtpenginePool;
  /** The hotline's overload control (issue 16): its state for /readyz. */
  overload: OverloadGuard;
  stop(): Promise<void>;
}

/** Builds what every call uses, from the running components. Stop it after the SIP side stops. */
export async function createCallServices(options: {
  config: Readonly<AppConfig>;
  db: Db;
  redis: Redis;
  acd: Acd;
  srf: SrfApp;
  registrar: Registrar;
  /** The rtpengines, each with its recording folder as this process sees it (issue 14: calls spread over several). */
  rtpengines: readonly RtpengineEndpoint[];
  logger: Logger;
  /** Where the overload control's counters go (/metrics); none in tests that do not read them. */
  metrics?: Registry;
}): Promise<CallServicesHandle> {
  const { config, db, redis, acd, logger } = options;
  const dataDir = path.resolve(config.dataDir);
  const stops: Array<() => Promise<void> | void> = [];
  try {
    // Each rtpengine's calls are swept by its own sweeper: deleted later when their delete failed (issue 5), reported
    // lost when it no longer holds them or stops answering (issue 14). Stopped last (stops run in reverse).
    // Prompts are played from copies in the caller's codec once made (issue 16: cheaper for rtpengine), kept in the data folder.
    const promptVariants = new PromptVariants({ dir: path.join(dataDir, 'prompt-cache'), logger: logger.child({ module: 'prompts' }) });
    const media = new RtpenginePool({ engines: options.rtpengines, commandTimeoutMs: 2000, logger: logger.child({ module: 'rtpengine' }), promptVariants });
    await media.start();
    stops.push(() => media.stop());
    // rtpengine logs DTMF to one port that every Switchboard process of the host shares (issue 14);
    // a digit reaching a process that does not hold the call is relayed to the others over Redis.
    const dtmfLogger = logger.child({ module: 'dtmf' });
    const dtmf = await DtmfListener.start({ port: config.rtpengine.dtmfLogPort, relay: new DtmfRelayFeed(redis, dtmfLogger), logger: dtmfLogger });
    stops.push(() => dtmf.close());

    const lookup = new CallerLookup({ fetch: (e164) => findClientFactsByPhone(db, e164), defaultCountry: config.phone.defaultCountry, logger });
    const directoryFeed = new DirectoryChangeFeed(redis, logger);
    await directoryFeed.subscribe((change) => lookup.invalidate(change.e164s ?? undefined));
    stops.push(() => directoryFeed.close());

    const flows = new PublishedConfigCache(db, ivrFlowStore, logger);
    const routing = new PublishedConfigCache(db, routingConfigStore, logger);
    const publishedFeed = new ConfigPublishedFeed(redis, logger);
    await publishedFeed.subscribe((notice) => {
      flows.invalidate(notice);
      routing.invalidate(notice);
    });
    stops.push(() => publishedFeed.close());

    const directory = cached<DirectorySnapshot>(() => loadDirectorySnapshot(db), 30_000);
    const staffingFeed = new StaffingChangeFeed(redis, logger);
    await staffingFeed.subscribe(() => directory.invalidate());
    stops.push(() => staffingFeed.close());

    const prompts = cached<PromptSource>(async () => {
      const stored = await listPrompts(db);
      const files = new Map(stored.map((p) => [`${p.language}:${p.id}`, promptFilePath(p, dataDir)]));
      return {
        // Frozen: every call shares it, and IvrRun indexes a frozen catalogue once instead of copying it per call.
        catalogue: deepFreeze(stored.map(({ id, language, text, audioFile }) => ({ id, language, text, audioFile }))),
        fileOf: (id, language) => {
          const file = files.get(`${language}:${id}`);
          if (!file) throw new Error(`prompt ${id} has no ${language} recording`);
          return file;
        },
      };
    }, 10_000);

    const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', () => undefined);
    stops.push(() => subscriber.disconnect());
    const availability = new AvailabilityView(acd, subscriber, async () => (await directory.get()).staff.filter((s) => s.active).map((s) => String(s.id)), logger);
    await availability.start();
    stops.push(() => availability.stop());

    // The ACD's live events, fanned out to the calls of this process (max-wait overflow while waiting).
    const acdEventListeners = new Set<(event: AcdEvent) => void>();
    const acdSubscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    acdSubscriber.on('error', () => undefined);
    stops.push(() => acdSubscriber.disconnect());
    const unsubscribeAcd = await subscribeAcdEvents(acdSubscriber, acd.keys, (event) => {
      for (const listener of [...acdEventListeners]) {
        try {
          listener(event);
        } catch (err) {
          logger.warn({ err, event: event.type }, 'ACD event listener failed');
        }
      }
    });
    stops.push(() => unsubscribeAcd());

    const writer = new CallRecordWriter({ store: callRecordStore(db), redis, logger: logger.child({ module: 'call-records' }) });
    writer.start();
    stops.push(() => writer.stop());

    const recordingsRoot = path.join(dataDir, 'recordings');

    // Each live call keeps a checkpoint under this process's ACD node; the calls of a process that died are closed
    // here from theirs (issue 14), each on the rtpengine it names. Stopped before the writer (stops run in reverse),
    // which stores what it closes.
    const checkpoints = new CallCheckpointStore({ redis });
    const orphans = new OrphanCallCloser({
      store: checkpoints, nodeId: acd.nodeId, liveNodes: () => acd.liveNodes(), media, writer, recordingsRoot,
      recordingRetentionDays: config.recordings.retentionDays, logger,
      hangUpLeg: (dialogId) => hangUpOrphanLeg(options.srf, dialogId, logger),
    });
    orphans.start();
    stops.push(() => orphans.stop());
    const retentionMs = config.recordings.retentionDays * 86_400_000;
    const purgeStore = recordingPurgeStore(db);
    const purge = setInterval(() => {
      purgeExpiredRecordings({ store: purgeStore, recordingsDir: recordingsRoot, retentionMs, logger }).catch((err: unknown) => logger.warn({ err }, 'recording purge failed'));
    }, 3_600_000);
    purge.unref();
    stops.push(() => clearInterval(purge));

    // Overload control (issue 16): every new hotline call is admitted or refused on the ng round trip every command
    // of the pool measures, this process's event loop delay and its live calls.
    const eventLoop = new EventLoopDelay();
    eventLoop.start();
    stops.push(() => eventLoop.stop());
    const registers = options.metrics ? [options.metrics] : [];
    const refusedCalls = new Counter({ name: 'switchboard_calls_refused_overload_total', help: 'New hotline calls refused with 503 for overload, by reason', labelNames: ['reason'], registers });
    const overload = new OverloadGuard({
      limits: config.overload, media: media.load, eventLoop, logger: logger.child({ module: 'overload' }),
      onRefused: (reason) => refusedCalls.inc({ reason }),
    });
    new Gauge({
      name: 'switchboard_overload_shedding', help: '1 while new hotline calls are being shed for overload, else 0', registers,
      collect() {
        this.set(overload.status().state === 'up' ? 0 : 1);
      },
    });

    const promptsNow = await prompts.get();
    // What every call reads, read once now: a process that started while Postgres answered keeps answering calls
    // from these copies while it is away or frozen (issue 14) instead of failing its first calls for want of them.
    const warmed = await Promise.allSettled([flows.current(FLOW_NAME), routing.current(null), directory.get()]);
    for (const failed of warmed.filter((w): w is PromiseRejectedResult => w.status === 'rejected')) logger.warn({ err: failed.reason as unknown }, 'could not preload what calls read; the first call will try again');
    const services: CallServices = {
      srf: options.srf, acd, media, dtmf, lookup, flows, routing,
      directory: () => directory.get(),
      prompts: () => prompts.get(),
      availability,
      contactsOf: (staffId) => options.registrar.contactsOf(staffId),
      writer,
      trunks: new TrunkAcl(config.sip.trunks),
      recordingsRoot,
      recordingRetentionDays: config.recordings.retentionDays,
      callLimits: { maxWaitMs: config.calls.maxWaitSeconds * 1000, maxCallMs: config.calls.maxCallSeconds * 1000, keepaliveMs: config.calls.keepaliveSeconds * 1000 },
      musicOnHoldFile: musicOnHoldFile(dataDir, promptsNow.fileOf('connecting', 'ru'), logger),
      flowName: FLOW_NAME,
      logger: logger.child({ module: 'calls' }),
      mediaLost: (listener) => media.onMediaLost(listener),
      checkpoints: { store: checkpoints, nodeId: acd.nodeId },
      overload,
      queueWaitOptions: queueWaitOptionsSource(db),
      voicemail: voicemailSettings(config, options.db, logger),
      acdEvents: (listener) => {
        acdEventListeners.add(listener);
        return () => {
          acdEventListeners.delete(listener);
        };
      },
    };
    return {
      services,
      media,
      overload,
      async stop() {
        for (const stop of stops.reverse()) {
          try {
            await stop();
          } catch (err) {
            logger.warn({ err }, 'stopping a call service failed');
          }
        }
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    throw err;
  }
}
