import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { convertCallRecording, type RecordingFile } from './call-recording';
import { legCounters, streamPortsOf, type LegCounters } from './leg-counters';
import { flagsToward, offerFlags, sdpToward, type LegKind, type LegRole } from './media-leg';
import { canTransition, type MediaSessionState } from './media-session-state';
import type { MediaCallTracker } from './rtpengine-call-sweeper';
import { RtpengineCallChannel } from './rtpengine-call-channel';
import { replySdp, type NgCommand, type NgCommandSender, type NgParams, type NgReply } from './rtpengine-ng-client';
import { audioCodec, audioEndpoint, audioRtcpPort, placeholderAnswer, placeholderOffer, withDirection } from './sdp-text';

/**
 * The media of one call in rtpengine, as the SIP layer drives it (design §3,
 * §7). One rtpengine call carries the caller from the IVR to the agent:
 *
 * 1. `anchorCaller`: `offer` with the caller's SDP and tag, then `answer` with
 *    a placeholder SDP and to-tag `ivr`; the answer's SDP answers the caller.
 *    A caller whose INVITE had no SDP (delayed offer) is anchored the other
 *    way round: `offerToCaller` (the placeholder offers), then
 *    `anchorCallerAnswer` with the SDP of the caller's ACK.
 * 2. `playPrompt` / `startMusicOnHold` / `stopPlayback`: `play media` and
 *    `stop media` with from-tag = the caller's tag, which is what the caller
 *    hears. rtpengine sends no "finished" event: the prompt's end is timed by
 *    the caller of `playPrompt` from the returned duration.
 * 3. `offerToAgent` + `acceptAgentAnswer`: a fresh `offer` with the caller's
 *    SDP and tag, then an `answer` with to-tag = the agent leg: caller and
 *    agent are bridged both ways; the placeholder gets nothing more.
 * 4. `reoffer` + `completeReoffer`: a re-INVITE from either side goes through
 *    rtpengine as a new offer/answer (RFC 3264 §8); hold (sendonly,
 *    inactive) passes through to the other side.
 * 5. `startConsult`, `offerToConsulted`, `consultAnswered`,
 *    `consultAgentAnswered`, then `completeConsult` or `cancelConsult`: a warm
 *    transfer re-pairs the call's monologues (see offerToConsulted).
 * 6. `startRecording` / `stopRecording`, `counters`, `delete` — and after the
 *    call, `saveRecording` turns rtpengine's pcap into a stereo WAV. The
 *    capture tells the legs apart by rtpengine's receiving port: the ports
 *    handed to each leg in SDP, plus the sockets rtpengine reports for each
 *    leg's tag (`query`, also sent before `delete` of a recorded call) —
 *    rtpengine gives a bridged agent sockets that no SDP names (leg-counters).
 *
 * Every rtpengine command has a timeout (the ng client's) and any error reply
 * rejects with an AppError. The owner calls `delete()` in a `finally`,
 * whatever happened: a half-set-up call still holds ports in rtpengine.
 */

/** The tag of the placeholder leg the caller is answered against until an agent takes the call (design §7). */
export const PLACEHOLDER_TAG = 'ivr';

/**
 * `repeat-times` for music on hold: rtpengine 10.5 has no endless loop, only
 * a count (`play media` … `repeat-times`, README of mr10.5). 100 000 plays of
 * even a 10 s file is longer than any call.
 */
export const MUSIC_ON_HOLD_REPEATS = 100_000;

/** One party of the call as rtpengine knows it. */
export interface MediaLeg {
  /** The SIP tag used for the leg in rtpengine (caller: the From-tag; agent: any unique tag of the B leg). */
  tag: string;
  kind: LegKind;
}

/** Options of MediaSession. */
export interface MediaSessionOptions {
  ng: NgCommandSender;
  /** Which rtpengine `ng` talks to (its ng address), for the call's checkpoint; absent with a single unnamed one. */
  engine?: string;
  /** The rtpengine call-id; the SIP Call-ID of the caller's dialog. */
  callId: string;
  caller: MediaLeg;
  /** rtpengine's `--recording-dir` as this process sees it; needed by saveRecording only. */
  recordingDir?: string;
  /** The call's child logger (design §2). */
  logger?: Logger;
  /** ms since the epoch; injected by tests. Default Date.now. */
  clock?: () => number;
  /** Told when the call starts and ends in rtpengine, and when its delete failed (the sweeper then deletes it). */
  tracker?: MediaCallTracker;
  /** `delete` attempts when rtpengine does not answer (default 3), and the wait before the first retry, doubled each time (default 250 ms). */
  deleteRetry?: { attempts: number; backoffMs: number };
  /** The file to play for `file` to a caller sent `codec` (a copy pre-encoded in it, prompt-variants); default `file`. */
  promptFile?: (file: string, codec: string | null) => string;
}

