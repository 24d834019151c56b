import { SessionState, type Invitation, type Web } from 'sip.js';
import { audioConstraints } from './audio-constraints';
import { keepEveryRemoteTrack, type SideCallInfo, type SideCallKind } from './monitoring-call';
import { RemoteAudio } from './remote-audio';
import { audioBytesOf, type AudioBytes, type RtpStatsEntry } from './rtp-bytes';

type Sdh = Web.SessionDescriptionHandler;

/** What the screen shows of a side call. */
export interface SideCallView extends SideCallInfo {
  /** The server's leg is up (200 OK sent and the session established). */
  connected: boolean;
  /** Why this phone could not answer it (no microphone, permission refused); null for a live side call. */
  error: string | null;
}

export interface SideCallOptions {
  /** Selected devices; null = the browser's default. */
  devices: () => { input: string | null; output: string | null };
  /** Told after every change of a side call (the phone re-renders). */
  onChange: () => void;
  /** Where sip.js's failures go (the phone's in-memory log). */
  log: (message: string) => void;
}

interface SideCall {
  info: SideCallInfo;
  invitation: Invitation;
  connected: boolean;
  /** coach only: the supervisor's voice, on elements of its own beside the customer's. */
  audio: RemoteAudio | null;
}

/**
 * The side calls of monitoring (issue 18) that arrive while the phone is on
 * a call, each its own sip.js session beside the main one, never touching
 * the main call's state machine:
 *  - talk (to the supervisor on their listen call): answered at once with
 *    the microphone, sending only (the offer is a=recvonly), playing nothing;
 *  - coach (to the agent on the customer call): answered at once without a
 *    microphone, receive-only (a=sendonly offer), the supervisor's voice
 *    played on its own audio element, every remote track kept.
 * They end by the server's BYE, or with the main call (endAll).
 */
export class SideCalls {
  private readonly calls = new Set<SideCall>();
  /** Side calls this phone could not answer, kept to be shown until the main call ends (or the same one comes again). */
  private failures: SideCallView[] = [];

  constructor(private readonly options: SideCallOptions) {}

  /** Every side call, oldest first. */
  get views(): SideCallView[] {
    return [...[...this.calls].map((call) => ({ ...call.info, connected: call.connected, error: null })), ...this.failures];
  }

  /**
   * Takes a side-call INVITE: answered at once while the phone has a call in
   * progress (`mainCallInProgress`), refused busy (486) otherwise — a side
   * call means nothing alone, and a microphone must never open unseen.
   */
  take(invitation: Invitation, info: SideCallInfo, mainCallInProgress: boolean): void {
    if (!mainCallInProgress) {
      invitation.reject({ statusCode: 486 }).catch((err: unknown) => this.options.log(`side call ${info.kind} reject failed: ${(err as Error).message}`));
      return;
    }
    this.failures = this.failures.filter((f) => f.kind !== info.kind || f.sessionId !== info.sessionId);
    const call: SideCall = { info, invitation, connected: false, audio: info.kind === 'coach' ? new RemoteAudio() : null };
    this.calls.add(call);
    invitation.delegate = {
      // More m= sections may come later (a re-INVITE): each is played, none replaces another.
      onSessionDescriptionHandler: (sdh) => {
        if (call.audio) keepEveryRemoteTrack(sdh as Sdh, () => this.play(call));
      },
      onInfo: (request) => void request.accept().catch(() => undefined),
    };
    invitation.stateChange.addListener((state: SessionState) => {
      if (state === SessionState.Established) {
        call.connected = true;
        this.play(call);
      } else if (state === SessionState.Terminated) {
        this.release(call);
      }
      this.options.onChange();
    });
    this.options.onChange();
    const constraints = audioConstraints(this.options.devices().input, info.kind === 'talk');
    invitation.accept({ sessionDescriptionHandlerOptions: { constraints } }).catch((err: unknown) => {
      const message = (err as Error).message;
      this.options.log(`side call ${info.kind} answer failed: ${message}`);
      void invitation.dispose().catch(() => undefined).finally(() => {
        this.release(call);
        this.failures.push({ ...info, connected: false, error: message });
        this.options.onChange();
      });
    });
  }

  /** Hangs up every side call (the main call ended). */
  async endAll(): Promise<void> {
    this.failures = [];
    await Promise.all([...this.calls].map(async (call) => {
      const { invitation } = call;
      try {
        if (invitation.state === SessionState.Initial) await invitation.reject({ statusCode: 486 });
        else if (invitation.state === SessionState.Established) await invitation.bye();
        else await invitation.dispose();
      } catch (err) {
        this.options.log(`side call ${call.info.kind} hang-up failed: ${(err as Error).message}`);
        await invitation.dispose().catch(() => undefined);
      } finally {
        this.release(call);
      }
    }));
    this.options.onChange();
  }

  /** Applies a newly chosen output device to the coach audio. */
  async setOutput(deviceId: string | null): Promise<void> {
    await Promise.all([...this.calls].map(async (call) => call.audio?.setOutput(deviceId)));
  }

  /** The newest side call of this kind's peer connection (tests, media diagnostics). */
  peerConnection(kind: SideCallKind): RTCPeerConnection | null {
    return (this.newest(kind)?.invitation.sessionDescriptionHandler as Sdh | undefined)?.peerConnection ?? null;
  }

  /** The newest side call of this kind's remote audio tracks (coach: the supervisor's voice). */
  remoteTracks(kind: SideCallKind): MediaStreamTrack[] {
    const sdh = this.newest(kind)?.invitation.sessionDescriptionHandler as Sdh | undefined;
    return sdh ? sdh.remoteMediaStream.getAudioTracks() : [];
  }

  /** Audio bytes in and out on the newest side call of this kind; null when there is none. */
  async stats(kind: SideCallKind): Promise<AudioBytes | null> {
    const pc = this.peerConnection(kind);
    if (!pc) return null;
    const report = await pc.getStats();
    return audioBytesOf(report.values() as Iterable<RtpStatsEntry>);
  }

  private newest(kind: SideCallKind): SideCall | undefined {
    return [...this.calls].filter((call) => call.info.kind === kind).pop();
  }

  private play(call: SideCall): void {
    const sdh = call.invitation.sessionDescriptionHandler as Sdh | undefined;
    if (!call.audio || !sdh || !call.connected) return;
    call.audio.clear();
    call.audio.playTracks(sdh.remoteMediaStream.getAudioTracks(), this.options.devices().output);
  }

  private release(call: SideCall): void {
    if (!this.calls.delete(call)) return;
    call.connected = false;
    call.audio?.remove();
  }
}
