import { AppError } from '../../../src/errors/app-error';
import { MediaSession, MUSIC_ON_HOLD_REPEATS, PLACEHOLDER_TAG } from '../../../src/media/media-session';
import type { NgCommand, NgCommandSender, NgParams, NgReply } from '../../../src/media/rtpengine-ng-client';
import { MEDIA_SESSION_TRANSITIONS, canTransition } from '../../../src/media/media-session-state';

const sdp = (port: number, extra: string[] = []): string =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 8 101`, 'a=rtpmap:8 PCMA/8000', ...extra, 'a=sendrecv', ''].join('\r\n');

/** Records every command and answers like rtpengine would, with a fresh port per SDP. */
class FakeNg implements NgCommandSender {
  readonly sent: Array<{ name: NgCommand; params: NgParams }> = [];
  private port = 40000;
  failNext: string | null = null;
  async command(name: NgCommand, params: NgParams): Promise<NgReply> {
    this.sent.push({ name, params });
    if (this.failNext) {
      const reason = this.failNext;
      this.failNext = null;
      throw new AppError('INTERNAL', `rtpengine refused ${name}: ${reason}`);
    }
    if (name === 'offer' || name === 'answer') return Promise.resolve({ result: 'ok', sdp: sdp((this.port += 2), ['a=ssrc:9 cname:x']) });
    if (name === 'playMedia') return Promise.resolve({ result: 'ok', duration: 2122 });
    return Promise.resolve({ result: 'ok' });
  }
  names(): string[] {
    return this.sent.map((c) => c.name);
  }
}

function session(ng: FakeNg, kind: 'sip' | 'webrtc' = 'sip'): MediaSession {
  return new MediaSession({ ng, callId: 'call-1', caller: { tag: 'ctag', kind }, clock: () => 1000 });
}

describe('MediaSession command sequences (design §7)', () => {
  it('anchors: offer with the caller SDP and tag, answer with a placeholder and to-tag ivr; the caller gets the answer without a=ssrc', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    const answer = await media.anchorCaller(sdp(5000));
    expect(ng.sent[0]).toEqual({ name: 'offer', params: expect.objectContaining({ 'call-id': 'call-1', 'from-tag': 'ctag', sdp: sdp(5000), 'transport-protocol': 'RTP/AVP', ICE: 'remove', DTLS: 'off' }) });
    expect(ng.sent[0]?.params).not.toHaveProperty('to-tag');
    expect(ng.sent[1]).toEqual({ name: 'answer', params: expect.objectContaining({ 'from-tag': 'ctag', 'to-tag': PLACEHOLDER_TAG, 'transport-protocol': 'RTP/AVP' }) });
    expect(ng.sent[1]?.params.sdp).toMatch(/m=audio 9 RTP\/AVP 8 101/);
    expect(answer).toMatch(/m=audio 40004 /);
    expect(answer).not.toMatch(/a=ssrc/);
    expect(media.state).toBe('anchored');
  });

  it('a delayed offer: the placeholder offers G.711 and events toward the caller, the caller\'s answer (from its ACK) completes the anchoring, and later offers start from the caller', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    const ourOffer = await media.offerToCaller();
    expect(ng.sent[0]).toEqual({ name: 'offer', params: expect.objectContaining({ 'from-tag': PLACEHOLDER_TAG, 'transport-protocol': 'RTP/AVP', ICE: 'remove' }) });
    expect(ng.sent[0]?.params.sdp).toMatch(/m=audio 9 RTP\/AVP 8 0 101\r\na=rtpmap:8 PCMA\/8000\r\na=rtpmap:0 PCMU\/8000\r\na=rtpmap:101 telephone-event\/8000/);
    expect(ourOffer).toMatch(/m=audio 40002 /);
    expect(ourOffer).not.toMatch(/a=ssrc/);
    expect(media.state).toBe('offered-to-caller');
    await expect(media.playPrompt('/p.wav')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await media.anchorCallerAnswer(sdp(6000));
    expect(ng.sent[1]).toEqual({ name: 'answer', params: expect.objectContaining({ 'from-tag': PLACEHOLDER_TAG, 'to-tag': 'ctag', sdp: sdp(6000) }) });
    expect(media.state).toBe('anchored');
    await media.playPrompt('/p.wav');
    expect(ng.sent[2]).toMatchObject({ name: 'playMedia', params: { 'from-tag': 'ctag' } });
    await media.offerToAgent('sip', 'agent-1');
    expect(ng.sent[3]).toMatchObject({ name: 'offer', params: { 'from-tag': 'ctag', 'to-tag': 'agent-1', sdp: sdp(6000) } });
    // The rtpengine port handed to the caller in our offer is on the caller's side of the recording.
    expect(media.recordingLayout.callerPorts).toContain(40002);
  });

  it('answers a WebRTC caller with browser flags on the answer only', async () => {
    const ng = new FakeNg();
    const media = session(ng, 'webrtc');
    const answer = await media.anchorCaller(sdp(5000));
    expect(ng.sent[0]?.params['transport-protocol']).toBe('RTP/AVP');
    expect(ng.sent[1]?.params).toMatchObject({ 'transport-protocol': 'UDP/TLS/RTP/SAVPF', ICE: 'force', SDES: ['off'], 'rtcp-mux': ['require'], flags: ['generate mid'] });
    expect(answer).toMatch(/a=ssrc/); // browsers keep theirs
  });

  it('plays prompts and music to the caller tag, exposes the duration, and stops them', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    await media.anchorCaller(sdp(5000));
    await media.stopPlayback(); // nothing played: rtpengine would refuse stop media
    expect(ng.names()).toEqual(['offer', 'answer']);
    expect(await media.playPrompt('/p/greeting.wav')).toEqual({ durationMs: 2122, startedAt: 1000 });
    expect(ng.sent[2]).toEqual({ name: 'playMedia', params: { 'call-id': 'call-1', 'from-tag': 'ctag', file: '/p/greeting.wav' } });
    await media.startMusicOnHold('/p/moh.wav');
    expect(ng.sent[3]?.params).toMatchObject({ 'from-tag': 'ctag', file: '/p/moh.wav', 'repeat-times': MUSIC_ON_HOLD_REPEATS });
    expect(media.playback).toBe('music');
    await media.stopPlayback();
    expect(ng.sent[4]).toEqual({ name: 'stopMedia', params: { 'call-id': 'call-1', 'from-tag': 'ctag' } });
    expect(media.playback).toBeNull();
  });

  it('plays each prompt from the file chosen for the codec the caller is sent (a copy pre-encoded in it, issue 16)', async () => {
    const ng = new FakeNg();
    const asked: Array<[string, string | null]> = [];
    const media = new MediaSession({
      ng, callId: 'call-1', caller: { tag: 'ctag', kind: 'sip' }, clock: () => 1000,
      promptFile: (file, codec) => {
        asked.push([file, codec]);
        return file.replace(/\.wav$/, `.${String(codec).toLowerCase()}.wav`);
      },
    });
    await media.anchorCaller(sdp(5000));
    await media.playPrompt('/p/greeting.wav');
    await media.startMusicOnHold('/p/moh.wav');
    expect(asked).toEqual([['/p/greeting.wav', 'PCMA'], ['/p/moh.wav', 'PCMA']]);
    expect(ng.sent.filter((c) => c.name === 'playMedia').map((c) => c.params.file)).toEqual(['/p/greeting.pcma.wav', '/p/moh.pcma.wav']);
  });

  it('bridges: fresh offer from the caller toward the agent kind, then answer with to-tag = agent; music stops first', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    await media.anchorCaller(sdp(5000));
    await media.startMusicOnHold('/p/moh.wav');
    const agentSdp = await media.offerToAgent('webrtc', 'agent-7');
    expect(ng.sent[3]).toEqual({ name: 'offer', params: expect.objectContaining({ 'from-tag': 'ctag', sdp: sdp(5000), 'transport-protocol': 'UDP/TLS/RTP/SAVPF', ICE: 'force' }) });
    // The offer names the agent leg, so that rtpengine writes it from that leg's own ports and ICE credentials.
    expect(ng.sent[3]?.params).toHaveProperty('to-tag', 'agent-7');
    expect(agentSdp).toMatch(/a=ssrc/);
    expect(media.state).toBe('offering-agent');
    const bridge = await media.acceptAgentAnswer('agent-7', sdp(6000));
    expect(ng.names().slice(4)).toEqual(['stopMedia', 'answer']);
    expect(ng.sent[5]?.params).toMatchObject({ 'from-tag': 'ctag', 'to-tag': 'agent-7', sdp: sdp(6000), 'transport-protocol': 'RTP/AVP' });
    expect(bridge.callerMediaChanged).toBe(true);
    expect(media.state).toBe('bridged');
    expect(media.agentLeg).toEqual({ tag: 'agent-7', kind: 'webrtc' });
    expect(media.roleOfTag('agent-7')).toBe('agent');
    expect(media.roleOfTag(PLACEHOLDER_TAG)).toBe('agent');
    expect(media.roleOfTag('ctag')).toBe('caller');
    expect(media.roleOfTag('x')).toBeNull();
  });

  it('blocks the agent (and the placeholder socket) while music plays to a bridged caller, and unblocks after', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    await media.anchorCaller(sdp(5000));
    await media.offerToAgent('sip', 'a1');
    await media.acceptAgentAnswer('a1', sdp(6000));
    await media.startMusicOnHold('/p/moh.wav');
    expect(ng.sent.slice(-2).map((c) => [c.name, c.params['from-tag']])).toEqual([['blockMedia', 'a1'], ['blockMedia', PLACEHOLDER_TAG]]);
    await media.stopPlayback();
    expect(ng.sent.slice(-3).map((c) => [c.name, c.params['from-tag']])).toEqual([['stopMedia', 'ctag'], ['unblockMedia', 'a1'], ['unblockMedia', PLACEHOLDER_TAG]]);
  });

  it('re-offers: from the caller during the IVR the placeholder answers at once; when bridged, offer and answer go between the legs', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    await media.anchorCaller(sdp(5000));
    const local = await media.reoffer('caller', sdp(5002));
    expect(local.kind).toBe('answered');
    expect(ng.sent.slice(2).map((c) => [c.name, c.params['from-tag'], c.params['to-tag']])).toEqual([['offer', 'ctag', PLACEHOLDER_TAG], ['answer', 'ctag', PLACEHOLDER_TAG]]);
    await media.offerToAgent('sip', 'a1');
    await media.acceptAgentAnswer('a1', sdp(6000));
    const fromAgent = await media.reoffer('agent', sdp(6002));
    expect(fromAgent).toMatchObject({ kind: 'forward', to: 'caller' });
    expect(ng.sent.at(-1)?.params).toMatchObject({ 'from-tag': 'a1', 'to-tag': 'ctag' });
    // Glare: the phone is told to try again (491 at the SIP edge).
    await expect(media.reoffer('caller', sdp(5004))).rejects.toMatchObject({ code: 'REQUEST_PENDING' });
    await media.completeReoffer(sdp(5006));
    expect(ng.sent.at(-1)).toEqual({ name: 'answer', params: expect.objectContaining({ 'from-tag': 'a1', 'to-tag': 'ctag', sdp: sdp(5006) }) });
    await expect(media.completeReoffer(sdp(1))).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    // The next bridge (a transfer) offers with the caller's latest SDP: its answer to the agent's re-INVITE.
    await media.offerToAgent('sip', 'agent-unanswered');
    expect(ng.sent.at(-1)?.params.sdp).toBe(sdp(5006));
  });

  it('refuses out-of-order calls with ILLEGAL_TRANSITION and sends nothing', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    await expect(media.playPrompt('/p.wav')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await expect(media.offerToAgent('sip', 'a')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await expect(media.acceptAgentAnswer('a', sdp(1))).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(() => media.releaseAgent()).toThrow(AppError);
    expect(ng.sent).toHaveLength(0);
    await media.delete();
    expect(ng.sent).toHaveLength(0); // nothing was ever created in rtpengine
    await expect(media.anchorCaller(sdp(1))).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('deletes once, even after a failed command, and refuses reserved tags', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    ng.failNext = 'Unknown call-id';
    await expect(media.anchorCaller(sdp(5000))).rejects.toThrow(/refused offer/);
    await media.delete();
    await media.delete();
    expect(ng.names()).toEqual(['offer', 'delete']);
    expect(ng.sent[1]?.params).toEqual({ 'call-id': 'call-1', 'delete-delay': 0 });
    expect(media.state).toBe('deleted');
    expect(() => new MediaSession({ ng, callId: 'x', caller: { tag: PLACEHOLDER_TAG, kind: 'sip' } })).toThrow(/may not be/);
    const other = session(new FakeNg());
    await other.anchorCaller(sdp(1));
    await expect(other.offerToAgent('sip', PLACEHOLDER_TAG)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await other.offerToAgent('sip', 'agent-1');
    // The answer must name the leg the offer went to.
    await expect(other.acceptAgentAnswer('agent-2', sdp(2))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('records between start and delete, and saves only after delete', async () => {
    const ng = new FakeNg();
    const media = session(ng);
    await media.anchorCaller(sdp(5000));
    await media.startRecording();
    await media.startRecording();
    expect(ng.names().filter((n) => n === 'startRecording')).toHaveLength(1);
    expect(media.isRecording).toBe(true);
    await expect(media.saveRecording('/tmp/x.wav')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await media.delete();
    expect(media.isRecording).toBe(false);
    await expect(media.saveRecording('/tmp/x.wav')).rejects.toThrow(/recordingDir/);
  });
});

describe('media session state table', () => {
  it('lets every state but deleted reach deleted, and nothing leave deleted', () => {
    for (const state of Object.keys(MEDIA_SESSION_TRANSITIONS) as Array<keyof typeof MEDIA_SESSION_TRANSITIONS>) {
      expect(canTransition(state, 'deleted')).toBe(state !== 'deleted');
    }
    expect(MEDIA_SESSION_TRANSITIONS.deleted).toEqual([]);
    expect(canTransition('new', 'bridged')).toBe(false);
  });
});
