import { mixerSdp } from '../../../src/media/barge-bridge';
import { missingGstreamerPackage, mixerPipeline } from '../../../src/media/conference-mixer';
import { mediaMonitorModes, unsupportedMonitorMode } from '../../../src/media/monitor-capabilities';

const PLAN = {
  inputs: [{ name: 'caller', port: 40001 }, { name: 'agent', port: 40002 }, { name: 'talk', port: 40003 }],
  outputs: [
    { name: 'to_caller', inputs: ['agent', 'talk'], host: '127.0.0.1', port: 30000 },
    { name: 'to_agent', inputs: ['caller', 'talk'], host: '127.0.0.1', port: 30002 },
  ],
};

describe('mixerPipeline', () => {
  const text = mixerPipeline(PLAN).join(' ');

  it('receives each input as PCMA RTP on its own loopback port, through a jitter buffer, into a tee named after it', () => {
    expect(text).toContain(
      'udpsrc address=127.0.0.1 port=40001 reuse=false caps=application/x-rtp,media=audio,clock-rate=8000,encoding-name=PCMA,payload=8 ! ' +
      'rtpjitterbuffer latency=40 ! rtppcmadepay ! alawdec ! audioconvert ! audioresample ! tee name=in_caller',
    );
    expect(text.match(/udpsrc /g)).toHaveLength(3);
  });

  it('mixes for each output only the inputs it lists (mix-minus), with a live silent source so it flows from the start', () => {
    expect(text).toContain('audiomixer name=mix_to_caller latency=40000000 ! audio/x-raw,rate=8000,channels=1 ! alawenc ! '
      + 'rtppcmapay pt=8 min-ptime=20000000 max-ptime=20000000 ! udpsink host=127.0.0.1 port=30000 sync=false async=false');
    expect(text).toContain('audiotestsrc wave=silence is-live=true samplesperbuffer=160 ! audio/x-raw,rate=8000,channels=1 ! mix_to_caller.');
    expect(text).toContain('in_agent. ! queue ! mix_to_caller. in_talk. ! queue ! mix_to_caller.');
    expect(text).not.toContain('in_caller. ! queue ! mix_to_caller.');
    expect(text).toContain('in_caller. ! queue ! mix_to_agent. in_talk. ! queue ! mix_to_agent.');
    expect(text).not.toContain('in_agent. ! queue ! mix_to_agent.');
  });

  it('refuses names gst-launch would misread, repeated names, bad ports and unknown inputs', () => {
    expect(() => mixerPipeline({ inputs: [{ name: 'a b', port: 1 }], outputs: [] })).toThrow(/name/);
    expect(() => mixerPipeline({ inputs: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }], outputs: [] })).toThrow(/unique/);
    expect(() => mixerPipeline({ inputs: [{ name: 'a', port: 0 }], outputs: [] })).toThrow(/port/);
    expect(() => mixerPipeline({ inputs: [{ name: 'a', port: 1 }], outputs: [{ name: 'o', inputs: ['b'], host: '127.0.0.1', port: 2 }] })).toThrow(/unknown inputs: b/);
    expect(() => mixerPipeline({ inputs: [], outputs: [{ name: 'o', inputs: [], host: 'x y', port: 2 }] })).toThrow(/destination/);
  });
});

describe('missingGstreamerPackage', () => {
  it('names the Debian package of an element gst-launch-1.0 could not find', () => {
    expect(missingGstreamerPackage('WARNING: erroneous pipeline: no element "audiomixer"')).toBe('gstreamer1.0-plugins-base');
    expect(missingGstreamerPackage('WARNING: erroneous pipeline: no element "rtpjitterbuffer"')).toBe('gstreamer1.0-plugins-good');
    expect(missingGstreamerPackage('WARNING: erroneous pipeline: no element "odd"')).toContain('"odd"');
    expect(missingGstreamerPackage('Setting pipeline to PLAYING')).toBeNull();
  });
});

describe('mixerSdp', () => {
  it('describes one plain-RTP PCMA stream on loopback in the given direction', () => {
    expect(mixerSdp(40001, 'recvonly', 3)).toBe(
      'v=0\r\no=- 3 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40001 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=ptime:20\r\na=recvonly\r\n',
    );
  });
});

describe('monitor capabilities', () => {
  it('carries listen and whisper with rtpengine 10.5 alone, barge only with the GStreamer mixer', () => {
    expect(mediaMonitorModes(false)).toEqual(['listen', 'whisper']);
    expect(mediaMonitorModes(true)).toEqual(['listen', 'whisper', 'barge']);
    expect(unsupportedMonitorMode('listen')).toBeNull();
    expect(unsupportedMonitorMode('whisper')).toBeNull();
    expect(unsupportedMonitorMode('barge', true)).toBeNull();
    expect(unsupportedMonitorMode('barge', false)).toMatch(/gstreamer1\.0-tools, gstreamer1\.0-plugins-base and gstreamer1\.0-plugins-good/);
  });
});
