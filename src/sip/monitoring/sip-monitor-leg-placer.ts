import type Srf from 'drachtio-srf';
import type { MonitorLeg, MonitorLegPlacer, MonitorLegRequest } from '../../call-monitoring/monitor-leg';
import type { MonitorMode } from '../../call-monitoring/monitor-mode';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import { MEDIA_MONITOR_MODES, unsupportedMonitorMode } from '../../media/monitor-capabilities';
import { MonitorFork, playToParties } from '../../media/monitor-fork';
import type { MediaEngines } from '../../media/media-engine';
import { hangUpDialog, legKindOf } from '../call-session/dialog-ends';
import { offerBranches } from '../call-session/offer-branches';
import { RingFailed, ringFirst } from '../parallel-ring';
import type { CallServices } from '../call-services';
import type { ContactBinding } from '../registration-store';
import type { SrfApp } from '../srf-types';
import type { MonitoredCall, MonitoredCalls } from './monitored-call';
import { SipMonitorLeg } from './sip-monitor-leg';

/** How long the supervisor's devices ring; they answer by themselves (Call-Info answer-after=0), so this is about a phone that does not. */
const RING_TIMEOUT_MS = 20_000;

export interface SipMonitorLegPlacerOptions {
  srf: SrfApp;
  calls: MonitoredCalls;
  media: MediaEngines;
  contactsOf: (staffId: number) => Promise<readonly ContactBinding[]>;
  /** The agent's name for the supervisor's screen; null when unknown. */
  staffName: (staffId: number) => Promise<string | null>;
  logger: Logger;
  /** The tone both parties hear when the site's policy announces monitoring; null: none can be played. */
  announceFile: string | null;
  ringTimeoutMs?: number;
}

/**
 * The SIP side of call monitoring (issue 18): calls the supervisor's
 * registered devices — all of the first device's kind at once, like an
 * agent's — with a copy of the live call's audio from rtpengine, marked as a
 * monitoring call so that a softphone answers it by itself. The monitored
 * call's legs are not touched: neither party is told.
 */
export class SipMonitorLegPlacer implements MonitorLegPlacer {
  constructor(private readonly options: SipMonitorLegPlacerOptions) {}

  supportedModes(): readonly MonitorMode[] {
    return MEDIA_MONITOR_MODES;
  }

  async place(request: MonitorLegRequest): Promise<MonitorLeg> {
    const { calls, media, contactsOf } = this.options;
    const why = unsupportedMonitorMode(request.mode);
    if (why) throw new AppError('MONITOR_MODE_UNSUPPORTED', why);
    const call = calls.monitored(request.callId);
    if (!call) throw new AppError('CALL_NOT_LIVE', `call ${request.callId} has no caller and agent talking in this process`);
    const engine = media.engine(call.engine);
    if (!engine) throw new AppError('DEPENDENCY_DOWN', `the rtpengine of call ${request.callId} (${call.engine ?? 'default'}) is not known to this process`);
    // The site promises its callers a tone: no tone, no monitoring.
    if (request.announce && !this.options.announceFile) throw new AppError('DEPENDENCY_DOWN', 'the site announces monitoring with a tone, and none could be made (sox)');
    const contacts = await contactsOf(request.supervisorStaffId);
    const first = contacts[0];
    if (!first) throw new AppError('NO_DEVICE', `staff member ${request.supervisorStaffId} has no registered phone to listen on`);
    const kind = legKindOf(first);
    const devices = contacts.filter((c) => legKindOf(c) === kind);
    const log = this.options.logger.child({ monitorSession: request.sessionId, callId: request.callId, mode: request.mode });
    // One subscription per session: 10.5 keeps a re-subscribed tag's old sources flowing (docs/call-monitoring.md).
    const fork = new MonitorFork({ ng: engine.ng, callId: call.mediaCallId, tag: `monitor-${request.sessionId}`, kind, logger: log });
    let dialog: Srf.Dialog | null = null;
    try {
      const offer = await fork.request([call.callerTag, call.agentTag]);
      const headers = await this.headersFor(request, call);
      const branches = offerBranches(this.options.srf, devices.map((c) => c.uri), { localSdp: offer, headers }, {
        onRinging: () => undefined, hangUp: (d) => hangUpDialog(d, log),
      });
      dialog = (await ringFirst(branches, { timeoutMs: this.options.ringTimeoutMs ?? RING_TIMEOUT_MS, stop: call.ended })).answer;
      await fork.accept(dialog.remote.sdp);
      if (request.announce && this.options.announceFile) await playToParties(engine.ng, call.mediaCallId, [call.callerTag, call.agentTag], this.options.announceFile);
      log.info({ devices: devices.length, kind }, 'supervisor listening');
      return new SipMonitorLeg(dialog, fork, request.mode, call.ended, log);
    } catch (err) {
      if (dialog) hangUpDialog(dialog, log);
      await fork.end().catch((e: unknown) => log.warn({ err: e }, 'unsubscribing the monitoring fork failed'));
      throw placeFailure(err, request);
    }
  }

  private async headersFor(request: MonitorLegRequest, call: MonitoredCall): Promise<Record<string, string>> {
    const agentName = (await this.options.staffName(call.agentStaffId).catch(() => null)) ?? `agent ${call.agentStaffId}`;
    return {
      From: '<sip:monitor@switchboard.invalid>',
      // What the softphone keys on to answer by itself, receive-only (src/web/softphone/monitoring-call.ts).
      'X-Switchboard-Monitor': `${request.mode}; session=${request.sessionId}`,
      'X-Switchboard-Monitor-Label': encodeURIComponent(`${agentName} ↔ ${call.callerNumber}`),
      // No X-Switchboard-Call-Id: the softphone would take the call for the supervisor's own (its card, a wrap-up form).
      // Desk phones that honour it answer at once (the de-facto auto-answer header, e.g. Polycom, Yealink, Snom).
      'Call-Info': '<sip:monitor@switchboard.invalid>;answer-after=0',
    };
  }
}

/** What the service is told when the leg could not be placed. */
function placeFailure(err: unknown, request: MonitorLegRequest): unknown {
  if (!(err instanceof RingFailed)) return err;
  if (err.failure.kind === 'stopped') return new AppError('CALL_NOT_LIVE', `call ${request.callId} ended before the supervisor's phone answered`);
  return new AppError('NO_DEVICE', `the supervisor's phone did not take the monitoring call (${err.reason})`);
}

/** The placer the runtime wires when the hotline runs: the calls' own services, and the hotline's live calls. */
export function monitorLegPlacerFor(services: Pick<CallServices, 'srf' | 'media' | 'contactsOf' | 'directory' | 'logger' | 'voicemail'>, calls: MonitoredCalls): SipMonitorLegPlacer {
  return new SipMonitorLegPlacer({
    srf: services.srf, calls, media: services.media, contactsOf: services.contactsOf, logger: services.logger.child({ module: 'call-monitoring' }),
    // The site's one short tone (1 kHz, half a second: the voicemail's), made with sox on first start.
    announceFile: services.voicemail?.beepFile ?? null,
    staffName: async (staffId) => (await services.directory()).staff.find((s) => s.id === staffId)?.name ?? null,
  });
}
