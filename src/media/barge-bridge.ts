import type { Logger } from '../logger';
import { AppError } from '../errors/app-error';
import { ConferenceMixer, type ConferenceMixerOptions } from './conference-mixer';
import { flagsToward, offerFlags, type LegKind } from './media-leg';
import { isUnknownCall } from './rtpengine-call-sweeper';
import { replySdp, type NgCommand, type NgCommandSender, type NgParams, type NgReply } from './rtpengine-ng-client';
import { audioEndpoint, withDirection, type MediaDirection } from './sdp-text';

/**
 * Barge (issue 18): caller, agent and supervisor all hear one another.
 * rtpengine 10.5 cannot mix (docs/call-monitoring.md), so a GStreamer
 * conference mixer does, and rtpengine carries everything to and from it —
 * no offer, answer or re-INVITE reaches the caller or the agent:
 *
 * - the caller's monologue is re-paired with the mixer's (`offer`/`answer`
 *   from the caller's tag to `<prefix>-mixer`, as a warm transfer re-pairs it
 *   with the consulted party): the mixer receives the caller and sends the
 *   caller the agent + the supervisor;
 * - the agent's and the supervisor's talk leg's media reach the mixer as
 *   subscriptions (`<prefix>-agent-in`, `<prefix>-talk-in`);
 * - the mix of caller + supervisor for the agent is `publish`ed under
 *   `<prefix>-to-agent` (coachSourceTag): the agent's coach call subscribes to
 *   it (MonitorFork), since the agent's main leg cannot carry a second source.
 *
 * The mixer speaks PCMA only; rtpengine transcodes to the parties' codecs.
 * end() pairs the caller with the agent again (as cancelConsult does) and
 * stops the mixer.
 */
export interface BargeBridgeOptions {
  ng: NgCommandSender;
  /** The monitored call's rtpengine call-id. */
  callId: string;
  callerTag: string;
  agentTag: string;
  /** The supervisor's talk leg (MonitorTalkSource.tag), answered already. */
  talkTag: string;
  /** Prefix of the bridge's own tags in the call: unique per barge. */
  tagPrefix: string;
  /** What the agent's main leg is: its transport must stay as it was when the caller is paired back. */
  agentKind: LegKind;
  /** What the caller's leg is; a trunk (sip) unless said. */
  callerKind?: LegKind;
  logger?: Logger;
  /** Starts the mixer (default: ConferenceMixer.start). */
  startMixer?: (options: ConferenceMixerOptions) => Promise<ConferenceMixer>;
}

export type BargeBridgeState = 'new' | 'starting' | 'bridged' | 'ended';

/** What start() needs: the parties' latest SDPs (MediaSession.latestSdps), to pair the caller with the agent again at the end. */
export interface BargeBridgeStart {
  callerSdp: string;
  agentSdp: string;
}