/** A playback rtpengine started. */
export interface Playback {
  /**
   * Length of one play of the file in ms, as rtpengine measured it (its reply's
   * `duration`); null when rtpengine could not tell. The prompt ends this long
   * after `startedAt` — rtpengine sends no event (design §7).
   */
  durationMs: number | null;
  /** When the command was answered, ms since the epoch. */
  startedAt: number;
}

/** The outcome of bridging an agent. */
export interface AgentBridge {
  /** The SDP now describing rtpengine toward the caller. */
  callerSdp: string;
  /**
   * True when rtpengine moved the caller's side to another address or port.
   * rtpengine 10.5 does so on the bridging answer, yet keeps taking the caller's
   * packets on the old port, so no re-INVITE is needed for audio to flow; a
   * caller that filters by source address may want one (send `callerSdp`).
   */
  callerMediaChanged: boolean;
}

/** The outcome of a re-INVITE offer. */
export type ReofferResult =
  /** The caller re-offered while no agent is bridged: answer its re-INVITE with `sdp`; nothing else to do. */
  | { kind: 'answered'; sdp: string }
  /** Send `sdp` to the other leg in a re-INVITE, then pass its answer to completeReoffer. */
  | { kind: 'forward'; sdp: string; to: LegRole };

/** Packet counters of both legs: what rtpengine received from each (see leg-counters). */
export interface MediaCounters {
  caller: LegCounters;
  /** Null when no agent is bridged. */
  agent: LegCounters | null;
  /** The consulted party during a warm transfer; null otherwise. */
  consulted?: LegCounters | null;
}

/** The party a warm transfer consults, as rtpengine knows it. */
interface ConsultLeg extends MediaLeg {
  ports: Set<number>;
  /** Its SDP once it answered; null while it rings. */
  sdp: string | null;
}

interface PendingReoffer {
  from: LegRole;
  fromTag: string;
  toTag: string;
  /** Kind of the re-offering leg: the answer's SDP goes back to it. */
  fromKind: LegKind;
}

interface AgentLeg extends MediaLeg {
  /** rtpengine ports handed to this agent. */
  ports: Set<number>;
}

/** The media of one call. Not safe for concurrent use: the SIP layer serialises a call's events. */
export class MediaSession {
  readonly callId: string;
  readonly caller: Readonly<MediaLeg>;
  /** The rtpengine the call is on (its ng address), or null when unnamed. */
  readonly engine: string | null;
  private readonly channel: RtpengineCallChannel;
  private readonly logger: Logger | undefined;
  private readonly clock: () => number;
  private readonly recordingDir: string | undefined;
  private readonly promptFile: ((file: string, codec: string | null) => string) | undefined;

  private current: MediaSessionState = 'new';
  /** The caller's latest SDP: a fresh offer toward an agent is built from it. */
  private callerSdp: string | null = null;
  /** The codec the caller is sent (first of the answer it got, or of its own answer to our offer); prompts may be stored in it. */
  private callerCodec: string | null = null;
  /** The rtpengine endpoint last handed to the caller, to tell when it moves. */
  private callerEndpoint: string | null = null;
  private readonly callerPorts = new Set<number>();
  /** Every rtpengine port ever handed to, or reported for, any agent of the call: the recording's right channel. */
  private readonly allAgentPorts = new Set<number>();
  /** Every tag an agent leg of the call ever had. */
  private readonly agentTags = new Set<string>();
  private agent: AgentLeg | null = null;
  /** The agent's latest SDP (answer or re-offer): a warm transfer offers it to the consulted party. */
  private agentSdp: string | null = null;
  private consult: ConsultLeg | null = null;
  /** Agent legs offered and not answered yet, by tag: one per kind of device rung at once (a browser and a desk phone). */
  private readonly offering = new Map<string, { kind: LegKind; ports: Set<number> }>();
  private pending: PendingReoffer | null = null;
  private playing: 'prompt' | 'music' | null = null;
  private everPlayed = false;
  /** Tags whose media is blocked while music plays to a bridged caller. */
  private blockedTags: string[] = [];
  private recording: { startedAt: number; stoppedAt: number | null } | null = null;
  private recordingWindows: Array<{ startedAt: number; stoppedAt: number }> = [];
  private placeholderVersion = 1;

  constructor(options: MediaSessionOptions) {
    this.engine = options.engine ?? null;
    this.callId = options.callId;
    this.caller = { ...options.caller };
    this.logger = options.logger;
    this.clock = options.clock ?? Date.now;
    this.recordingDir = options.recordingDir;
    this.promptFile = options.promptFile;
    this.channel = new RtpengineCallChannel({
      ng: options.ng, callId: options.callId, clock: this.clock, deleteRetry: options.deleteRetry ?? { attempts: 3, backoffMs: 250 },
      ...(options.logger ? { logger: options.logger } : {}), ...(options.tracker ? { tracker: options.tracker } : {}),
    });
    if (options.caller.tag === PLACEHOLDER_TAG) throw new AppError('VALIDATION_FAILED', `the caller's tag may not be "${PLACEHOLDER_TAG}"`);
  }

