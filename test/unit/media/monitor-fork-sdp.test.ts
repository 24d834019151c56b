import { distinctMids } from '../../../src/media/monitor-fork';

describe('distinctMids (a subscription offer a browser accepts)', () => {
  it('renames repeated mids, section by section, and leaves the rest of the SDP alone', () => {
    const offer = ['v=0', 'm=audio 1000 UDP/TLS/RTP/SAVPF 8', 'a=mid:1', 'a=sendonly', 'm=audio 1002 UDP/TLS/RTP/SAVPF 8', 'a=mid:1', 'a=sendonly', ''].join('\r\n');
    expect(distinctMids(offer)).toBe(['v=0', 'm=audio 1000 UDP/TLS/RTP/SAVPF 8', 'a=mid:1', 'a=sendonly', 'm=audio 1002 UDP/TLS/RTP/SAVPF 8', 'a=mid:1-1', 'a=sendonly', ''].join('\r\n'));
  });

  it('keeps distinct mids and SDPs without mids as they are', () => {
    const offer = ['m=audio 1 RTP/AVP 8', 'a=mid:a', 'm=audio 2 RTP/AVP 8', 'a=mid:b', ''].join('\r\n');
    expect(distinctMids(offer)).toBe(offer);
    expect(distinctMids('v=0\r\nm=audio 1 RTP/AVP 8\r\n')).toBe('v=0\r\nm=audio 1 RTP/AVP 8\r\n');
  });
});
