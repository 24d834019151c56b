import type Srf from 'drachtio-srf';
import { voiceRefusal } from '../../call-monitoring/call-media-change';
import { afterStep, arrangementFor, LISTEN_ONLY, voiceDeviceProblem, voiceSteps, type VoiceArrangement, type VoiceStep } from '../../call-monitoring/monitor-voice-plan';
import type { MonitorMode } from '../../call-monitoring/monitor-mode';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import { BargeBridge } from '../../media/barge-bridge';
import type { LegKind } from '../../media/media-leg';
import { MonitorFork } from '../../media/monitor-fork';
import { MonitorTalkSource } from '../../media/monitor-talk-source';
import type { NgCommandSender } from '../../media/rtpengine-ng-client';
import { hangUpDialog } from '../call-session/dialog-ends';
import type { SrfApp } from '../srf-types';
import { callMonitorDevice, monitorCallHeaders } from './monitor-device-call';
import type { MonitoredCall } from './monitored-call';

/** What the supervisor's voice needs besides the monitored call. */
export interface SupervisorVoiceOptions {
  srf: SrfApp;
  ng: NgCommandSender;
  call: MonitoredCall;
  sessionId: string;
  /** What the monitoring call reached: a browser softphone or a desk phone. */
  supervisorKind: LegKind;
  /** The supervisor's devices the talk call may ring (browser softphones: they answer it by themselves). */
  supervisorUris: () => Promise<readonly string[]>;
  /** The agent's browser softphones, which answer the coach call by themselves while on the customer call. */
  agentUris: () => Promise<readonly string[]>;
  /** What the supervisor's softphone shows on the talk call ("<agent> ↔ <caller>"). */
  callLabel: string;
  /** What the agent's softphone shows on the coach call: the supervisor's name. */
  supervisorName: string;
  /** Told when a talk or coach call ends from the far side: the session cannot carry its mode any more. */
  onLost: (detail: string) => void;
  log: Logger;
  ringTimeoutMs?: number;
}

interface CoachCall {
  dialog: Srf.Dialog;
  fork: MonitorFork;
}

/**
 * The supervisor's voice on a monitored call (issue 18): whisper and barge, carried as the
 * planner (monitor-voice-plan.ts) arranges it —
 * - the talk call: a second call to the supervisor's softphone; their microphone arrives in
 *   rtpengine under its own tag (MonitorTalkSource);
 * - the coach call: a second call to the agent's softphone, subscribed to the talk tag (whisper)
 *   or to the mixer's output for the agent (barge);
 * - the barge bridge: the caller re-paired with a conference mixer (BargeBridge), no re-INVITE
 *   to the caller or the agent.
 * Only browser softphones take these calls by themselves; a desk phone would ring as a second
 * call, so whisper and barge need softphones on both sides (said plainly when not).
 */
export class SupervisorVoice {
  private arrangement: VoiceArrangement = { ...LISTEN_ONLY };
  private talk: { dialog: Srf.Dialog; source: MonitorTalkSource } | null = null;
  private bridge: BargeBridge | null = null;
  private readonly coaches: CoachCall[] = [];
  private changing: Promise<void> = Promise.resolve();
  private closed = false;
  private sequence = 0;
  /** Our own hang-ups mark the dialog first, so that its 'destroy' is not taken for the far side's. */
  private readonly ours = new WeakSet<Srf.Dialog>();

  constructor(private readonly options: SupervisorVoiceOptions) {}

  /** Arranges the voice for `mode`; on failure walks back to what `previous` needs and rethrows. Changes run one at a time. */
  apply(mode: MonitorMode, previous: MonitorMode): Promise<void> {
    const run = this.changing.then(async () => {
      if (this.closed) throw new AppError('CALL_NOT_LIVE', 'the monitoring call has ended');
      const problem = voiceDeviceProblem(mode, { supervisor: this.options.supervisorKind, agent: this.options.call.agentKind });
      if (problem) throw new AppError('MONITOR_MODE_UNSUPPORTED', problem);
      // Only now, in turn: a hold or transfer that dropped the voice before this change ran is seen here.
      const refused = voiceRefusal(mode, this.options.call.standing());
      if (refused) throw new AppError('ILLEGAL_TRANSITION', refused);
      try {
        await this.reach(arrangementFor(mode));
      } catch (err) {
        this.options.log.warn({ err, mode, previous }, 'monitoring mode not reached; going back');
        try {
          await this.reach(arrangementFor(previous));
        } catch (backErr) {
          this.options.log.error({ err: backErr }, 'monitoring mode could not go back either; dropping the supervisor\'s voice');
          await this.release();
        }
        throw err;
      }
    });
    this.changing = run.catch(() => undefined);
    return run;
  }

  /** Ends every piece of the voice (idempotent): coach calls, the bridge (the caller paired with the agent again), the talk call. */
  async close(): Promise<void> {
    this.closed = true;
    await this.changing;
    await this.release();
  }

  private async release(): Promise<void> {
    try {
      await this.reach(LISTEN_ONLY);
    } catch (err) {
      this.options.log.warn({ err }, 'the supervisor\'s voice did not end cleanly');
    } finally {
      // Whatever failed above, no call of ours stays up.
      for (const coach of this.coaches.splice(0)) this.hangUp(coach.dialog);
      if (this.talk) this.hangUp(this.talk.dialog);
      this.talk = null;
      this.arrangement = { ...LISTEN_ONLY };
    }
  }