  get state(): MediaSessionState {
    return this.current;
  }

  /** The ports known so far for each side of the recording (a checkpoint keeps them, for a survivor to convert the capture). */
  get recordingLayout(): { callerPorts: number[]; agentPorts: number[] } {
    return { callerPorts: [...this.callerPorts], agentPorts: [...this.allAgentPorts] };
  }

  /** When the call's recording first started (epoch ms), or null when it never did. */
  get recordingSince(): number | null {
    return this.recordingWindows[0]?.startedAt ?? this.recording?.startedAt ?? null;
  }

  /** The agent leg bridged to the caller, if any. */
  get agentLeg(): Readonly<MediaLeg> | null {
    return this.agent ? { tag: this.agent.tag, kind: this.agent.kind } : null;
  }

  /** The caller's and the agent's latest SDPs (null before there is one): a barge re-pairs the caller with a mixer, and back, with them. */
  get latestSdps(): { caller: string | null; agent: string | null } {
    return { caller: this.callerSdp, agent: this.agentSdp };
  }

  /**
   * Anchors the caller's media: `offer` (caller's SDP and tag), `answer`
   * (placeholder SDP, to-tag `ivr`).
   *
   * @param offerSdp the SDP of the caller's INVITE.
   * @returns the SDP to answer the caller's INVITE with.
   */
  async anchorCaller(offerSdp: string): Promise<string> {
    this.require('anchorCaller', ['new']);
    const offer = await this.send('offer', { 'from-tag': this.caller.tag, sdp: offerSdp, ...offerFlags(this.caller.kind, 'sip') });
    const answer = await this.send('answer', {
      'from-tag': this.caller.tag, 'to-tag': PLACEHOLDER_TAG, sdp: this.placeholderFor(offer), ...flagsToward(this.caller.kind),
    });
    this.callerSdp = offerSdp;
    const sdp = this.handToCaller(answer);
    this.callerCodec = audioCodec(sdp);
    this.transition('anchored');
    return sdp;
  }

  /**
   * Delayed offer (RFC 3261 §13.2.1, RFC 3264): the caller's INVITE carried
   * no SDP, so the offer is ours, in the 200 OK. The placeholder leg offers
   * (`offer`, from-tag `ivr`) and rtpengine writes the offer toward the
   * caller; the caller's answer comes in its ACK (anchorCallerAnswer). Later
   * offers toward an agent start from the caller's side as usual: rtpengine
   * takes offers from either party of a call.
   *
   * @returns the SDP to put in the 200 OK.
   */
  async offerToCaller(): Promise<string> {
    this.require('offerToCaller', ['new']);
    const offer = await this.send('offer', {
      'from-tag': PLACEHOLDER_TAG, sdp: placeholderOffer(this.placeholderVersion++), ...offerFlags('sip', this.caller.kind),
    });
    const sdp = this.handToCaller(offer);
    this.transition('offered-to-caller');
    return sdp;
  }

  /**
   * The caller's answer to offerToCaller's offer (the SDP of its ACK): the
   * call is anchored as with anchorCaller, prompts can play.
   *
   * @throws AppError from rtpengine when the answer cannot be taken (no common codec, unreadable).
   */
  async anchorCallerAnswer(answerSdp: string): Promise<void> {
    this.require('anchorCallerAnswer', ['offered-to-caller']);
    await this.send('answer', { 'from-tag': PLACEHOLDER_TAG, 'to-tag': this.caller.tag, sdp: answerSdp, ...flagsToward('sip') });
    // Reused as the caller's offer toward agents: an answer's direction is its own (a caller answering recvonly stays so).
    this.callerSdp = answerSdp;
    this.callerCodec = audioCodec(answerSdp);
    this.transition('anchored');
  }

  /**
   * Plays a prompt file (8 kHz mono WAV, design §7) to the caller, replacing
   * whatever plays now. Barge-in: `stopPlayback`.
   */
  async playPrompt(file: string): Promise<Playback> {
    return this.play(file, 'prompt', {});
  }

  /**
   * Loops `file` to the caller until `stopPlayback` (or a prompt replaces it).
   * While an agent is bridged (hold), the agent's media toward the caller is
   * blocked meanwhile: rtpengine forwards it alongside the music otherwise, and
   * a softphone on hold (sendonly, RFC 3264 §8.4) still sends its microphone.
   */
  async startMusicOnHold(file: string, repeatTimes: number = MUSIC_ON_HOLD_REPEATS): Promise<Playback> {
    const playback = await this.play(file, 'music', { 'repeat-times': repeatTimes });
    if (this.agent && this.blockedTags.length === 0) {
      // The placeholder's socket is where a freshly bridged agent sends until its first re-INVITE (leg-counters).
      for (const tag of [this.agent.tag, PLACEHOLDER_TAG]) {
        await this.send('blockMedia', { 'from-tag': tag });
        this.blockedTags.push(tag);
      }
    }
    return playback;
  }

