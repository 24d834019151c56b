import {
  Invitation, Inviter, Registerer, RegistererState, SessionState, UserAgent, Web,
  type Core, type LogLevel, type Session,
} from 'sip.js';
import { FAR_PROGRESS_CONTENT_TYPE, farFailureOfStatus, farStateOf, isFarFailure, type FarState } from './far-state';
import { decode, headerOf } from './invite-headers';
import { audioConstraints } from './audio-constraints';
import { keepEveryRemoteTrack, monitorOf, sideCallOf, type MonitorInfo } from './monitoring-call';
import { RemoteAudio } from './remote-audio';
import { SideCalls, type SideCallView } from './side-calls';
import type { SoftphoneConfig } from './softphone-api';

type IncomingResponse = Core.IncomingResponse;

export type SipSettings = NonNullable<SoftphoneConfig['sip']>;
export { isFarFailure, type FarFailure, type FarState } from './far-state';
import { StateMachine, type TransitionTable } from './state-machine';

/**
 * The browser's SIP phone: sip.js `UserAgent` + `Registerer` + `Invitation`
 * used directly (not SimpleUser / SessionManager, which drop live calls when
 * the WebSocket drops and give up after three reconnection tries — design §7).
 *
 * Two lifecycles, one state machine each:
 *  - registration: offline (SIP off on the server) | stopped → connecting →
 *    registering → registered; a dropped WebSocket → reconnecting, retried
 *    with backoff forever, re-registering on every connect.
 *  - the call: idle → ringing → answering → connected ⇄ on_hold → ended → idle;
 *    a call the server places after this phone answered (click-to-call,
 *    callback): … answering → calling_far → connected …, the server telling
 *    how the far end does with SIP INFO (src/sip/far-progress.ts);
 *    a call this phone places itself: idle → dialing → connected … (dial()).
 *
 * An established call is kept when the WebSocket drops: its media runs over
 * ICE/DTLS straight to rtpengine and does not need the signalling socket, and
 * in-dialog requests (BYE, re-INVITE) go out on the next connection.
 * Nothing here touches the DOM except the one <audio> element for the far end.
 */
export type RegistrationState = 'offline' | 'stopped' | 'connecting' | 'registering' | 'registered' | 'reconnecting' | 'rejected';
export type CallState = 'idle' | 'ringing' | 'dialing' | 'answering' | 'calling_far' | 'connected' | 'on_hold' | 'ended';

const REGISTRATION_TRANSITIONS: TransitionTable<RegistrationState> = {
  offline: ['stopped'],
  stopped: ['connecting', 'offline'],
  connecting: ['registering', 'reconnecting', 'stopped'],
  registering: ['registered', 'rejected', 'reconnecting', 'stopped'],
  registered: ['registering', 'reconnecting', 'stopped'],
  reconnecting: ['registering', 'stopped'],
  rejected: ['registering', 'reconnecting', 'stopped'],
};

const CALL_TRANSITIONS: TransitionTable<CallState> = {
  idle: ['ringing', 'dialing'],
  ringing: ['answering', 'ended'],
  dialing: ['connected', 'ended'],
  answering: ['connected', 'calling_far', 'ended'],
  calling_far: ['connected', 'ended'],
  connected: ['on_hold', 'ended'],
  on_hold: ['connected', 'ended'],
  ended: ['idle'],
};

export type CallDirection = 'inbound' | 'outbound';
export type MediaHealth = 'new' | 'ok' | 'interrupted' | 'failed';


