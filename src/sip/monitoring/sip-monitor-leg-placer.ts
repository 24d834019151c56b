import type Srf from 'drachtio-srf';
import type { MonitorLeg, MonitorLegPlacer, MonitorLegRequest } from '../../call-monitoring/monitor-leg';
import type { MonitorMode } from '../../call-monitoring/monitor-mode';
import { voiceDeviceProblem } from '../../call-monitoring/monitor-voice-plan';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import { probeConferenceMixer, type MixerAvailability } from '../../media/gstreamer-probe';
import { mediaMonitorModes, unsupportedMonitorMode } from '../../media/monitor-capabilities';
import { MonitorFork, playToParties } from '../../media/monitor-fork';
import type { MediaEngines } from '../../media/media-engine';
import { hangUpDialog, legKindOf } from '../call-session/dialog-ends';
import type { CallServices } from '../call-services';
import type { ContactBinding } from '../registration-store';
import type { SrfApp } from '../srf-types';
import { callMonitorDevice, monitorCallHeaders } from './monitor-device-call';
import type { MonitoredCalls } from './monitored-call';
import { SipMonitorLeg } from './sip-monitor-leg';
import { SupervisorVoice } from './supervisor-voice';

export interface SipMonitorLegPlacerOptions {
  srf: SrfApp;
  calls: MonitoredCalls;
  media: MediaEngines;
  contactsOf: (staffId: number) => Promise<readonly ContactBinding[]>;
  /** A staff member's name for the screens (the agent's for the supervisor, the supervisor's for the agent); null when unknown. */
  staffName: (staffId: number) => Promise<string | null>;
  logger: Logger;
  /** The tone both parties hear when the site's policy announces monitoring; null: none can be played. */
  announceFile: string | null;
  ringTimeoutMs?: number;
  /** Whether the barge mixer can run here (default: probe GStreamer once). */
  mixer?: () => Promise<MixerAvailability>;
}

/**
 * The SIP side of call monitoring (issue 18): calls the supervisor's
 * registered devices — their browser softphones when they have any, else
 * their desk phones, all at once — with a copy of the live call's audio from
 * rtpengine, marked as a monitoring call so that a softphone answers it by
 * itself. Listening touches neither party's leg: neither is told. Whisper and
 * barge add the supervisor's voice (SupervisorVoice).
 */
export class SipMonitorLegPlacer implements MonitorLegPlacer {
  constructor(private readonly options: SipMonitorLegPlacerOptions) {}

  async supportedModes(): Promise<readonly MonitorMode[]> {
    return mediaMonitorModes((await this.mixer()).available);
  }

  private mixer(): Promise<MixerAvailability> {
    return (this.options.mixer ?? probeConferenceMixer)();
  }

  async place(request: MonitorLegRequest): Promise<MonitorLeg> {
    const { calls, media, contactsOf } = this.options;
    const why = unsupportedMonitorMode(request.mode, (await this.mixer()).available);
    if (why) throw new AppError('MONITOR_MODE_UNSUPPORTED', why);
    const call = calls.monitored(request.callId);
    if (!call) throw new AppError('CALL_NOT_LIVE', `call ${request.callId} has no caller and agent talking in this process`);
    const engine = media.engine(call.engine);
    if (!engine) throw new AppError('DEPENDENCY_DOWN', `the rtpengine of call ${request.callId} (${call.engine ?? 'default'}) is not known to this process`);
    // The site promises its callers a tone: no tone, no monitoring.
    if (request.announce && !this.options.announceFile) throw new AppError('DEPENDENCY_DOWN', 'the site announces monitoring with a tone, and none could be made (sox)');
    const contacts = await contactsOf(request.supervisorStaffId);
    if (contacts.length === 0) throw new AppError('NO_DEVICE', `staff member ${request.supervisorStaffId} has no registered phone to listen on`);
    // The browser softphone first when the supervisor has one: it answers by itself, and only it takes whisper's and barge's second call.
    const kind = contacts.some((c) => legKindOf(c) === 'webrtc') ? 'webrtc' : 'sip';
    const devices = contacts.filter((c) => legKindOf(c) === kind).map((c) => c.uri);
    const problem = voiceDeviceProblem(request.mode, { supervisor: kind, agent: call.agentKind });
    if (problem) throw new AppError('MONITOR_MODE_UNSUPPORTED', problem);
    const log = this.options.logger.child({ monitorSession: request.sessionId, callId: request.callId, mode: request.mode });
    // One subscription per session: 10.5 keeps a re-subscribed tag's old sources flowing (docs/call-monitoring.md).
    const fork = new MonitorFork({ ng: engine.ng, callId: call.mediaCallId, tag: `monitor-${request.sessionId}`, kind, logger: log });
    let dialog: Srf.Dialog | null = null;
    let leg: SipMonitorLeg | null = null;
    try {
      const offer = await fork.request([call.callerTag, call.agentTag]);
      const [agentName, supervisorName] = await Promise.all([this.nameOf(call.agentStaffId, 'agent'), this.nameOf(request.supervisorStaffId, 'supervisor')]);
      const label = `${agentName} ↔ ${call.callerNumber}`;
      dialog = await callMonitorDevice({
        srf: this.options.srf, uris: devices, sdp: offer, headers: monitorCallHeaders('listen', request.sessionId, label),
        stop: call.ended, who: 'the supervisor', log, timeoutMs: this.options.ringTimeoutMs,
      });
      await fork.accept(dialog.remote.sdp);
      if (request.announce && this.options.announceFile) await playToParties(engine.ng, call.mediaCallId, [call.callerTag, call.agentTag], this.options.announceFile);
      log.info({ devices: devices.length, kind }, 'supervisor listening');
      const softphonesOf = async (staffId: number): Promise<string[]> => (await contactsOf(staffId)).filter((c) => legKindOf(c) === 'webrtc').map((c) => c.uri);
      const voice = new SupervisorVoice({
        srf: this.options.srf, ng: engine.ng, call, sessionId: request.sessionId, supervisorKind: kind,
        supervisorUris: () => softphonesOf(request.supervisorStaffId), agentUris: () => softphonesOf(call.agentStaffId),
        callLabel: label, supervisorName, onLost: (detail) => leg?.voiceLost(detail), log, ringTimeoutMs: this.options.ringTimeoutMs,
      });
      leg = new SipMonitorLeg(dialog, fork, voice, 'listen', { call, onModeForced: request.onModeForced }, log);
      // Whisper and barge start as listening, then the voice joins: a failure there leaves nothing behind.
      if (request.mode !== 'listen') await leg.changeMode(request.mode);
      return leg;
    } catch (err) {
      if (leg) await leg.stop();
      else if (dialog) hangUpDialog(dialog, log);
      await fork.end().catch((e: unknown) => log.warn({ err: e }, 'unsubscribing the monitoring fork failed'));
      throw err;
    }
  }

  private async nameOf(staffId: number, fallback: string): Promise<string> {
    return (await this.options.staffName(staffId).catch(() => null)) ?? `${fallback} ${staffId}`;
  }
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