  /** Stops the prompt or music playing to the caller (barge-in, hold ended); a no-op when nothing ever played. */
  async stopPlayback(): Promise<void> {
    this.require('stopPlayback', ['anchored', 'offering-agent', 'bridged']);
    // rtpengine refuses `stop media` for a leg that never played ("Not currently playing media").
    if (this.everPlayed) await this.send('stopMedia', { 'from-tag': this.caller.tag });
    this.playing = null;
    await this.unblock();
  }

  /** What plays to the caller now, as far as this session knows (a prompt that ran out still counts). */
  get playback(): 'prompt' | 'music' | null {
    return this.playing;
  }

  /**
   * Starts bridging the caller to an agent: a fresh `offer` with the caller's
   * SDP and tag, written for a leg of `kind`, naming the agent leg's tag.
   *
   * The tag must be in the offer: without it rtpengine writes the offer from
   * the placeholder leg's ports and ICE credentials, then opens new ports for
   * the tag the answer names — a browser is told one port and checked from
   * another, and ICE never completes (plain RTP peers hide this by latching).
   *
   * Called again while offering, with another tag, it offers a second leg
   * at once (an agent's browser and desk phone ring together, each needing
   * its own kind of SDP); the answer names the one that won, and the others
   * are left unused (checked with rtpengine 10.5: media flows between the
   * caller and the answered tag whichever was offered first).
   *
   * @param agentTag a tag unique within the call for this agent leg (not `ivr`, not the caller's); acceptAgentAnswer must name it too.
   * @returns the SDP for the INVITE to the agent.
   */
  async offerToAgent(kind: LegKind, agentTag: string): Promise<string> {
    this.require('offerToAgent', ['anchored', 'bridged', 'offering-agent']);
    if (agentTag === PLACEHOLDER_TAG || agentTag === this.caller.tag || this.agentTags.has(agentTag) || this.offering.has(agentTag)) {
      throw new AppError('VALIDATION_FAILED', `an agent leg's tag must be new in the call and differ from "${PLACEHOLDER_TAG}" and the caller's`);
    }
    const offer = await this.send('offer', { 'from-tag': this.caller.tag, 'to-tag': agentTag, sdp: this.latestCallerSdp(), ...offerFlags(this.caller.kind, kind) });
    const sdp = sdpToward(kind, this.sdpOf(offer));
    const ports = portsOf(sdp);
    this.offering.set(agentTag, { kind, ports });
    for (const port of ports) this.allAgentPorts.add(port);
    this.transition('offering-agent');
    return sdp;
  }

  /**
   * Completes the bridge with the agent's answer: `answer` with to-tag =
   * `agentTag`. Whatever played to the caller is stopped first — the music
   * and the agent's voice must not overlap.
   *
   * @param agentTag the tag given to offerToAgent.
   * @param answerSdp the SDP of the agent's 200 OK.
   */
  async acceptAgentAnswer(agentTag: string, answerSdp: string): Promise<AgentBridge> {
    this.require('acceptAgentAnswer', ['offering-agent']);
    const offering = this.offering.get(agentTag);
    if (!offering) {
      throw new AppError('VALIDATION_FAILED', `the answer names agent leg "${agentTag}" but the offer went to "${[...this.offering.keys()].join('", "')}"`);
    }
    if (this.playing || this.blockedTags.length > 0) await this.stopPlayback();
    const before = this.callerEndpoint;
    const answer = await this.send('answer', { 'from-tag': this.caller.tag, 'to-tag': agentTag, sdp: answerSdp, ...flagsToward(this.caller.kind) });
    const callerSdp = this.handToCaller(answer);
    this.agent = { tag: agentTag, kind: offering.kind, ports: offering.ports };
    this.agentSdp = answerSdp;
    this.agentTags.add(agentTag);
    this.offering.clear();
    this.transition('bridged');
    return { callerSdp, callerMediaChanged: before !== this.callerEndpoint };
  }

  /** The agent did not answer (ring timeout, 486, 603, CANCEL): back to where the call was. */
  cancelAgentOffer(): void {
    this.require('cancelAgentOffer', ['offering-agent']);
    this.offering.clear();
    this.transition(this.agent ? 'bridged' : 'anchored');
  }

  /** The agent leg ended (BYE) while the caller stays: the caller is back to prompts and music. */
  releaseAgent(): void {
    this.require('releaseAgent', ['bridged']);
    this.agent = null;
    this.agentSdp = null;
    this.pending = null;
    this.transition('anchored');
  }