/** What the screen knows about the call on the phone (or the one that just ended). */
export interface CallInfo {
  /** sip.js session id (the SIP Call-ID plus tag): distinguishes calls with the same server call id. */
  sessionId: string;
  direction: CallDirection;
  /** True for a call this phone placed itself (dial()); false for every INVITE the server sent, click-to-call included. */
  dialled: boolean;
  /** The server's call id (X-Switchboard-Call-Id): the key for the card, transfers and the wrap-up. */
  callId: string | null;
  /** X-Switchboard-Client-Id; null for a new (unknown) caller. */
  clientId: number | null;
  /** X-Switchboard-Reason: why the call was routed here. */
  reason: string | null;
  remoteNumber: string;
  remoteName: string | null;
  ringingAt: number;
  /** When this phone's leg was answered (by this phone, or by the far end for a call it dialled). */
  answeredAt: number | null;
  /** When the conversation began: answeredAt, or for a click-to-call the moment the far end answered. */
  connectedAt: number | null;
  /** The far end beyond the server, for a call that has one (click-to-call, callback, dialled); null for an incoming call. */
  far: FarState | null;
  endedAt: number | null;
  muted: boolean;
  /** A hold or resume re-INVITE is in flight. */
  holdPending: boolean;
  media: MediaHealth;
  endedBy: 'local' | 'remote' | 'missed' | 'failed' | null;
  /** Digits sent with SIP INFO on this call, in order. */
  dtmfSent: string;
  /** A supervisor's monitoring call (issue 18): answered by itself, receive-only for listen; null for any other call. */
  monitor: MonitorInfo | null;
  lastError: string | null;
}

export interface PhoneSnapshot {
  registration: RegistrationState;
  /** Reconnection attempt (0 when connected) and the wait before the next one. */
  attempt: number;
  retryInMs: number | null;
  registrationError: string | null;
  call: CallState;
  current: CallInfo | null;
  last: CallInfo | null;
  /** Monitoring side calls beside the call (issue 18): a supervisor's talk leg, an agent's coach leg. */
  sideCalls: SideCallView[];
}

export interface PhoneOptions {
  sip: SipSettings;
  /** Fresh credentials (the softphone password is short-lived); called after a REGISTER is refused. */
  refreshSip: () => Promise<SipSettings>;
  /** Selected devices; null = the browser's default. */
  devices: () => { input: string | null; output: string | null };
  /** Decides whether an incoming call is answered without a click (auto-answer, or our own click-to-call). */
  autoAnswer: (info: CallInfo) => boolean;
  minRetryMs?: number;
  maxRetryMs?: number;
}

/** Content of a SIP INFO carrying one key, the form Switchboard's DTMF parser reads (src/media/sip-info-dtmf.ts). */
function dtmfRelayBody(digit: string): string {
  return `Signal=${digit}\r\nDuration=160\r\n`;
}

/** Why the server refused a call this phone placed: status, reason phrase and its Warning text (RFC 3261 §20.43), if any. */
function refusalOf(response: IncomingResponse): string {
  const { statusCode, reasonPhrase } = response.message;
  const warning = response.message.getHeader('Warning');
  const text = warning ? /"((?:[^"\\]|\\.)*)"/.exec(warning)?.[1]?.replace(/\\(.)/g, '$1') : undefined;
  return `${statusCode} ${reasonPhrase}${text ? ` — ${text}` : ''}`;
}

