import { replySdp } from '../../../src/media/rtpengine-ng-client';

describe('replySdp: the SDP of an rtpengine ng reply', () => {
  it('reads it as text or as the bytes the bencode decoder left, and names the call when there is none', () => {
    const sdp = 'v=0\r\nm=audio 30000 RTP/AVP 8\r\n';
    expect(replySdp({ result: 'ok', sdp }, 'call c-1')).toBe(sdp);
    expect(replySdp({ result: 'ok', sdp: Buffer.from(sdp) }, 'call c-1')).toBe(sdp);
    expect(() => replySdp({ result: 'ok' }, 'call c-1, subscription coach-1')).toThrow('rtpengine replied without SDP on call c-1, subscription coach-1');
    expect(() => replySdp({ result: 'ok', sdp: '' }, 'call c-1')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