  /**
   * A re-INVITE's offer from `from` (RFC 3264 §8), e.g. hold with `sendonly`
   * or `inactive`, which passes through to the other side. From the caller
   * with no agent bridged, the placeholder answers at once.
   *
   * @throws AppError `REQUEST_PENDING` while another offer is outstanding (the re-INVITE is answered 491, RFC 3261 §14.2).
   */
  async reoffer(from: LegRole, offerSdp: string): Promise<ReofferResult> {
    if (this.pending || this.current === 'offering-agent') {
      throw new AppError('REQUEST_PENDING', 'an offer is already outstanding on this call');
    }
    if (from === 'caller' && this.current === 'anchored') {
      const offer = await this.send('offer', { 'from-tag': this.caller.tag, 'to-tag': PLACEHOLDER_TAG, sdp: offerSdp, ...offerFlags(this.caller.kind, 'sip') });
      const answer = await this.send('answer', {
        'from-tag': this.caller.tag, 'to-tag': PLACEHOLDER_TAG, sdp: this.placeholderFor(offer), ...flagsToward(this.caller.kind),
      });
      this.callerSdp = offerSdp;
      return { kind: 'answered', sdp: this.handToCaller(answer) };
    }
    this.require('reoffer', ['bridged']);
    const agent = this.agent as AgentLeg;
    if (from === 'caller') {
      const offer = await this.send('offer', { 'from-tag': this.caller.tag, 'to-tag': agent.tag, sdp: offerSdp, ...offerFlags(this.caller.kind, agent.kind) });
      this.callerSdp = offerSdp;
      this.pending = { from, fromTag: this.caller.tag, toTag: agent.tag, fromKind: this.caller.kind };
      return { kind: 'forward', to: 'agent', sdp: this.handToAgent(agent, offer) };
    }
    const offer = await this.send('offer', { 'from-tag': agent.tag, 'to-tag': this.caller.tag, sdp: offerSdp, ...offerFlags(agent.kind, this.caller.kind) });
    this.agentSdp = offerSdp;
    this.pending = { from, fromTag: agent.tag, toTag: this.caller.tag, fromKind: agent.kind };
    return { kind: 'forward', to: 'caller', sdp: this.handToCaller(offer) };
  }

  /**
   * The other side's answer to a forwarded re-offer.
   *
   * @returns the SDP to answer the original re-INVITE with.
   */
  async completeReoffer(answerSdp: string): Promise<string> {
    const pending = this.pending;
    if (!pending) throw new AppError('ILLEGAL_TRANSITION', 'no re-offer is outstanding');
    const answer = await this.send('answer', { 'from-tag': pending.fromTag, 'to-tag': pending.toTag, sdp: answerSdp, ...flagsToward(pending.fromKind) });
    this.pending = null;
    if (pending.from === 'agent') {
      this.callerSdp = answerSdp;
      return this.handToAgent(this.agent as AgentLeg, answer);
    }
    this.agentSdp = answerSdp;
    return this.handToCaller(answer);
  }

  /** The other side refused the forwarded re-offer: forget it (rtpengine keeps the previous media). */
  cancelReoffer(): void {
    this.pending = null;
  }

  /** The party a warm transfer consults, while it runs. */
  get consultLeg(): Readonly<MediaLeg> | null {
    return this.consult ? { tag: this.consult.tag, kind: this.consult.kind } : null;
  }

  /**
   * Starts a warm transfer (consult): music on hold for the caller, whose own
   * media is blocked meanwhile (the agent must not hear them), and so is the
   * placeholder's socket, where a freshly bridged agent still sends
   * (leg-counters) and which forwards to the caller. The agent's own sending
   * is not blocked: the consulted party must hear it. Then offerToConsulted
   * for each party rung.
   */
  async startConsult(musicFile: string): Promise<void> {
    this.require('startConsult', ['bridged']);
    if (this.pending) throw new AppError('REQUEST_PENDING', 'a re-INVITE is outstanding on this call');
    const agent = this.agent as AgentLeg;
    await this.play(musicFile, 'music', { 'repeat-times': MUSIC_ON_HOLD_REPEATS });
    // A hold before the consult blocked the agent: the consulted party must hear them.
    if (this.blockedTags.includes(agent.tag)) {
      await this.send('unblockMedia', { 'from-tag': agent.tag });
      this.blockedTags = this.blockedTags.filter((tag) => tag !== agent.tag);
    }
    for (const tag of [this.caller.tag, PLACEHOLDER_TAG]) {
      if (this.blockedTags.includes(tag)) continue;
      await this.send('blockMedia', { 'from-tag': tag });
      this.blockedTags.push(tag);
    }
    this.consult = null;
    this.transition('consulting');
  }

