import type { Logger } from '../logger';
import { flagsToward, sdpToward, type LegKind } from './media-leg';
import { isUnknownCall } from './rtpengine-call-sweeper';
import { replySdp, type NgCommandSender, type NgParams, type NgReply } from './rtpengine-ng-client';

/**
 * A copy of a live call's audio for a supervisor (issue 18), through
 * rtpengine's media forking (`subscribe request` / `subscribe answer` /
 * `unsubscribe`, rtpengine ≥ 10). The call's own legs are not touched: no
 * offer, answer or re-INVITE reaches the caller or the agent, so neither is
 * told.
 *
 * rtpengine 10.5 does not mix (docs/call-monitoring.md): a subscription to
 * the caller's and the agent's tags is offered as one sendonly m= section per
 * party, and the supervisor's device plays both streams.
 */
export interface MonitorForkOptions {
  ng: NgCommandSender;
  /** The monitored call's rtpengine call-id. */
  callId: string;
  /** The subscription's own tag in rtpengine (a new call participant); unique in the call. */
  tag: string;
  /** What the supervisor's device is: a browser (DTLS-SRTP, ICE) or a SIP phone (plain RTP). */
  kind: LegKind;
  logger?: Logger;
}

/** The lifecycle of one fork: requested → answered → ended (or requested → ended). */
export type MonitorForkState = 'new' | 'requested' | 'answered' | 'ended';

export class MonitorFork {
  private current: MonitorForkState = 'new';

  constructor(private readonly options: MonitorForkOptions) {}

  get state(): MonitorForkState {
    return this.current;
  }

  get tag(): string {
    return this.options.tag;
  }

  /**
   * `subscribe request` for the media rtpengine receives from each of
   * `sourceTags` (the caller's tag, the agent's tag): the reply's SDP is a
   * sendonly offer for the supervisor's device, one m= section per source,
   * in the order given.
   */
  async request(sourceTags: readonly string[]): Promise<string> {
    this.require('request', 'new');
    const reply = await this.send('subscribeRequest', {
      'from-tags': [...sourceTags], 'to-tag': this.options.tag, ...flagsToward(this.options.kind),
      ...(this.options.kind === 'webrtc' ? { 'ICE-lite': 'forward' } : {}),
    });
    this.current = 'requested';
    return sdpToward(this.options.kind, distinctMids(replySdp(reply, `call ${this.options.callId}, subscription ${this.options.tag}`)));
  }

  /**
   * `subscribe answer` with the device's answer: media flows to it from here.
   * `allow transcoding` lets a device that accepted only some of the offered
   * codecs (a desk phone that has no Opus) get the copy transcoded.
   */
  async accept(answerSdp: string): Promise<void> {
    this.require('accept', 'requested');
    await this.send('subscribeAnswer', { 'to-tag': this.options.tag, sdp: answerSdp, flags: ['allow transcoding'] });
    this.current = 'answered';
  }

  /**
   * `unsubscribe`: rtpengine stops sending the copy. Idempotent; a call
   * rtpengine no longer holds (the monitored call ended and was deleted) has
   * nothing left to stop.
   */
  async end(): Promise<void> {
    const was = this.current;
    this.current = 'ended';
    if (was !== 'answered') return;
    try {
      await this.send('unsubscribe', { 'to-tag': this.options.tag });
    } catch (err) {
      if (isUnknownCall(err)) return;
      throw err;
    }
  }

  private require(action: string, state: MonitorForkState): void {
    if (this.current !== state) throw new Error(`monitor fork: ${action} while ${this.current}`);
  }

  private async send(name: 'subscribeRequest' | 'subscribeAnswer' | 'unsubscribe', params: NgParams): Promise<NgReply> {
    const started = Date.now();
    const reply = await this.options.ng.command(name, { 'call-id': this.options.callId, ...params });
    this.options.logger?.debug({ command: name, ms: Date.now() - started, tag: this.options.tag }, 'rtpengine command');
    return reply;
  }
}

/**
 * rtpengine 10.5 writes each section of a multi-party subscription offer with
 * its source's own mid — `a=mid:1` in every one (each party's first media) —
 * and browsers refuse an SDP whose mids repeat ("Duplicate a=mid value",
 * RFC 8843 §7.2). Each section after the first gets a mid of its own;
 * rtpengine pairs the answer's sections with its offer's by position. Pure.
 */
export function distinctMids(sdp: string): string {
  const seen = new Set<string>();
  let section = -1;
  return sdp.split(/\r\n/).map((line) => {
    if (line.startsWith('m=')) section++;
    const mid = /^a=mid:(.*)$/.exec(line)?.[1];
    if (mid === undefined) return line;
    let unique = mid;
    for (let n = section; seen.has(unique); n++) unique = `${mid}-${n}`;
    seen.add(unique);
    return `a=mid:${unique}`;
  }).join('\r\n');
}

/**
 * The site's "you are being monitored" tone (policy announce = tone): `play
 * media` of `file` toward each of `tags` (from-tag = the party who hears it,
 * as for prompts). rtpengine 10.5 forwards the other party again once the
 * file has played.
 */
export async function playToParties(ng: NgCommandSender, callId: string, tags: readonly string[], file: string): Promise<void> {
  await Promise.all(tags.map((tag) => ng.command('playMedia', { 'call-id': callId, 'from-tag': tag, file })));
}
