import { answerDirection, audioCodec, audioDirection, audioEndpoint, audioRtcpPort, placeholderAnswer, stripSsrcAndMsid } from '../../../src/media/sdp-text';
import { flagsToward, sdpToward } from '../../../src/media/media-leg';

const sdp = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;
const OFFER = sdp(
  'v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0', 'a=msid-semantic: WMS *',
  'm=audio 30000 RTP/AVP 8 0 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16',
  'a=ssrc:1234 cname:abc', 'a=ssrc:1234 msid:s t', 'a=ssrc-group:FID 1 2', 'a=msid:s t', 'a=sendonly', 'a=rtcp:30001',
  'm=video 30002 RTP/AVP 96', 'c=IN IP4 10.0.0.2', 'a=rtpmap:96 VP8/90000',
);

describe('SDP text helpers', () => {
  it('strips a=ssrc, a=ssrc-group, a=msid and a=msid-semantic and nothing else', () => {
    const out = stripSsrcAndMsid(OFFER);
    expect(out).not.toMatch(/ssrc|msid/);
    expect(out.split('\r\n').length).toBe(OFFER.split('\r\n').length - 5);
    expect(out).toMatch(/a=rtpmap:101 telephone-event\/8000\r\na=fmtp:101 0-16\r\na=sendonly\r\n/);
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('reads the audio endpoint, RTCP port and direction', () => {
    expect(audioEndpoint(OFFER)).toEqual({ address: '10.0.0.1', port: 30000 });
    expect(audioEndpoint(sdp('v=0', 'm=audio 5 RTP/AVP 0', 'c=IN IP4 192.0.2.9'))).toEqual({ address: '192.0.2.9', port: 5 });
    expect(audioEndpoint(sdp('v=0', 'c=IN IP4 1.2.3.4', 'm=video 5 RTP/AVP 96'))).toBeNull();
    expect(audioRtcpPort(OFFER)).toBe(30001);
    expect(audioRtcpPort(sdp('c=IN IP4 1.1.1.1', 'm=audio 4000 RTP/AVP 0', 'a=rtcp-mux'))).toBe(4000);
    expect(audioRtcpPort(sdp('c=IN IP4 1.1.1.1', 'm=audio 4000 RTP/AVP 0'))).toBe(4001);
    expect(audioDirection(OFFER)).toBe('sendonly');
    expect(audioDirection(sdp('v=0', 'a=inactive', 'm=audio 1 RTP/AVP 0'))).toBe('inactive');
    expect(audioDirection(sdp('v=0', 'm=audio 1 RTP/AVP 0'))).toBe('sendrecv');
  });

  it('answers directions as RFC 3264 §6.1 says', () => {
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('recvonly')).toBe('sendonly');
    expect(answerDirection('inactive')).toBe('inactive');
    expect(answerDirection('sendrecv')).toBe('sendrecv');
  });

  it('builds a placeholder answer: all audio formats, the answering direction, other streams rejected with port 0', () => {
    const answer = placeholderAnswer(OFFER, 7);
    expect(answer).toBe(sdp(
      'v=0', 'o=- 7 7 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
      'm=audio 9 RTP/AVP 8 0 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=recvonly',
      'm=video 0 RTP/AVP 96',
    ));
  });
});

describe('per-leg flags (design §7)', () => {
  it('toward a browser: DTLS-SRTP over UDP/TLS/RTP/SAVPF, ICE forced, SDES off, rtcp-mux required, mid generated', () => {
    expect(flagsToward('webrtc')).toEqual({
      'transport-protocol': 'UDP/TLS/RTP/SAVPF', ICE: 'force', SDES: ['off'], 'rtcp-mux': ['require'], flags: ['generate mid'],
    });
  });

  it('toward a SIP peer: RTP/AVP, DTLS off, ICE removed, and no a=ssrc/a=msid', () => {
    expect(flagsToward('sip')).toEqual({ 'transport-protocol': 'RTP/AVP', DTLS: 'off', ICE: 'remove' });
    expect(sdpToward('sip', OFFER)).not.toMatch(/a=ssrc|a=msid/);
    expect(sdpToward('webrtc', OFFER)).toBe(OFFER);
  });
});

describe('audioCodec: the codec a party is sent (issue 16, prompts stored in it)', () => {
  const offer = (m: string, extra: string[] = []): string => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', m, ...extra, ''].join('\r\n');
  it('names the first format of the first audio stream, from its rtpmap or the static table', () => {
    expect(audioCodec(offer('m=audio 4000 RTP/AVP 8 101', ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000']))).toBe('PCMA');
    expect(audioCodec(offer('m=audio 4000 RTP/AVP 0 8'))).toBe('PCMU');
    expect(audioCodec(offer('m=audio 4000 UDP/TLS/RTP/SAVPF 111 0', ['a=rtpmap:111 opus/48000/2']))).toBe('OPUS');
    expect(audioCodec(offer('m=video 4000 RTP/AVP 96'))).toBeNull();
    expect(audioCodec(offer('m=audio 4000 RTP/AVP 98'))).toBeNull();
  });
});