  /**
   * The offer for a party the consult rings (again for each one, e.g. when
   * the ACD moves on after a ring-no-answer): the agent's monologue re-paired
   * with a new one. rtpengine 10.5 (call.c, `__subscribe_offer_answer_both_ways`)
   * re-pairs two monologues on an offer naming both tags: everyone receiving
   * the agent stops, and agent and target receive each other.
   *
   * @param target a tag new in the call for the party, and the kind of its phone.
   * @returns the SDP for the INVITE to the party.
   */
  async offerToConsulted(target: MediaLeg): Promise<string> {
    this.require('offerToConsulted', ['consulting']);
    if (this.consult?.sdp) throw new AppError('ILLEGAL_TRANSITION', 'the consulted party has answered already');
    if (target.tag === PLACEHOLDER_TAG || target.tag === this.caller.tag || this.agentTags.has(target.tag)) {
      throw new AppError('VALIDATION_FAILED', `the consulted party's tag must be new in the call, not "${target.tag}"`);
    }
    const agent = this.agent as AgentLeg;
    const offer = await this.send('offer', {
      'from-tag': agent.tag, 'to-tag': target.tag, sdp: withDirection(this.latestAgentSdp(), 'sendrecv'), ...offerFlags(agent.kind, target.kind),
    });
    const sdp = sdpToward(target.kind, this.sdpOf(offer));
    const ports = portsOf(sdp);
    for (const port of ports) this.allAgentPorts.add(port);
    this.agentTags.add(target.tag);
    this.consult = { tag: target.tag, kind: target.kind, ports, sdp: null };
    return sdp;
  }

  /**
   * The consulted party answered. Completes its offer/answer, then offers it
   * back toward the agent: the agent is re-INVITEd with the returned SDP, so
   * that it sends to its own monologue (not the placeholder's socket) and the
   * consulted party hears it. Pass the agent's answer to consultAgentAnswered.
   *
   * @returns the SDP for the re-INVITE to the agent.
   */
  async consultAnswered(answerSdp: string): Promise<string> {
    this.require('consultAnswered', ['consulting']);
    const agent = this.agent as AgentLeg;
    const consult = this.consult;
    if (!consult) throw new AppError('ILLEGAL_TRANSITION', 'nobody was offered the consult');
    if (consult.sdp !== null) throw new AppError('ILLEGAL_TRANSITION', 'the consulted party has answered already');
    await this.send('answer', { 'from-tag': agent.tag, 'to-tag': consult.tag, sdp: answerSdp, ...flagsToward(agent.kind) });
    consult.sdp = answerSdp;
    const offer = await this.send('offer', { 'from-tag': consult.tag, 'to-tag': agent.tag, sdp: answerSdp, ...offerFlags(consult.kind, agent.kind) });
    return this.handToAgent(agent, offer);
  }

  /** The agent's answer to the re-INVITE of consultAnswered: agent and consulted party now hear each other. */
  async consultAgentAnswered(agentAnswerSdp: string): Promise<void> {
    this.require('consultAgentAnswered', ['consulting']);
    const agent = this.agent as AgentLeg;
    const consult = this.consult;
    if (!consult?.sdp) throw new AppError('ILLEGAL_TRANSITION', 'the consulted party has not answered');
    const answer = await this.send('answer', { 'from-tag': consult.tag, 'to-tag': agent.tag, sdp: agentAnswerSdp, ...flagsToward(consult.kind) });
    this.agentSdp = agentAnswerSdp;
    this.noteConsultPorts(consult, answer);
  }

  /**
   * Completes the warm transfer: the caller is paired with the consulted
   * party, who becomes the call's agent leg; the music stops. The former
   * agent's monologue receives nothing more (hang its dialog up).
   * No re-INVITE is needed: both keep the rtpengine ports they were given.
   *
   * @returns the SDP now describing rtpengine toward the caller.
   */
  async completeConsult(): Promise<AgentBridge> {
    this.require('completeConsult', ['consulting']);
    const consult = this.consult;
    if (!consult || consult.sdp === null) throw new AppError('ILLEGAL_TRANSITION', 'the consulted party has not answered');
    const before = this.callerEndpoint;
    await this.stopMusicAndUnblock();
    const offer = await this.send('offer', {
      'from-tag': this.caller.tag, 'to-tag': consult.tag, sdp: withDirection(this.latestCallerSdp(), 'sendrecv'), ...offerFlags(this.caller.kind, consult.kind),
    });
    this.noteConsultPorts(consult, offer);
    const answer = await this.send('answer', { 'from-tag': this.caller.tag, 'to-tag': consult.tag, sdp: consult.sdp, ...flagsToward(this.caller.kind) });
    const callerSdp = this.handToCaller(answer);
    this.agent = { tag: consult.tag, kind: consult.kind, ports: consult.ports };
    this.agentSdp = consult.sdp;
    this.consult = null;
    this.transition('bridged');
    return { callerSdp, callerMediaChanged: before !== this.callerEndpoint };
  }

