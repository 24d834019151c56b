/**
 * The media baseline of bench:sip (issue 16): a trivial drachtio-srf app on a
 * drachtio-server and an rtpengine of its own that, per INVITE, does what
 * Switchboard's IVR does with the media and nothing else — anchors the caller
 * in rtpengine (`offer` with the caller's SDP, `answer` with a placeholder,
 * the same ng flags), answers with rtpengine's SDP, plays the greeting the
 * hotline plays first (`play media`, from the same copy in the caller's codec
 * as Switchboard's, prompt-variants), and deletes the call on BYE. Switchboard's
 * rate as a share of this one measures Switchboard rather than rtpengine.
 */
import { Client as NgClient, type NgParams, type NgReply } from 'rtpengine-client';
import type { Logger } from '../src/logger';
import { flagsToward, sdpToward } from '../src/media/media-leg';
import { startRtpengine } from '../src/media/rtpengine-process';
import { widenNgReceiveBuffer } from '../src/media/rtpengine-ng-client';
import { PromptVariants } from '../src/media/prompt-variants';
import { audioCodec, placeholderAnswer } from '../src/media/sdp-text';
import { freeTcpPort } from '../src/platform/managed-process';
import { tempDir } from './lib/cleanup';
import { benchDrachtio, connectSrf, type DrachtioPlan } from './lib/drachtio';
import { log, sleep } from './lib/format';
import { risingRates, type RateSettings, type RisingRates } from './lib/rising-rates';
import { purgeRtpengine, rtpengineSessions } from './lib/rtpengine-ng';
import { LOOPBACK, type Scenario } from './lib/sipp';

export interface MediaBaselineOptions {
  plan: DrachtioPlan;
  logger: Logger;
  settings: RateSettings;
  /** The same callers Switchboard gets. */
  scenario: Scenario;
  /** The prompt file Switchboard's IVR plays first to these callers. */
  greetingFile: string;
  rtpPorts: { min: number; max: number };
}

export interface MediaBaselineFigures extends RisingRates {
  /** INVITEs the app could not answer, or greetings it could not start (rtpengine refused or timed out). */
  failures: Map<string, number>;
}

/** The placeholder's tag, as Switchboard names it (media-session PLACEHOLDER_TAG). */
const PLACEHOLDER_TAG = 'ivr';

function tagOf(header: string | undefined): string | null {
  return /;\s*tag=([^;>\s]+)/i.exec(header ?? '')?.[1] ?? null;
}

export async function mediaBaselinePhase(options: MediaBaselineOptions): Promise<MediaBaselineFigures> {
  const ngPort = await freeTcpPort();
  const rtpengine = await startRtpengine({
    binary: 'rtpengine', ngPort, interface: LOOPBACK, portMin: options.rtpPorts.min, portMax: options.rtpPorts.max,
    dtmfLogPort: await freeTcpPort(), recordingDir: tempDir('sip-bench-media-rec-'), logger: options.logger,
  });
  // Switchboard's ng client: rtpengine-client with a 2 s timeout.
  const ng = new NgClient({ timeout: 2000 });
  ng.on('error', () => undefined);
  // As Switchboard's client does: replies must not be dropped while this process is busy.
  widenNgReceiveBuffer(ng.socket);
  const failures = new Map<string, number>();
  const fail = (what: string): void => {
    failures.set(what, (failures.get(what) ?? 0) + 1);
  };
  const command = async (name: 'offer' | 'answer' | 'playMedia' | 'delete', params: NgParams): Promise<NgReply> => {
    const reply = await ng[name](ngPort, LOOPBACK, params);
    if (reply.result !== 'ok') throw new Error(`rtpengine refused ${name}: ${reply['error-reason'] ?? reply.result}`);
    return reply;
  };
  const variants = new PromptVariants({ dir: tempDir('sip-bench-media-prompts-') });
  const sdpOf = (reply: NgReply): string => (Buffer.isBuffer(reply.sdp) ? reply.sdp.toString('utf8') : String(reply.sdp));

  let drachtio: Awaited<ReturnType<typeof benchDrachtio>> | null = null;
  const dialogs = new Set<{ destroy(): unknown }>();
  try {
    drachtio = await benchDrachtio(options.plan, options.logger, 'sip-bench-media-drachtio-');
    const { connection, sipTarget } = drachtio;
    const srf = connection.srf;
    srf.invite((req, res) => {
      const callId = req.get('Call-ID');
      const fromTag = tagOf(req.get('From'));
      const body = req.body;
      void (async () => {
        let step = 'offer';
        try {
          if (!fromTag || !body) throw new Error('INVITE without From tag or SDP');
          const offer = await command('offer', { 'call-id': callId, 'from-tag': fromTag, sdp: body, ...flagsToward('sip') });
          step = 'answer';
          const answer = await command('answer', { 'call-id': callId, 'from-tag': fromTag, 'to-tag': PLACEHOLDER_TAG, sdp: placeholderAnswer(sdpOf(offer), 1), ...flagsToward('sip') });
          step = '200 OK';
          const callerSdp = sdpToward('sip', sdpOf(answer));
          const dialog = await srf.createUAS(req, res, { localSdp: callerSdp });
          dialogs.add(dialog);
          dialog.on('destroy', () => {
            dialogs.delete(dialog);
            command('delete', { 'call-id': callId, 'delete-delay': 0 }).catch(() => fail('delete'));
          });
          step = 'play media';
          await command('playMedia', { 'call-id': callId, 'from-tag': fromTag, file: variants.fileFor(options.greetingFile, audioCodec(callerSdp)) });
        } catch {
          fail(step);
          if (step === 'offer' || step === 'answer') res.send(500);
          // The call stays in rtpengine after a failed answer or 200; a failed greeting is ended by the caller's BYE.
          if (step === 'answer' || step === '200 OK') command('delete', { 'call-id': callId, 'delete-delay': 0 }).catch(() => fail('delete'));
        }
      })();
    });
    await connectSrf(connection);
    log(`media baseline: trivial drachtio-srf app + rtpengine (offer, answer, play ${options.greetingFile.split('/').slice(-2).join('/')}, delete on BYE); SIP at ${sipTarget}`);
    const result = await risingRates(options.settings, 'media baseline', sipTarget, options.scenario, async () => {
      // Every call has ended: wait for the last BYEs, then count what rtpengine still holds (leaked) and delete it.
      const deadline = Date.now() + 10000;
      while (dialogs.size > 0 && Date.now() < deadline) await sleep(200);
      let sessions = await rtpengineSessions(ng, ngPort);
      while (sessions && Date.now() < deadline) {
        await sleep(500);
        sessions = await rtpengineSessions(ng, ngPort);
      }
      const leaked = sessions ? await purgeRtpengine(ng, ngPort) : 0;
      await sleep(1500);
      return leaked;
    });
    if (failures.size > 0) log(`media baseline: failed steps ${[...failures.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    return { ...result, failures };
  } finally {
    await drachtio?.stop();
    ng.close();
    await rtpengine.stop();
  }
}