/** A dialled address as the user part of a SIP URI (RFC 3261 §25.1): letters, digits and a few marks stay, the rest is escaped. */
function sipUserPart(target: string): string {
  return target.replace(/[^A-Za-z0-9\-_.!~*'()+]/g, (c) => encodeURIComponent(c));
}

type Sdh = Web.SessionDescriptionHandler;

export class Phone {
  private readonly registration = new StateMachine<RegistrationState>('registration', REGISTRATION_TRANSITIONS, 'stopped');
  private readonly call = new StateMachine<CallState>('call', CALL_TRANSITIONS, 'idle');
  private userAgent: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private session: Session | null = null;
  private info: CallInfo | null = null;
  private last: CallInfo | null = null;
  private attempt = 0;
  private retryInMs: number | null = null;
  private registrationError: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private reregisterTimer: ReturnType<typeof setTimeout> | null = null;
  private serverEndTimer: ReturnType<typeof setTimeout> | null = null;
  private credentialTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly listeners = new Set<(snapshot: PhoneSnapshot) => void>();
  private readonly remoteAudio = new RemoteAudio();
  readonly sideCalls = new SideCalls({ devices: () => this.options.devices(), onChange: () => this.emit(), log: (m) => this.keepLog('warn', 'side-call', m) });
  private sip: SipSettings;
  /** sip.js's own log lines, kept in memory (never printed: the page prints nothing on the console). */
  readonly log: string[] = [];

  constructor(private readonly options: PhoneOptions) {
    this.sip = options.sip;
    this.registration.onChange(() => this.emit());
    this.call.onChange(() => this.emit());
  }

  get snapshot(): PhoneSnapshot {
    return {
      registration: this.registration.state,
      attempt: this.attempt,
      retryInMs: this.retryInMs,
      registrationError: this.registrationError,
      call: this.call.state,
      current: this.info ? { ...this.info } : null,
      last: this.last ? { ...this.last } : null,
      sideCalls: this.sideCalls.views,
    };
  }

  subscribe(listener: (snapshot: PhoneSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The history of both state machines, newest last (debug view and tests). */
  get transitions(): { registration: readonly unknown[]; call: readonly unknown[] } {
    return { registration: this.registration.history, call: this.call.history };
  }

  /** The far end's audio tracks as they play: one per party on a monitoring call (tests, media diagnostics). */
  get remoteTracks(): MediaStreamTrack[] {
    const sdh = this.session?.sessionDescriptionHandler as Sdh | undefined;
    return sdh ? sdh.remoteMediaStream.getAudioTracks() : [];
  }

  /** The live call's peer connection, for getStats() (tests, media diagnostics). */
  get peerConnection(): RTCPeerConnection | null {
    const sdh = this.session?.sessionDescriptionHandler as Sdh | undefined;
    return sdh?.peerConnection ?? null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (!this.sip.wsServer) {
      this.registration.transition('offline', 'the server runs without SIP');
      return;
    }
    const uri = UserAgent.makeURI(this.sip.uri);
    if (!uri) throw new Error(`bad SIP URI ${this.sip.uri}`);
    const userAgent = new UserAgent({
      uri,
      authorizationUsername: this.sip.authorizationUsername,
      authorizationPassword: this.sip.authorizationPassword,
      displayName: this.sip.displayName,
      transportOptions: { server: this.sip.wsServer, connectionTimeout: 5, keepAliveInterval: 20 },
      // Our own reconnect below: unlimited, with backoff.
      reconnectionAttempts: 0,
      logBuiltinEnabled: false,
      logLevel: 'log',
      logConnector: (level: LogLevel, category: string, _label: string | undefined, content: string) => this.keepLog(level, category, content),
      // Explicit ICE servers and a short gathering timeout: no 5 s stall per call on a closed network (design §7).
      sessionDescriptionHandlerFactoryOptions: {
        iceGatheringTimeout: this.sip.iceGatheringTimeoutMs,
        peerConnectionConfiguration: { iceServers: this.sip.iceServers },
      },
      delegate: {
        onConnect: () => this.onConnect(),
        onDisconnect: (error?: Error) => this.onDisconnect(error),
        onInvite: (invitation: Invitation) => this.onInvite(invitation),
      },
    });
    this.userAgent = userAgent;
    this.registerer = new Registerer(userAgent, { expires: this.sip.registerExpiresSeconds });
    this.registerer.stateChange.addListener((state) => {
      // A refresh that failed (timeout, socket gone) leaves us unregistered: register again when connected.
      if (state === RegistererState.Unregistered && this.registration.state === 'registered' && !this.stopped) {
        this.registration.transition('registering', 'registration lapsed');
        this.register();
      }
    });
    this.scheduleCredentialRefresh();
    this.registration.transition('connecting', 'start');
    try {
      await userAgent.start();
    } catch (err) {
      this.registration.transition('reconnecting', `first connection failed: ${(err as Error).message}`);
      this.scheduleReconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const userAgent = this.userAgent;
    const registerer = this.registerer;
    this.userAgent = null;
    this.registerer = null;
    try {
      if (this.session) await this.hangUp();
      if (registerer && registerer.state === RegistererState.Registered) await registerer.unregister().catch(() => undefined);
      await userAgent?.stop();
    } finally {
      if (this.registration.state !== 'offline') this.registration.transition('stopped', 'stop');
      this.remoteAudio.remove();
      this.listeners.clear();
    }
  }

  /** Test and diagnostics hook: drops the SIP WebSocket as a network failure would. */
  dropConnection(): void {
    const transport = this.userAgent?.transport as Web.Transport | undefined;
    transport?.ws?.close();
  }

  // ---- registration --------------------------------------------------------

  private onConnect(): void {
    this.attempt = 0;
    this.retryInMs = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.registration.transition('registering', 'connected');
    this.register();
  }

  private onDisconnect(error?: Error): void {
    if (this.stopped) return;
    this.registration.transition('reconnecting', error ? error.message : 'disconnected');
    this.scheduleReconnect();
  }

  private register(): void {
    const registerer = this.registerer;
    if (!registerer || this.stopped) return;
    registerer.register({
      requestDelegate: {
        onAccept: () => {
          this.registrationError = null;
          this.registration.transition('registered', 'REGISTER accepted');
        },
        onReject: (response: IncomingResponse) => {
          const { statusCode, reasonPhrase } = response.message;
          this.registrationError = `${statusCode} ${reasonPhrase}`;
          this.registration.transition('rejected', `REGISTER refused: ${statusCode}`);
          // The short-lived password may have expired: fetch fresh credentials, then try again, patiently.
          this.scheduleReregister();
        },
      },
    }).catch((err: unknown) => {
      // A REGISTER already in flight, or no transport: the connect handler will register again.
      this.keepLog('warn', 'phone', `register failed: ${(err as Error).message}`);
    });
  }

  private scheduleReregister(): void {
    if (this.reregisterTimer || this.stopped) return;
    const delay = this.backoff(++this.attempt);
    this.retryInMs = delay;
    this.emit();
    this.reregisterTimer = setTimeout(() => {
      this.reregisterTimer = null;
      void this.refreshAndRegister();
    }, delay);
  }

  private async refreshAndRegister(): Promise<void> {
    try {
      this.sip = await this.options.refreshSip();
      const configuration = this.userAgent?.configuration;
      // sip.js reads the password from its options at each challenge, so a fresh one applies to the next REGISTER.
      if (configuration) configuration.authorizationPassword = this.sip.authorizationPassword;
    } catch (err) {
      this.keepLog('warn', 'phone', `credentials refresh failed: ${(err as Error).message}`);
    }
    if (this.stopped) return;
    if (this.registration.transition('registering', 'retry after refusal')) this.register();
  }

  /** Fetches a fresh short-lived password half an hour before the current one expires (a shift outlives it). */
  private scheduleCredentialRefresh(): void {
    if (this.credentialTimer) clearTimeout(this.credentialTimer);
    this.credentialTimer = null;
    const expiresAt = this.sip.authorizationExpiresAt ? Date.parse(this.sip.authorizationExpiresAt) : NaN;
    if (!Number.isFinite(expiresAt) || this.stopped) return;
    const delay = Math.min(2 ** 31 - 1, Math.max(60_000, expiresAt - Date.now() - 30 * 60_000));
    this.credentialTimer = setTimeout(() => {
      this.credentialTimer = null;
      void this.options.refreshSip().then((sip) => {
        this.sip = sip;
        const configuration = this.userAgent?.configuration;
        if (configuration) configuration.authorizationPassword = sip.authorizationPassword;
      }, (err: unknown) => this.keepLog('warn', 'phone', `credentials refresh failed: ${(err as Error).message}`)).finally(() => this.scheduleCredentialRefresh());
    }, delay);
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.stopped) return;
    this.attempt += 1;
    const delay = this.backoff(this.attempt);
    this.retryInMs = delay;
    this.emit();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryInMs = null;
      this.emit();
      const userAgent = this.userAgent;
      if (!userAgent || this.stopped) return;
      userAgent.reconnect().catch(() => this.scheduleReconnect());
    }, delay);
  }

  /** 0.5 s, 1 s, 2 s … up to the cap, with jitter so that a room of phones does not reconnect in step. */
  private backoff(attempt: number): number {
    const min = this.options.minRetryMs ?? 500;
    const max = this.options.maxRetryMs ?? 30_000;
    const base = Math.min(max, min * 2 ** Math.min(attempt - 1, 10));
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  // ---- the call ------------------------------------------------------------

  private onInvite(invitation: Invitation): void {
    const side = sideCallOf(headerOf(invitation, 'X-Switchboard-Monitor'), headerOf(invitation, 'X-Switchboard-Monitor-Label'));
    if (side) return this.sideCalls.take(invitation, side, this.session !== null);
    if (this.session || this.call.state !== 'idle') {
      // One call at a time on this screen: the server offers the next one when this one is over.
      invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    const clientHeader = headerOf(invitation, 'X-Switchboard-Client-Id');
    const clientId = clientHeader && /^\d+$/.test(clientHeader) ? Number(clientHeader) : null;
    const remote = invitation.remoteIdentity;
    const directionHeader = headerOf(invitation, 'X-Switchboard-Direction');
    const info: CallInfo = {
      sessionId: invitation.id,
      direction: directionHeader === 'outbound' ? 'outbound' : 'inbound',
      dialled: false,
      callId: headerOf(invitation, 'X-Switchboard-Call-Id'),
      clientId,
      reason: decode(headerOf(invitation, 'X-Switchboard-Reason')),
      remoteNumber: decode(remote.uri.user ?? '') ?? '',
      remoteName: remote.displayName || null,
      ringingAt: Date.now(),
      answeredAt: null,
      connectedAt: null,
      // Click-to-call and callbacks: the server rings this phone first, then the client.
      far: directionHeader === 'outbound' || directionHeader === 'callback' ? 'calling' : null,
      endedAt: null,
      muted: false,
      holdPending: false,
      media: 'new',
      endedBy: null,
      dtmfSent: '',
      lastError: null,
      monitor: monitorOf(headerOf(invitation, 'X-Switchboard-Monitor'), headerOf(invitation, 'X-Switchboard-Monitor-Label')),
    };
    this.session = invitation;
    this.info = info;
    invitation.stateChange.addListener((state: SessionState) => this.onSessionState(invitation, state));
    invitation.delegate = {
      // The far end's progress (src/sip/far-progress.ts); anything else in-dialog is answered politely.
      onInfo: (request) => {
        const type = request.request.getHeader('Content-Type') ?? '';
        if (type.split(';')[0]?.trim().toLowerCase() === FAR_PROGRESS_CONTENT_TYPE) {
          const state = farStateOf(request.request.body);
          if (state) this.farProgress(invitation, state);
        }
        void request.accept().catch(() => undefined);
      },
      // Before the offer is applied: a monitoring call keeps one remote track per party (keepEveryRemoteTrack).
      onSessionDescriptionHandler: (sdh) => {
        if (info.monitor) keepEveryRemoteTrack(sdh as Sdh);
      },
    };
    this.call.transition('ringing', `INVITE ${info.callId ?? ''}`);
    if (info.monitor || this.options.autoAnswer(info)) void this.answer();
  }

  /**
   * Places a call from this phone to an internal address — a draft IVR flow
   * (`ivr-draft-main`, issue 7), a colleague's SIP username, `queue-…` — as
   * an INVITE over the phone's WebSocket, in the domain of its own URI. The
   * server challenges it (407, RFC 3261 §22.3) and sip.js answers with the
   * phone's credentials. A refusal ends the call with `lastError` saying why
   * (status, reason, the server's Warning). Numbers are not dialled here:
   * the server places those (click-to-call) and rings this phone first.
   *
   * @returns false when the phone cannot place a call now (not registered, or busy).
   */
  async dial(target: string): Promise<boolean> {
    const userAgent = this.userAgent;
    if (!userAgent || this.session || this.call.state !== 'idle' || this.registration.state !== 'registered') return false;
    const domain = UserAgent.makeURI(this.sip.uri)?.host;
    const uri = domain ? UserAgent.makeURI(`sip:${sipUserPart(target.trim())}@${domain}`) : undefined;
    if (!uri) throw new Error(`cannot call "${target}"`);
    const input = this.options.devices().input;
    const inviter = new Inviter(userAgent, uri, {
      sessionDescriptionHandlerOptions: { constraints: audioConstraints(input) },
    });
    const info: CallInfo = {
      sessionId: inviter.id, direction: 'outbound', dialled: true, callId: null, clientId: null, reason: null,
      remoteNumber: target.trim(), remoteName: null, ringingAt: Date.now(), answeredAt: null, connectedAt: null, far: 'calling', endedAt: null,
      muted: false, holdPending: false, media: 'new', endedBy: null, dtmfSent: '', lastError: null, monitor: null,
    };
    this.session = inviter;
    this.info = info;
    inviter.stateChange.addListener((state: SessionState) => this.onSessionState(inviter, state));
    this.call.transition('dialing', `INVITE ${target}`);
    try {
      await inviter.invite({
        requestDelegate: {
          // The server answers 180 while it rings the colleague (src/sip/outbound-call.ts runFromDevice).
          onProgress: (response: IncomingResponse) => {
            if ((response.message.statusCode ?? 0) >= 180 && info.far === 'calling') {
              info.far = 'ringing';
              this.emit();
            }
          },
          onReject: (response: IncomingResponse) => {
            info.endedBy = 'failed';
            info.lastError = refusalOf(response);
            info.far = farFailureOfStatus(response.message.statusCode ?? 0) ?? info.far;
            this.emit();
          },
        },
      });
    } catch (err) {
      this.fail(err, 'call');
      info.endedBy = 'failed';
      // No INVITE went out (no microphone, no transport): nothing will end the session but us.
      if (this.session === inviter) {
        await inviter.dispose().catch(() => undefined);
        if (this.session === inviter) this.finish();
      }
    }
    return true;
  }

  private onSessionState(session: Session, state: SessionState): void {
    if (session !== this.session || !this.info) return;
    if (state === SessionState.Established) {
      const info = this.info;
      info.answeredAt = Date.now();
      this.attachMedia(session);
      // A call this phone dialled is answered by the server only once the far end answered.
      if (session instanceof Inviter && info.far !== null) info.far = 'answered';
      if (info.far === null || info.far === 'answered') {
        info.connectedAt = info.answeredAt;
        this.call.transition('connected', 'established');
      } else {
        // Our leg is up; the server now rings the client, and says how it goes (farProgress).
        this.call.transition('calling_far', 'established, the far end is being called');
      }
    } else if (state === SessionState.Terminated) {
      this.finish();
    }
  }

  private attachMedia(session: Session): void {
    const sdh = session.sessionDescriptionHandler as Sdh | undefined;
    if (!sdh) return;
    if (this.info?.monitor) this.remoteAudio.playTracks(sdh.remoteMediaStream.getAudioTracks(), this.options.devices().output);
    else this.remoteAudio.play(sdh.remoteMediaStream, this.options.devices().output);
    const pc = sdh.peerConnection;
    if (pc) {
      const onIce = (): void => {
        if (!this.info || this.session !== session) return;
        const ice = pc.iceConnectionState;
        this.info.media = ice === 'connected' || ice === 'completed' ? 'ok' : ice === 'failed' ? 'failed' : ice === 'disconnected' ? 'interrupted' : this.info.media;
        this.emit();
      };
      pc.addEventListener('iceconnectionstatechange', onIce);
      onIce();
    }
  }

  /** The server's word on the far end of the call on this phone (INFO, src/sip/far-progress.ts). */
  private farProgress(session: Session, state: FarState): void {
    const info = this.info;
    if (session !== this.session || !info || info.far === null || info.far === 'answered' || isFarFailure(info.far)) return;
    info.far = state;
    if (state === 'answered' && this.call.state === 'calling_far') {
      // The talk timer starts now, not when this phone picked up.
      info.connectedAt = Date.now();
      this.call.transition('connected', 'the far end answered');
      return;
    }
    this.emit();
  }

  private finish(): void {
    const info = this.info;
    if (!info) return;
    info.endedAt = Date.now();
    // Our leg was up and the server ended it while still calling the far end, without a word why: it was not reached.
    if (!info.dialled && info.answeredAt && (info.far === 'calling' || info.far === 'ringing') && info.endedBy !== 'local') info.far = 'failed';
    if (isFarFailure(info.far) && info.endedBy !== 'local') info.endedBy = 'failed';
    // A call this phone placed that ended before it was connected, and not by us: it failed, even without a refusal.
    if (info.dialled && !info.answeredAt && info.endedBy !== 'local') {
      info.endedBy = 'failed';
      info.lastError = info.lastError ?? 'the call could not be connected';
    }
    if (!info.endedBy) info.endedBy = info.answeredAt ? 'remote' : 'missed';
    this.session = null;
    this.remoteAudio.clear();
    void this.sideCalls.endAll();
    if (this.serverEndTimer) clearTimeout(this.serverEndTimer);
    this.serverEndTimer = null;
    this.call.transition('ended', info.endedBy);
    this.last = info;
    this.info = null;
    this.call.transition('idle', 'ready for the next call');
  }

  async answer(): Promise<void> {
    const session = this.session;
    if (!(session instanceof Invitation) || !this.call.transition('answering', 'answer')) return;
    const input = this.options.devices().input;
    // A monitoring call needs no microphone (whisper and barge send on a talk side call): no permission is asked for.
    const receiveOnly = Boolean(this.info?.monitor);
    try {
      await session.accept({
        sessionDescriptionHandlerOptions: { constraints: audioConstraints(input, !receiveOnly) },
      });
    } catch (err) {
      this.fail(err, 'answer');
    }
  }

  /** Decline a ringing call, or hang up the one in progress. */
  async hangUp(): Promise<void> {
    const session = this.session;
    if (!session || !this.info) return;
    this.info.endedBy = 'local';
    try {
      if (session instanceof Invitation && session.state === SessionState.Initial) await session.reject({ statusCode: 603 });
      else if (session instanceof Inviter && (session.state === SessionState.Initial || session.state === SessionState.Establishing)) await session.cancel();
      else if (session.state === SessionState.Established) await session.bye();
      else await session.dispose();
    } catch (err) {
      this.fail(err, 'hang up');
      await session.dispose().catch(() => undefined);
    }
  }

  async setHold(hold: boolean): Promise<void> {
    const session = this.session;
    const info = this.info;
    if (!session || !info || info.holdPending) return;
    if (hold ? this.call.state !== 'connected' : this.call.state !== 'on_hold') return;
    info.holdPending = true;
    info.lastError = null;
    this.emit();
    const sdh = session.sessionDescriptionHandler as Sdh | undefined;
    await new Promise<void>((resolve) => {
      // The re-INVITE offers a=sendonly; the server plays music on hold to the caller while it lasts.
      session.invite({
        sessionDescriptionHandlerOptions: { hold } as Web.SessionDescriptionHandlerOptions,
        requestDelegate: {
          onAccept: () => {
            info.holdPending = false;
            sdh?.enableReceiverTracks(!hold);
            sdh?.enableSenderTracks(!hold && !info.muted);
            this.call.transition(hold ? 'on_hold' : 'connected', hold ? 'hold accepted' : 'resume accepted');
            this.emit();
            resolve();
          },
          onReject: (response: IncomingResponse) => {
            info.holdPending = false;
            info.lastError = `${hold ? 'hold' : 'resume'} refused: ${response.message.statusCode} ${response.message.reasonPhrase}`;
            this.emit();
            resolve();
          },
        },
      }).catch((err: unknown) => {
        info.holdPending = false;
        info.lastError = `${hold ? 'hold' : 'resume'} failed: ${(err as Error).message}`;
        this.emit();
        resolve();
      });
    });
  }

  setMuted(muted: boolean): void {
    const info = this.info;
    if (!info || (this.call.state !== 'connected' && this.call.state !== 'on_hold')) return;
    info.muted = muted;
    const sdh = this.session?.sessionDescriptionHandler as Sdh | undefined;
    sdh?.enableSenderTracks(!muted && this.call.state !== 'on_hold');
    this.emit();
  }

  /** One key to the far end as SIP INFO (application/dtmf-relay), which the server accepts. */
  async sendDtmf(digit: string): Promise<void> {
    const session = this.session;
    const info = this.info;
    if (!session || !info || !/^[0-9*#A-D]$/.test(digit) || session.state !== SessionState.Established) return;
    await new Promise<void>((resolve) => {
      session.info({
        requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: dtmfRelayBody(digit) } },
        requestDelegate: {
          onAccept: () => {
            info.dtmfSent += digit;
            this.emit();
            resolve();
          },
          onReject: (response: IncomingResponse) => {
            info.lastError = `key ${digit} refused: ${response.message.statusCode} ${response.message.reasonPhrase}`;
            this.emit();
            resolve();
          },
        },
      }).catch((err: unknown) => {
        info.lastError = `key ${digit} not sent: ${(err as Error).message}`;
        this.emit();
        resolve();
      });
    });
  }

  /**
   * The server says the call is over (event socket). Normally our session
   * ends by the server's BYE at the same moment; if the BYE was lost (the
   * socket was down), end it here after a grace period, so that the screen
   * never shows a call that no longer exists.
   */
  serverEnded(callId: string): void {
    if (!this.info || this.info.callId !== callId || this.serverEndTimer) return;
    const session = this.session;
    this.serverEndTimer = setTimeout(() => {
      this.serverEndTimer = null;
      if (session && session === this.session) {
        if (this.info) this.info.endedBy = 'remote';
        void session.dispose().catch(() => undefined).finally(() => {
          if (session === this.session) this.finish();
        });
      }
    }, 4000);
  }

  clearError(): void {
    if (this.info?.lastError) {
      this.info.lastError = null;
      this.emit();
    }
  }

  /** Applies a newly chosen output device to the far end's audio. */
  async applyOutput(deviceId: string | null): Promise<void> {
    await Promise.all([this.remoteAudio.setOutput(deviceId), this.sideCalls.setOutput(deviceId)]);
  }

  private fail(err: unknown, what: string): void {
    if (this.info) this.info.lastError = `${what} failed: ${(err as Error).message}`;
    if (this.info && !this.info.answeredAt) this.info.endedBy = 'failed';
    this.emit();
  }

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.reregisterTimer, this.serverEndTimer, this.credentialTimer]) if (timer) clearTimeout(timer);
    this.credentialTimer = null;
    this.retryTimer = null;
    this.reregisterTimer = null;
    this.serverEndTimer = null;
  }

  private keepLog(level: string, category: string, content: string): void {
    this.log.push(`${new Date().toISOString()} ${level} ${category} ${content.slice(0, 2000)}`);
    if (this.log.length > 300) this.log.splice(0, this.log.length - 300);
  }

  private emit(): void {
    const snapshot = this.snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }
}