  /**
   * Calls the consult off (declined, no answer, or the agent changed their
   * mind): the music stops and the caller is paired with the agent again.
   * Hang the consulted party's dialog up, if any.
   */
  async cancelConsult(): Promise<void> {
    this.require('cancelConsult', ['consulting']);
    const agent = this.agent as AgentLeg;
    this.consult = null;
    await this.stopMusicAndUnblock();
    const offer = await this.send('offer', {
      'from-tag': this.caller.tag, 'to-tag': agent.tag, sdp: withDirection(this.latestCallerSdp(), 'sendrecv'), ...offerFlags(this.caller.kind, agent.kind),
    });
    this.handToAgent(agent, offer);
    const answer = await this.send('answer', {
      'from-tag': this.caller.tag, 'to-tag': agent.tag, sdp: withDirection(this.latestAgentSdp(), 'sendrecv'), ...flagsToward(this.caller.kind),
    });
    this.handToCaller(answer);
    this.transition('bridged');
  }

  /** Stops the music to the caller and lifts every block. */
  private async stopMusicAndUnblock(): Promise<void> {
    if (this.everPlayed) await this.send('stopMedia', { 'from-tag': this.caller.tag });
    this.playing = null;
    await this.unblock();
  }

  private noteConsultPorts(consult: ConsultLeg, reply: NgReply): void {
    const sdp = this.sdpOf(reply);
    for (const port of portsOf(sdp)) {
      consult.ports.add(port);
      this.allAgentPorts.add(port);
    }
  }

  /** Starts (or resumes) recording the call into rtpengine's pcap spool. */
  async startRecording(): Promise<void> {
    this.require('startRecording', ['anchored', 'offering-agent', 'bridged', 'consulting']);
    if (this.recording) return;
    await this.send('startRecording', {});
    this.recording = { startedAt: this.clock(), stoppedAt: null };
  }

  /** Stops recording; rtpengine closes the capture file. */
  async stopRecording(): Promise<void> {
    if (!this.recording) return;
    this.require('stopRecording', ['anchored', 'offering-agent', 'bridged', 'consulting']);
    await this.send('stopRecording', {});
    this.closeRecordingWindow();
  }

  /** True while recording. */
  get isRecording(): boolean {
    return this.recording !== null;
  }

  /** What rtpengine received from each leg so far (`query`). */
  async counters(): Promise<MediaCounters> {
    this.require('counters', ['anchored', 'offering-agent', 'bridged', 'consulting']);
    const reply = await this.send('query', {});
    this.learnSockets(reply);
    return {
      caller: legCounters(reply, { tag: this.caller.tag, ports: this.callerPorts }),
      agent: this.agent ? legCounters(reply, { tag: this.agent.tag, ports: this.agent.ports }) : null,
      consulted: this.consult ? legCounters(reply, { tag: this.consult.tag, ports: this.consult.ports }) : null,
    };
  }

  /**
   * Tells which leg a tag in an rtpengine report (e.g. a DTMF `source_tag`)
   * stands for: the placeholder's monologue receives what the bridged agent
   * sends until the agent's first re-INVITE (see leg-counters).
   */
  roleOfTag(tag: string): LegRole | null {
    if (tag === this.caller.tag) return 'caller';
    if (this.agent && (tag === this.agent.tag || tag === PLACEHOLDER_TAG)) return 'agent';
    return null;
  }

  /**
   * Ends the call in rtpengine (its ports, players, recording file).
   * Idempotent, and safe in every state; call it in the call's `finally`.
   */
  async delete(): Promise<void> {
    if (this.current === 'deleted') return;
    const touched = this.channel.touched;
    const recorded = this.recording !== null || this.recordingWindows.length > 0;
    this.closeRecordingWindow();
    this.playing = null;
    this.blockedTags = [];
    this.pending = null;
    this.offering.clear();
    this.consult = null;
    this.transition('deleted');
    // Marked deleted first: a failed delete must not leave the session usable, and rtpengine drops idle calls itself.
    // No delete delay (rtpengine's default keeps the call 30 s): this B2BUA has no forked branches to wait for, the
    // ports come back at once, and the pcap capture is closed now, so saveRecording can run right after.
    if (!touched) return;
    if (recorded) {
      // The recording layout needs every socket rtpengine received the legs' packets on, and only a query tells
      // (rtpengine 10.5's delete reply carries no streams). Best effort: the delete matters more.
      try {
        this.learnSockets(await this.send('query', {}));
      } catch {
        // Logged by send; the layout keeps the ports the SDPs named.
      }
    }
    await this.channel.deleteWithRetry();
  }

