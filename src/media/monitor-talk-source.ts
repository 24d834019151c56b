import { flagsToward, offerFlags, sdpToward } from './media-leg';
import type { MonitorForkOptions } from './monitor-fork';
import { isUnknownCall } from './rtpengine-call-sweeper';
import { replySdp, type NgParams, type NgReply } from './rtpengine-ng-client';
import { placeholderOffer, withDirection } from './sdp-text';

/**
 * The supervisor's microphone inside a monitored call (issue 18, whisper and
 * barge): a second "talk" call to the supervisor's device, whose media
 * arrives in rtpengine under its own tag — a source other legs subscribe to
 * (the agent's coach call for whisper, the barge mixer's input). Neither the
 * caller's nor the agent's leg is touched.
 *
 * rtpengine 10.5 has `publish`, but a publish needs the device's offer, and
 * our INVITE must carry ours. So a silent placeholder monologue
 * (`<tag>-sink`, the discard port 9 on loopback) offers **recvonly** to
 * `tag`: the device is asked to send only, and what it sends reaches monologue
 * `tag` (forwarded to the placeholder's discard port, harmless). Then
 * `new MonitorFork(...).request([tag])` subscribes anyone to it.
 */
/**
 * A talk source is a new participant in the monitored call, as a fork is:
 * the same options. Its `tag` is the one others subscribe to.
 */
export type MonitorTalkSourceOptions = MonitorForkOptions;

export type MonitorTalkSourceState = 'new' | 'offered' | 'answered' | 'ended';

export class MonitorTalkSource {
  private current: MonitorTalkSourceState = 'new';

  constructor(private readonly options: MonitorTalkSourceOptions) {}

  get state(): MonitorTalkSourceState {
    return this.current;
  }

  get tag(): string {
    return this.options.tag;
  }

  /** The placeholder monologue's tag: the talk leg's other side in rtpengine. */
  get sinkTag(): string {
    return `${this.options.tag}-sink`;
  }

  /** The SDP for the INVITE to the supervisor's device: recvonly from rtpengine's side, so the device sends only. */
  async offer(): Promise<string> {
    this.require('offer', 'new');
    const reply = await this.send('offer', {
      'from-tag': this.sinkTag, 'to-tag': this.options.tag, sdp: withDirection(placeholderOffer(1), 'recvonly'), ...offerFlags('sip', this.options.kind),
    });
    this.current = 'offered';
    return sdpToward(this.options.kind, replySdp(reply, `call ${this.options.callId}, talk leg ${this.options.tag}`));
  }

  /** The device's answer: from here what it sends arrives at monologue `tag`. */
  async accept(answerSdp: string): Promise<void> {
    this.require('accept', 'offered');
    await this.send('answer', { 'from-tag': this.sinkTag, 'to-tag': this.options.tag, sdp: answerSdp, ...flagsToward('sip') });
    this.current = 'answered';
  }

  /**
   * Releases both monologues of the talk leg: `delete` with the from-tag and
   * no delay, each on its own. rtpengine 10.5 frees that monologue's ports
   * and links and the call goes on (`query` still lists the tag, without
   * ports); with the default delete-delay it would keep them 30 s. End the
   * subscriptions to `tag` (MonitorFork.end) first. Idempotent; a call
   * rtpengine no longer holds has nothing left to release.
   */
  async end(): Promise<void> {
    const was = this.current;
    this.current = 'ended';
    if (was === 'new' || was === 'ended') return;
    for (const tag of [this.options.tag, this.sinkTag]) {
      try {
        await this.send('delete', { 'from-tag': tag, 'delete-delay': 0 });
      } catch (err) {
        if (isUnknownCall(err)) return;
        throw err;
      }
    }
  }

  private require(action: string, state: MonitorTalkSourceState): void {
    if (this.current !== state) throw new Error(`monitor talk source: ${action} while ${this.current}`);
  }

  private async send(name: 'offer' | 'answer' | 'delete', params: NgParams): Promise<NgReply> {
    const started = Date.now();
    const reply = await this.options.ng.command(name, { 'call-id': this.options.callId, ...params });
    this.options.logger?.debug({ command: name, ms: Date.now() - started, tag: this.options.tag }, 'rtpengine command');
    return reply;
  }
}