  private async reach(target: VoiceArrangement): Promise<void> {
    for (const step of voiceSteps(this.arrangement, target)) {
      await this.run(step);
      this.arrangement = afterStep(this.arrangement, step, this.coaches.length);
    }
  }

  private async run(step: VoiceStep): Promise<void> {
    switch (step) {
      case 'place-talk':
        return this.placeTalk();
      case 'end-talk':
        return this.endTalk();
      case 'start-bridge':
        return this.startBridge();
      case 'end-bridge':
        return this.endBridge();
      case 'place-coach-talk':
        return this.placeCoach(this.talkTag, 'whisper');
      case 'place-coach-mix':
        if (!this.bridge?.coachSourceTag) throw new AppError('ILLEGAL_TRANSITION', 'the barge mixer is not running');
        return this.placeCoach(this.bridge.coachSourceTag, 'barge');
      case 'end-coach':
        return this.endOldestCoach();
    }
  }

  private get talkTag(): string {
    return `talk-${this.options.sessionId}`;
  }

  private get kindOfSoftphone(): LegKind {
    return 'webrtc';
  }

  private async placeTalk(): Promise<void> {
    const { call, log } = this.options;
    const source = new MonitorTalkSource({ ng: this.options.ng, callId: call.mediaCallId, tag: this.talkTag, kind: this.kindOfSoftphone, logger: log });
    try {
      const offer = await source.offer();
      const dialog = await callMonitorDevice({
        srf: this.options.srf, uris: await this.options.supervisorUris(), sdp: offer, who: 'the supervisor', log, stop: call.ended,
        headers: monitorCallHeaders('talk', this.options.sessionId, this.options.callLabel), timeoutMs: this.options.ringTimeoutMs,
      });
      this.talk = { dialog, source };
      dialog.on('destroy', () => this.lost(dialog, 'the supervisor\'s phone ended the talk call'));
      await source.accept(dialog.remote.sdp);
    } catch (err) {
      await source.end().catch((e: unknown) => log.warn({ err: e }, 'ending the talk source failed'));
      if (this.talk?.source === source) {
        this.hangUp(this.talk.dialog);
        this.talk = null;
      }
      throw err;
    }
  }

  private async endTalk(): Promise<void> {
    const talk = this.talk;
    this.talk = null;
    if (!talk) return;
    try {
      await talk.source.end();
    } finally {
      this.hangUp(talk.dialog);
    }
  }

  private async startBridge(): Promise<void> {
    const { call, log } = this.options;
    const sdps = call.latestSdps();
    if (!sdps.caller || !sdps.agent) throw new AppError('CALL_NOT_LIVE', 'the call has no answered media on both sides to bridge');
    const bridge = new BargeBridge({
      ng: this.options.ng, callId: call.mediaCallId, callerTag: call.callerTag, agentTag: call.agentTag, talkTag: this.talkTag,
      tagPrefix: `barge-${this.options.sessionId}-${++this.sequence}`, agentKind: call.agentKind, logger: log,
    });
    try {
      await bridge.start({ callerSdp: sdps.caller, agentSdp: sdps.agent });
    } catch (err) {
      await bridge.end().catch((e: unknown) => log.warn({ err: e }, 'undoing a half-started barge failed'));
      throw err;
    }
    this.bridge = bridge;
  }

  private async endBridge(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = null;
    await bridge?.end();
  }

  private async placeCoach(sourceTag: string, mode: 'whisper' | 'barge'): Promise<void> {
    const { call, log } = this.options;
    this.sequence += 1;
    // A fresh tag each time: 10.5 keeps a re-subscribed tag's old sources flowing (docs/call-monitoring.md).
    const fork = new MonitorFork({ ng: this.options.ng, callId: call.mediaCallId, tag: `coach-${this.options.sessionId}-${this.sequence}`, kind: this.kindOfSoftphone, logger: log });
    let dialog: Srf.Dialog | null = null;
    try {
      const offer = await fork.request([sourceTag]);
      dialog = await callMonitorDevice({
        srf: this.options.srf, uris: await this.options.agentUris(), sdp: offer, who: 'the agent', log, stop: call.ended,
        headers: monitorCallHeaders('coach', this.options.sessionId, this.options.supervisorName, mode), timeoutMs: this.options.ringTimeoutMs,
      });
      await fork.accept(dialog.remote.sdp);
      const placed = dialog;
      this.coaches.push({ dialog: placed, fork });
      placed.on('destroy', () => this.lost(placed, 'the agent\'s phone ended the coaching call'));
    } catch (err) {
      if (dialog) this.hangUp(dialog);
      await fork.end().catch((e: unknown) => log.warn({ err: e }, 'unsubscribing the coach fork failed'));
      throw err;
    }
  }

  private async endOldestCoach(): Promise<void> {
    const coach = this.coaches.shift();
    if (!coach) return;
    try {
      await coach.fork.end();
    } finally {
      this.hangUp(coach.dialog);
    }
  }

  private hangUp(dialog: Srf.Dialog): void {
    this.ours.add(dialog);
    hangUpDialog(dialog, this.options.log);
  }

  private lost(dialog: Srf.Dialog, detail: string): void {
    if (this.ours.has(dialog) || this.closed) return;
    this.options.log.info({ detail }, 'a call of the supervisor\'s voice ended from the far side');
    this.options.onLost(detail);
  }
}
