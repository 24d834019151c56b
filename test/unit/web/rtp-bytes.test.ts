import { audioBytesOf } from '../../../src/web/softphone/rtp-bytes';

describe('audioBytesOf (a side call\'s audio bytes from getStats)', () => {
  it('adds the audio streams of each direction and leaves out video and other entries', () => {
    expect(audioBytesOf([
      { type: 'inbound-rtp', kind: 'audio', bytesReceived: 1000 },
      { type: 'inbound-rtp', kind: 'audio', bytesReceived: 500 },
      { type: 'outbound-rtp', kind: 'audio', bytesSent: 300 },
      { type: 'inbound-rtp', kind: 'video', bytesReceived: 9999 },
      { type: 'transport', bytesReceived: 7777, bytesSent: 7777 },
      { type: 'outbound-rtp', mediaType: 'audio', bytesSent: 20 },
    ])).toEqual({ inboundBytes: 1500, outboundBytes: 320 });
  });

  it('is zero both ways before any packet', () => {
    expect(audioBytesOf([{ type: 'outbound-rtp', kind: 'audio' }])).toEqual({ inboundBytes: 0, outboundBytes: 0 });
  });
});