  /**
   * After `delete`: writes the call's recording as a stereo WAV (caller left,
   * agent right) exactly as long as the time recording was on.
   *
   * @throws AppError `ILLEGAL_TRANSITION` before delete (rtpengine flushes the capture on call end),
   *   `VALIDATION_FAILED` without `recordingDir` or when nothing was recorded, `NOT_FOUND` when rtpengine wrote no file.
   */
  async saveRecording(outputPath: string, options: { removeCapture?: boolean } = {}): Promise<RecordingFile> {
    this.require('saveRecording', ['deleted']);
    if (!this.recordingDir) throw new AppError('VALIDATION_FAILED', 'saveRecording needs the session option recordingDir');
    const first = this.recordingWindows[0];
    const last = this.recordingWindows[this.recordingWindows.length - 1];
    if (!first || !last) throw new AppError('VALIDATION_FAILED', `call ${this.callId} was never recorded`);
    return convertCallRecording({
      recordingDir: this.recordingDir,
      callId: this.callId,
      outputPath,
      layout: { callerPorts: this.callerPorts, agentPorts: this.allAgentPorts },
      window: { startUs: first.startedAt * 1000, endUs: last.stoppedAt * 1000 },
      ...(options.removeCapture !== undefined ? { removeCapture: options.removeCapture } : {}),
    });
  }

  private async play(file: string, kind: 'prompt' | 'music', extra: NgParams): Promise<Playback> {
    this.require(kind === 'prompt' ? 'playPrompt' : 'startMusicOnHold', ['anchored', 'offering-agent', 'bridged']);
    const played = this.promptFile ? this.promptFile(file, this.callerCodec) : file;
    const reply = await this.send('playMedia', { 'from-tag': this.caller.tag, file: played, ...extra });
    this.everPlayed = true;
    this.playing = kind;
    const duration = reply.duration;
    return { durationMs: typeof duration === 'number' && duration > 0 ? duration : null, startedAt: this.clock() };
  }

  private async unblock(): Promise<void> {
    const tags = this.blockedTags;
    this.blockedTags = [];
    for (const tag of tags) await this.send('unblockMedia', { 'from-tag': tag });
  }

  /** Adds the sockets a `query` reply lists under the caller's and the agents' tags to the recording layout. */
  private learnSockets(reply: NgReply): void {
    for (const port of streamPortsOf(reply, this.caller.tag)) this.callerPorts.add(port);
    for (const tag of this.agentTags) {
      for (const port of streamPortsOf(reply, tag)) {
        if (!this.callerPorts.has(port)) this.allAgentPorts.add(port);
      }
    }
  }

  private closeRecordingWindow(): void {
    if (!this.recording) return;
    this.recordingWindows.push({ startedAt: this.recording.startedAt, stoppedAt: this.clock() });
    this.recording = null;
  }

  private latestAgentSdp(): string {
    if (this.agentSdp === null) throw new AppError('ILLEGAL_TRANSITION', 'no agent is bridged');
    return this.agentSdp;
  }

  private latestCallerSdp(): string {
    if (this.callerSdp === null) throw new AppError('ILLEGAL_TRANSITION', 'the caller has not been anchored');
    return this.callerSdp;
  }

  private placeholderFor(offer: NgReply): string {
    return placeholderAnswer(this.sdpOf(offer), this.placeholderVersion++);
  }

  private handToCaller(reply: NgReply): string {
    const sdp = sdpToward(this.caller.kind, this.sdpOf(reply));
    for (const port of portsOf(sdp)) this.callerPorts.add(port);
    const endpoint = audioEndpoint(sdp);
    this.callerEndpoint = endpoint ? `${endpoint.address}:${endpoint.port}` : null;
    return sdp;
  }

  private handToAgent(agent: AgentLeg, reply: NgReply): string {
    const sdp = sdpToward(agent.kind, this.sdpOf(reply));
    for (const port of portsOf(sdp)) {
      agent.ports.add(port);
      this.allAgentPorts.add(port);
    }
    return sdp;
  }

  private sdpOf(reply: NgReply): string {
    return replySdp(reply, `call ${this.callId}`);
  }

  private send(name: NgCommand, params: NgParams): Promise<NgReply> {
    return this.channel.send(name, params);
  }

  private require(operation: string, states: readonly MediaSessionState[]): void {
    if (!states.includes(this.current)) {
      throw new AppError('ILLEGAL_TRANSITION', `media ${operation} is not possible in state ${this.current} (call ${this.callId})`);
    }
  }

  private transition(to: MediaSessionState): void {
    if (to === this.current) return;
    if (!canTransition(this.current, to)) {
      throw new AppError('ILLEGAL_TRANSITION', `media state ${this.current} → ${to} is not allowed (call ${this.callId})`);
    }
    this.logger?.debug({ from: this.current, to }, 'media state');
    this.current = to;
  }
}

/** The rtpengine RTP and RTCP ports an SDP names for its audio. */
function portsOf(sdp: string): Set<number> {
  const ports = new Set<number>();
  const endpoint = audioEndpoint(sdp);
  if (endpoint && endpoint.port > 0) ports.add(endpoint.port);
  const rtcp = audioRtcpPort(sdp);
  if (rtcp !== null && rtcp > 0) ports.add(rtcp);
  return ports;
}
