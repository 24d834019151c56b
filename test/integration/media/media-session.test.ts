import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import { MediaSession } from '../../../src/media/media-session';
import { DtmfListener } from '../../../src/media/dtmf-listener';
import type { DtmfEvent } from '../../../src/media/dtmf-event';
import { findCallCaptures } from '../../../src/media/call-recording';
import { parseWav } from '../../../src/media/wav-file';
import { defaultPromptsDir } from '../../../src/media/prompt-audio';
import type { RunningService } from '../../../src/platform/managed-process';
import { startTestRtpengine } from '../../helpers/test-env';
import { wav } from '../../helpers/wav-builder';
import { RtpTestEndpoint, mediaPort, sleep } from './rtp-test-endpoint';

const CALLER_SSRC = 0x11111111;
const AGENT_SSRC = 0x22222222;
const PROMPT = path.join(defaultPromptsDir(), 'en', 'goodbye.wav');

describe('media session (real rtpengine, plain RTP endpoints)', () => {
  let rtpengine: RunningService & { ngPort: number; recordingDir: string };
  let ng: RtpengineNgClient;
  let dtmf: DtmfListener;
  let scratch: string;

  beforeAll(async () => {
    dtmf = await DtmfListener.start({ port: 0 });
    rtpengine = await startTestRtpengine({ dtmfLogPort: dtmf.port });
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 3000 });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'switchboard-media-'));
  });
  afterAll(async () => {
    // Every session deleted its call: rtpengine holds none (delete-delay 0 makes that immediate).
    const listed = await ng.command('list', {});
    expect(listed.calls).toEqual([]);
    ng.close();
    try {
      await rtpengine.stop();
    } finally {
      await dtmf.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  /** A session for a plain SIP caller, with its endpoint; both released by the test's finally. */
  async function callerCall(): Promise<{ session: MediaSession; caller: RtpTestEndpoint; callId: string }> {
    const callId = `it-${randomBytes(6).toString('hex')}@switchboard.test`;
    const caller = await RtpTestEndpoint.open(CALLER_SSRC);
    const session = new MediaSession({ ng, callId, caller: { tag: `c-${randomBytes(3).toString('hex')}`, kind: 'sip' }, recordingDir: rtpengine.recordingDir });
    return { session, caller, callId };
  }

  it('anchors the caller and plays a prompt whose packets last about the returned duration', async () => {
    const { session, caller } = await callerCall();
    try {
      const answer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      expect(answer).toMatch(/m=audio \d+ RTP\/AVP 8/);
      expect(answer).not.toMatch(/a=ice-|a=fingerprint|a=crypto/);
      const expectedMs = parseWav(readFileSync(PROMPT)).durationMs;

      const playback = await session.playPrompt(PROMPT);
      expect(playback.durationMs).not.toBeNull();
      expect(Math.abs((playback.durationMs ?? 0) - expectedMs)).toBeLessThan(50);

      await sleep((playback.durationMs ?? 0) + 600);
      const packets = caller.receivedSince(playback.startedAt - 50).filter((p) => p.rtp?.payloadType === 8);
      const first = packets[0];
      const last = packets[packets.length - 1];
      expect(first && last).toBeTruthy();
      const spanMs = (last?.at ?? 0) - (first?.at ?? 0);
      // 20 ms packets for the whole prompt, and nothing after it.
      expect(spanMs).toBeGreaterThan(expectedMs * 0.85);
      expect(spanMs).toBeLessThan(expectedMs * 1.15);
      expect(packets.length).toBeGreaterThan((expectedMs / 20) * 0.85);
      expect(packets.length).toBeLessThan((expectedMs / 20) * 1.15);
    } finally {
      await session.delete();
      await caller.close();
    }
  });

  it('stops a prompt on barge-in: no packets after stopPlayback', async () => {
    const { session, caller } = await callerCall();
    try {
      await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      await session.stopPlayback(); // nothing played yet: a no-op, not an rtpengine error
      const playback = await session.playPrompt(PROMPT);
      await sleep(400);
      expect(caller.receivedSince(playback.startedAt).length).toBeGreaterThan(10);
      await session.stopPlayback();
      await sleep(100); // packets already in flight
      const after = Date.now();
      await sleep(500);
      expect(caller.receivedSince(after)).toHaveLength(0);
    } finally {
      await session.delete();
      await caller.close();
    }
  });

  it('loops music on hold past the end of the file until stopped', async () => {
    const { session, caller } = await callerCall();
    const file = path.join(scratch, 'moh-300ms.wav');
    writeFileSync(file, wav({ frames: 2400 }));
    try {
      await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      const playback = await session.startMusicOnHold(file);
      expect(playback.durationMs).toBe(300);
      await sleep(1500);
      // Five plays of the file by now, and still playing.
      const during = caller.receivedSince(playback.startedAt);
      expect(during.length).toBeGreaterThan(60);
      expect(caller.receivedSince(Date.now() - 200).length).toBeGreaterThan(5);
      await session.stopPlayback();
      await sleep(100);
      const after = Date.now();
      await sleep(400);
      expect(caller.receivedSince(after)).toHaveLength(0);
    } finally {
      await session.delete();
      await caller.close();
    }
  });

  it('delivers RFC 4733 digits from the caller to the DTMF listener, once each, and folds a SIP INFO duplicate', async () => {
    const { session, caller, callId } = await callerCall();
    const events: DtmfEvent[] = [];
    const unsubscribe = dtmf.subscribe(callId, (event) => events.push(event));
    try {
      const answer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      const port = mediaPort(answer);
      for (const digit of ['1', '5', '#', '5'] as const) {
        await caller.sendDigit(port, digit);
        await sleep(120);
      }
      const deadline = Date.now() + 2000;
      while (events.length < 4 && Date.now() < deadline) await sleep(20);
      await sleep(200); // a late duplicate would show up now
      expect(events.map((e) => e.digit)).toEqual(['1', '5', '#', '5']);
      expect(events.every((e) => e.source === 'rfc4733' && e.callId === callId)).toBe(true);
      expect(session.roleOfTag(events[0]?.sourceTag ?? '')).toBe('caller');
      expect(events[0]?.durationMs).toBe(100);

      // The same press reported over SIP INFO right after the RTP report is one press.
      await caller.sendDigit(port, '9');
      const deadline9 = Date.now() + 2000;
      while (events.length < 5 && Date.now() < deadline9) await sleep(10);
      const outcome = dtmf.acceptSipInfo(callId, session.caller.tag, 'application/dtmf-relay', 'Signal=9\r\nDuration=100\r\n');
      expect(outcome.result).toBe('duplicate');
      expect(events.map((e) => e.digit)).toEqual(['1', '5', '#', '5', '9']);
    } finally {
      unsubscribe();
      await session.delete();
      await caller.close();
    }
    expect(dtmf.subscriptions).toBe(0);
  });

  it('bridges the caller to an agent both ways, with counters for both legs; hold passes through and music replaces the agent', async () => {
    const { session, caller } = await callerCall();
    const agent = await RtpTestEndpoint.open(AGENT_SSRC);
    try {
      const callerAnswer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      const agentOffer = await session.offerToAgent('sip', 'agent-1');
      expect(agentOffer).toMatch(/RTP\/AVP/);
      const bridge = await session.acceptAgentAnswer('agent-1', agent.sdp({ sessionId: 2, extra: ['a=ssrc:42 cname:x', 'a=msid:s t'] }));
      // SSRC/msid lines of the agent never reach a SIP caller.
      expect(bridge.callerSdp).not.toMatch(/a=ssrc|a=msid/);
      const toRtpengineFromCaller = mediaPort(callerAnswer);
      const toRtpengineFromAgent = mediaPort(agentOffer);

      const start = Date.now();
      await Promise.all([caller.sendAudio(toRtpengineFromCaller, 50, 0x55), agent.sendAudio(toRtpengineFromAgent, 50, 0x2a)]);
      await sleep(200);
      expect(agent.receivedSince(start, CALLER_SSRC).length).toBeGreaterThanOrEqual(45);
      expect(caller.receivedSince(start, AGENT_SSRC).length).toBeGreaterThanOrEqual(45);
      const counters = await session.counters();
      expect(counters.caller.rtp.packets).toBeGreaterThanOrEqual(50);
      expect(counters.agent?.rtp.packets).toBeGreaterThanOrEqual(50);
      expect(counters.caller.rtp.bytes).toBe(counters.caller.rtp.packets * 172);

      // The agent holds (sendonly); the caller answers recvonly (RFC 3264 §8.4).
      const hold = await session.reoffer('agent', agent.sdp({ sessionId: 2, version: 2, direction: 'sendonly' }));
      expect(hold).toMatchObject({ kind: 'forward', to: 'caller' });
      expect(hold.sdp).toMatch(/a=sendonly/);
      const agentAnswer = await session.completeReoffer(caller.sdp({ sessionId: 1, version: 2, direction: 'recvonly' }));
      expect(agentAnswer).toMatch(/a=recvonly/);

      // Music on hold: the caller hears the music, not the agent's microphone.
      await session.startMusicOnHold(PROMPT);
      await sleep(100);
      const holdStart = Date.now();
      await agent.sendAudio(mediaPort(agentAnswer), 25, 0x2a);
      await sleep(100);
      expect(caller.receivedSince(holdStart, AGENT_SSRC)).toHaveLength(0);
      expect(caller.receivedSince(holdStart).length).toBeGreaterThan(15);

      // Resume: music off, the agent is heard again.
      await session.stopPlayback();
      const resume = await session.reoffer('agent', agent.sdp({ sessionId: 2, version: 3 }));
      expect(resume.sdp).toMatch(/a=sendrecv/);
      const resumed = await session.completeReoffer(caller.sdp({ sessionId: 1, version: 3 }));
      const resumeStart = Date.now();
      await agent.sendAudio(mediaPort(resumed), 25, 0x2a);
      await sleep(100);
      expect(caller.receivedSince(resumeStart, AGENT_SSRC).length).toBeGreaterThanOrEqual(20);

      // The caller puts the agent on hold in turn.
      const callerHold = await session.reoffer('caller', caller.sdp({ sessionId: 1, version: 4, direction: 'inactive' }));
      expect(callerHold).toMatchObject({ kind: 'forward', to: 'agent' });
      expect(callerHold.sdp).toMatch(/a=inactive/);
      expect(await session.completeReoffer(agent.sdp({ sessionId: 2, version: 4, direction: 'inactive' }))).toMatch(/a=inactive/);
    } finally {
      await session.delete();
      await Promise.all([caller.close(), agent.close()]);
    }
  });

  it('writes SDP for a WebRTC agent leg (DTLS-SRTP, ICE, rtcp-mux, mid) and none of it toward the SIP caller', async () => {
    const { session, caller } = await callerCall();
    try {
      const answer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      const offer = await session.offerToAgent('webrtc', 'agent-unanswered');
      expect(offer).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF /);
      expect(offer).toMatch(/a=fingerprint:/);
      expect(offer).toMatch(/a=ice-ufrag:/);
      expect(offer).toMatch(/a=candidate:/);
      expect(offer).toMatch(/a=rtcp-mux/);
      expect(offer).toMatch(/a=mid:/);
      expect(offer).not.toMatch(/a=crypto:/);
      expect(answer).not.toMatch(/a=fingerprint|a=ice-|a=candidate/);
      session.cancelAgentOffer();
      expect(session.state).toBe('anchored');
    } finally {
      await session.delete();
      await caller.close();
    }
  });

  it('a browser agent is checked (ICE) from the very port its offer advertised, after the IVR placeholder leg', async () => {
    const { session, caller, callId } = await callerCall();
    try {
      await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      const offer = await session.offerToAgent('webrtc', 'agent-browser');
      const advertised = Number(/^m=audio (\d+) /m.exec(offer)?.[1]);
      expect(/a=candidate:\S+ 1 UDP \d+ \S+ (\d+) typ host/i.exec(offer)?.[1]).toBe(String(advertised));
      const browserAnswer = [
        'v=0', 'o=- 3 3 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 8 101', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0',
        'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
        'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
        'a=setup:active', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000',
        'a=candidate:1 1 udp 2122260223 127.0.0.1 9 typ host', '',
      ].join('\r\n');
      await session.acceptAgentAnswer('agent-browser', browserAnswer);
      // Before the fix rtpengine wrote the offer from the placeholder leg's port and opened another one for the agent.
      const reply = await ng.command('query', { 'call-id': callId });
      const agentMonologue = (reply.tags as Record<string, { medias: Array<{ streams: Array<{ 'local port': number }> }> }>)['agent-browser'];
      expect(agentMonologue?.medias[0]?.streams[0]?.['local port']).toBe(advertised);
    } finally {
      await session.delete();
      await caller.close();
    }
  });

  it('a browser holds with a sendonly re-offer: the answer it gets keeps rtcp-mux, its port and its ICE credentials (Chrome refuses anything else and ends the call)', async () => {
    const { session, caller } = await callerCall();
    try {
      await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      const offer = await session.offerToAgent('webrtc', 'agent-holding');
      const advertised = /^m=audio (\d+) /m.exec(offer)?.[1];
      const ufrag = /^a=ice-ufrag:(\S+)/m.exec(offer)?.[1];
      expect(advertised).toBeDefined();
      expect(ufrag).toBeDefined();
      const browserSdp = (version: number, setup: string, direction: string): string => [
        'v=0', `o=- 7 ${version} IN IP4 127.0.0.1`, 's=-', 't=0 0', 'a=group:BUNDLE 1',
        'm=audio 52046 UDP/TLS/RTP/SAVPF 8 101', 'c=IN IP4 127.0.0.1', 'a=rtcp:9 IN IP4 0.0.0.0',
        'a=candidate:1 1 udp 2122260223 127.0.0.1 52046 typ host',
        'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
        'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
        `a=setup:${setup}`, 'a=mid:1', `a=${direction}`, 'a=rtcp-mux', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', '',
      ].join('\r\n');
      await session.acceptAgentAnswer('agent-holding', browserSdp(2, 'active', 'sendrecv'));

      // Chrome's hold: a new offer, sendonly, setup:actpass, same ICE credentials, rtcp-mux.
      const forwarded = await session.reoffer('agent', browserSdp(3, 'actpass', 'sendonly'));
      expect(forwarded).toMatchObject({ kind: 'forward', to: 'caller' });
      const towardCaller = forwarded.sdp;
      // The SIP caller is offered plain RTP (no mux, ICE or DTLS) with the hold's direction; it answers recvonly.
      expect(towardCaller).toMatch(/m=audio \d+ RTP\/AVP /);
      expect(towardCaller).not.toMatch(/a=rtcp-mux|a=ice-|a=fingerprint|a=candidate/);
      expect(towardCaller).toMatch(/^a=sendonly/m);

      const towardBrowser = await session.completeReoffer(caller.sdp({ sessionId: 1, version: 2, direction: 'recvonly' }));
      expect(towardBrowser).toMatch(/^a=rtcp-mux/m);
      expect(/^m=audio (\d+) UDP\/TLS\/RTP\/SAVPF /m.exec(towardBrowser)?.[1]).toBe(advertised);
      expect(/^a=ice-ufrag:(\S+)/m.exec(towardBrowser)?.[1]).toBe(ufrag);
      expect(towardBrowser).toMatch(/^a=recvonly/m);
    } finally {
      await session.delete();
      await caller.close();
    }
  });

  it('records ~2 s of two-way audio into a stereo WAV of that length, caller left and agent right', async () => {
    const { session, caller, callId } = await callerCall();
    const agent = await RtpTestEndpoint.open(AGENT_SSRC);
    const output = path.join(scratch, 'recordings', `${randomBytes(4).toString('hex')}.wav`);
    let sentMs = 0;
    try {
      const callerAnswer = await session.anchorCaller(caller.sdp({ sessionId: 1 }));
      const agentOffer = await session.offerToAgent('sip', 'agent-1');
      await session.acceptAgentAnswer('agent-1', agent.sdp({ sessionId: 2 }));
      await session.startRecording();
      const started = Date.now();
      // Caller talks for 2 s (A-law 0xaa = +32256); the agent joins after 0.6 s (0x2a = -32256).
      await Promise.all([
        caller.sendAudio(mediaPort(callerAnswer), 100, 0xaa),
        sleep(600).then(() => agent.sendAudio(mediaPort(agentOffer), 70, 0x2a)),
      ]);
      sentMs = Date.now() - started;
      // No stopRecording: deleting the call ends the recording and closes the capture.
    } finally {
      await session.delete();
      await Promise.all([caller.close(), agent.close()]);
    }
    expect(await findCallCaptures(rtpengine.recordingDir, callId)).toHaveLength(1);
    const file = await session.saveRecording(output);
    expect(file.path).toBe(output);
    const bytes = readFileSync(output);
    expect(file.sizeBytes).toBe(bytes.length);
    const info = parseWav(bytes);
    expect(info).toMatchObject({ format: 'pcm', channels: 2, sampleRate: 8000, bitsPerSample: 16 });
    expect(info.durationMs).toBe(file.durationMs);
    // As long as the audio that was sent (±10 %), which is at least the 2 s of 100 packets.
    expect(sentMs).toBeGreaterThanOrEqual(2000);
    expect(Math.abs(file.durationMs - sentMs)).toBeLessThan(sentMs * 0.1);

    const frames = info.dataBytes / 4;
    const sample = (frame: number, channel: 0 | 1): number => bytes.readInt16LE(info.dataOffset + frame * 4 + channel * 2);
    const meanAbs = (channel: 0 | 1, fromMs: number, toMs: number): number => {
      let sum = 0;
      const from = Math.floor((fromMs * 8000) / 1000);
      const to = Math.min(frames, Math.floor((toMs * 8000) / 1000));
      for (let i = from; i < to; i++) sum += Math.abs(sample(i, channel));
      return sum / Math.max(1, to - from);
    };
    // Left: the caller all along; right: silence until the agent joined, then the agent.
    expect(meanAbs(0, 100, 1800)).toBeGreaterThan(30000);
    expect(meanAbs(1, 0, 400)).toBe(0);
    expect(meanAbs(1, 900, 1800)).toBeGreaterThan(30000);
    expect(sample(Math.floor(frames / 2), 0)).toBe(32256);
    expect(sample(Math.floor(frames / 2), 1)).toBe(-32256);
  });
});