/** One plain-RTP PCMA stream of the mixer's on loopback. Pure. */
export function mixerSdp(port: number, direction: MediaDirection, sessionId: number): string {
  return [
    'v=0', `o=- ${sessionId} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', 'a=ptime:20', `a=${direction}`, '',
  ].join('\r\n');
}

/** The discard port (RFC 863): where the publishing side of the mixer "receives" — rtpengine sends a publisher nothing. */
const DISCARD_PORT = 9;

export class BargeBridge {
  private current: BargeBridgeState = 'new';
  private sdps: BargeBridgeStart | null = null;
  private mixer: ConferenceMixer | null = null;
  /** What start() did in rtpengine, for end() to undo exactly that. */
  private readonly done = { repaired: false, subscribed: [] as string[], published: false };

  constructor(private readonly options: BargeBridgeOptions) {}

  get state(): BargeBridgeState {
    return this.current;
  }

  /** The mix for the agent (caller + supervisor), published in rtpengine: subscribe the agent's coach call to it. */
  get coachSourceTag(): string {
    return `${this.options.tagPrefix}-to-agent`;
  }

  /** The mixer's monologue, paired with the caller's while barging. */
  get mixerTag(): string {
    return `${this.options.tagPrefix}-mixer`;
  }

  /** The mixer process, while it runs (tests check it is gone after end()). */
  get mixerProcess(): ConferenceMixer | null {
    return this.mixer;
  }

  private get agentInTag(): string {
    return `${this.options.tagPrefix}-agent-in`;
  }

  private get talkInTag(): string {
    return `${this.options.tagPrefix}-talk-in`;
  }

  /**
   * Starts the mixer and re-pairs the media. On failure call end(): it undoes
   * whatever was done.
   */
  async start(sdps: BargeBridgeStart): Promise<{ coachSourceTag: string }> {
    if (this.current !== 'new') throw new AppError('ILLEGAL_TRANSITION', `barge bridge: start while ${this.current}`);
    this.current = 'starting';
    this.sdps = sdps;
    const callerKind = this.options.callerKind ?? 'sip';
    const toMixer = await this.send('offer', {
      'from-tag': this.options.callerTag, 'to-tag': this.mixerTag, sdp: withDirection(sdps.callerSdp, 'sendrecv'),
      ...offerFlags(callerKind, 'sip'), codec: { transcode: ['PCMA'] },
    });
    this.done.repaired = true;
    // The offer stops the agent receiving the caller, but not the caller receiving the agent (10.5 drops the
    // offerer's subscribers only): without this the caller gets the agent and the mix interleaved on one stream.
    await this.send('unsubscribe', { 'to-tag': this.options.callerTag });
    await this.subscribe(this.options.agentTag, this.agentInTag);
    await this.subscribe(this.options.talkTag, this.talkInTag);
    const published = await this.send('publish', {
      'from-tag': this.coachSourceTag, sdp: mixerSdp(DISCARD_PORT, 'sendonly', 1), ...flagsToward('sip'),
    });
    this.done.published = true;
    const startMixer = this.options.startMixer ?? ((o: ConferenceMixerOptions) => ConferenceMixer.start(o));
    this.mixer = await startMixer({
      inputs: ['caller', 'agent', 'talk'],
      outputs: [
        { name: 'to_caller', inputs: ['agent', 'talk'], ...endpointOf(replySdp(toMixer, `call ${this.options.callId}, the mixer leg`), 'the mixer leg') },
        { name: 'to_agent', inputs: ['caller', 'talk'], ...endpointOf(replySdp(published, `call ${this.options.callId}, the published mix`), 'the published mix') },
      ],
      logger: this.options.logger,
    });
    const towardCaller = flagsToward(callerKind);
    // `asymmetric`: the mixer sends from another port (udpsink's) than it receives on (udpsrc's); rtpengine must keep
    // sending the caller to the SDP's port, not learn the sender's port (it did: the mixer never got the caller).
    await this.send('answer', {
      'from-tag': this.options.callerTag, 'to-tag': this.mixerTag, sdp: mixerSdp(this.mixer.inputPort('caller'), 'sendrecv', 2),
      ...towardCaller, flags: [...flagList(towardCaller), 'allow transcoding', 'asymmetric'],
    });
    await this.subscribeAnswer(this.agentInTag, this.mixer.inputPort('agent'), 3);
    await this.subscribeAnswer(this.talkInTag, this.mixer.inputPort('talk'), 4);
    this.current = 'bridged';
    return { coachSourceTag: this.coachSourceTag };
  }

  /**
   * Pairs the caller with the agent again (offer from the caller's tag with
   * its latest SDP, answer with the agent's, as cancelConsult does), ends the
   * mixer's subscriptions and publication, stops the mixer in `finally`.
   * Idempotent; a call rtpengine no longer holds has nothing left to undo.
   */
  async end(): Promise<void> {
    if (this.current === 'ended' || this.current === 'new') {
      this.current = 'ended';
      return;
    }
    this.current = 'ended';
    try {
      await this.undoInRtpengine();
    } catch (err) {
      if (!isUnknownCall(err)) throw err;
    } finally {
      const mixer = this.mixer;
      this.mixer = null;
      await mixer?.stop();
    }
  }

  private async undoInRtpengine(): Promise<void> {
    const sdps = this.sdps;
    if (this.done.repaired && sdps) {
      const callerKind = this.options.callerKind ?? 'sip';
      await this.send('offer', {
        'from-tag': this.options.callerTag, 'to-tag': this.options.agentTag, sdp: withDirection(sdps.callerSdp, 'sendrecv'),
        ...offerFlags(callerKind, this.options.agentKind),
      });
      // As in start(): the caller stops receiving the mixer too, not only the mixer the caller.
      await this.send('unsubscribe', { 'to-tag': this.options.callerTag });
      await this.send('answer', {
        'from-tag': this.options.callerTag, 'to-tag': this.options.agentTag, sdp: withDirection(sdps.agentSdp, 'sendrecv'), ...flagsToward(callerKind),
      });
      this.done.repaired = false;
    }
    const subscribed = this.done.subscribed.splice(0);
    for (const tag of subscribed) await this.send('unsubscribe', { 'to-tag': tag });
    const leftover = [this.mixerTag, ...subscribed, ...(this.done.published ? [this.coachSourceTag] : [])];
    this.done.published = false;
    for (const tag of leftover) await this.deleteMonologue(tag);
  }

  /**
   * Releases one monologue of the bridge's: `delete` with its from-tag and no
   * delay frees its ports and links (10.5 still lists the tag in `query`,
   * without ports); the call goes on. One it never had is no error.
   */
  private async deleteMonologue(tag: string): Promise<void> {
    try {
      await this.send('delete', { 'from-tag': tag, 'delete-delay': 0 });
    } catch (err) {
      if (!isUnknownCall(err) && !/unknown monologue|tag not found/i.test(String(err))) throw err;
    }
  }

  private async subscribe(sourceTag: string, toTag: string): Promise<void> {
    await this.send('subscribeRequest', {
      'from-tags': [sourceTag], 'to-tag': toTag, ...flagsToward('sip'), codec: { transcode: ['PCMA'] },
    });
    this.done.subscribed.push(toTag);
  }

  private async subscribeAnswer(toTag: string, port: number, sessionId: number): Promise<void> {
    await this.send('subscribeAnswer', { 'to-tag': toTag, sdp: mixerSdp(port, 'recvonly', sessionId), flags: ['allow transcoding'] });
  }

  private async send(name: NgCommand, params: NgParams): Promise<NgReply> {
    const started = Date.now();
    const reply = await this.options.ng.command(name, { 'call-id': this.options.callId, ...params });
    this.options.logger?.debug({ command: name, ms: Date.now() - started, prefix: this.options.tagPrefix }, 'rtpengine command');
    return reply;
  }
}

function flagList(params: NgParams): string[] {
  const flags = params.flags;
  return Array.isArray(flags) ? flags.map(String) : [];
}

function endpointOf(sdp: string, what: string): { host: string; port: number } {
  const endpoint = audioEndpoint(sdp);
  if (!endpoint) throw new AppError('INTERNAL', `rtpengine gave ${what} no audio address`);
  return { host: endpoint.address, port: endpoint.port };
}
