import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../src/errors/app-error';
import { streamPortsOf } from '../../../src/media/leg-counters';
import { MediaSession } from '../../../src/media/media-session';
import type { NgCommand, NgCommandSender, NgParams, NgReply } from '../../../src/media/rtpengine-ng-client';
import { parseWav } from '../../../src/media/wav-file';

/**
 * The recording layout learns the sockets rtpengine reports for each leg, not
 * only the ports the SDPs named: rtpengine 10.5 gives a bridged agent its own
 * sockets, which no SDP names, and an agent doing symmetric RTP (sipp
 * -rtp_echo, NAT'd phones) sends to them.
 */

const CALLER_TAG = 'ctag';
const AGENT_TAG = 'agent-1';
/** The agent monologue's sockets: in no SDP the fake hands out. */
const AGENT_SOCKET = 49952;

const sdp = (port: number): string =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', `a=rtcp:${port + 1}`, ''].join('\r\n');

const stream = (localPort: number, flag: 'RTP' | 'RTCP', packets: number): Record<string, unknown> => ({
  'local port': localPort, endpoint: { family: 'IPv4', address: '127.0.0.1', port: 40000 }, flags: [flag, 'filled'], stats: { packets, bytes: packets * 172, errors: 0 },
});

/** A `query` reply shaped like rtpengine 10.5's after the bridge of design §7 (taken from a real call). */
const QUERY_REPLY: NgReply = {
  result: 'ok',
  created: 1795445416,
  tags: {
    [CALLER_TAG]: { tag: CALLER_TAG, medias: [{ index: 1, type: 'audio', streams: [stream(49940, 'RTP', 177), stream(49941, 'RTCP', 0)] }] },
    ivr: { tag: 'ivr', medias: [{ index: 1, type: 'audio', streams: [stream(49900, 'RTP', 0), stream(49901, 'RTCP', 0)] }] },
    [AGENT_TAG]: { tag: AGENT_TAG, medias: [{ index: 1, type: 'audio', streams: [stream(AGENT_SOCKET, 'RTP', 250), stream(AGENT_SOCKET + 1, 'RTCP', 0)] }] },
  },
  totals: {},
};

/** Answers offers and answers with ports 49900, 49918, … ; `query` as above; `delete` with `result` only, as 10.5 does. */
class FakeNg implements NgCommandSender {
  readonly sent: Array<{ name: NgCommand; params: NgParams }> = [];
  private readonly ports = [49900, 49918, 49900, 49940];
  failQuery = false;
  async command(name: NgCommand, params: NgParams): Promise<NgReply> {
    this.sent.push({ name, params });
    if (name === 'offer' || name === 'answer') return Promise.resolve({ result: 'ok', sdp: sdp(this.ports.shift() ?? 50000) });
    if (name === 'query') {
      if (this.failQuery) throw new AppError('INTERNAL', 'rtpengine timed out');
      return Promise.resolve(QUERY_REPLY);
    }
    return Promise.resolve({ result: 'ok' });
  }
  names(): string[] {
    return this.sent.map((c) => c.name);
  }
}

/** One LINKTYPE_RAW pcap record: IPv4 + UDP from 127.0.0.1:sourcePort to 127.0.0.1:destinationPort with a PCMA RTP packet. */
function record(timestampUs: number, sourcePort: number, destinationPort: number, ssrc: number, rtpTimestamp: number, fill: number): Buffer {
  const rtp = Buffer.alloc(12 + 160, fill);
  rtp[0] = 0x80;
  rtp[1] = 8;
  rtp.writeUInt16BE(rtpTimestamp / 160, 2);
  rtp.writeUInt32BE(rtpTimestamp, 4);
  rtp.writeUInt32BE(ssrc, 8);
  const ip = Buffer.alloc(20 + 8);
  ip[0] = 0x45;
  ip.writeUInt16BE(ip.length + rtp.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from([127, 0, 0, 1, 127, 0, 0, 1]).copy(ip, 12);
  ip.writeUInt16BE(sourcePort, 20);
  ip.writeUInt16BE(destinationPort, 22);
  ip.writeUInt16BE(8 + rtp.length, 24);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(Math.floor(timestampUs / 1_000_000), 0);
  header.writeUInt32LE(timestampUs % 1_000_000, 4);
  header.writeUInt32LE(ip.length + rtp.length, 8);
  header.writeUInt32LE(ip.length + rtp.length, 12);
  return Buffer.concat([header, ip, rtp]);
}

function pcap(records: Buffer[]): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(101, 20);
  return Buffer.concat([global, ...records]);
}

describe('streamPortsOf', () => {
  it('lists the local ports of every stream under a tag, RTP and RTCP', () => {
    expect(streamPortsOf(QUERY_REPLY, AGENT_TAG)).toEqual(new Set([AGENT_SOCKET, AGENT_SOCKET + 1]));
    expect(streamPortsOf(QUERY_REPLY, CALLER_TAG)).toEqual(new Set([49940, 49941]));
  });

  it('gives nothing for an unknown tag or a reply without streams (a delete reply)', () => {
    expect(streamPortsOf(QUERY_REPLY, 'nobody')).toEqual(new Set());
    expect(streamPortsOf({ result: 'ok' }, CALLER_TAG)).toEqual(new Set());
    expect(streamPortsOf({ result: 'ok', tags: { [CALLER_TAG]: { medias: [{ streams: [{ 'local port': 'x' }, null] }] } } }, CALLER_TAG)).toEqual(new Set());
  });
});

describe('MediaSession recording layout', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-layout-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function recordedCall(ng: FakeNg, now: { ms: number }): Promise<MediaSession> {
    const media = new MediaSession({ ng, callId: 'call-1', caller: { tag: CALLER_TAG, kind: 'sip' }, recordingDir: dir, clock: () => now.ms });
    await media.anchorCaller(sdp(40868));
    await media.offerToAgent('sip', AGENT_TAG);
    await media.acceptAgentAnswer(AGENT_TAG, sdp(46194));
    await media.startRecording();
    now.ms += 1000;
    return media;
  }

  it('queries rtpengine before deleting a recorded call, and puts packets to the agent\'s unadvertised socket on the right channel', async () => {
    const ng = new FakeNg();
    const now = { ms: 1_795_445_418_000 };
    const media = await recordedCall(ng, now);
    await media.delete();
    expect(ng.names().slice(-2)).toEqual(['query', 'delete']);

    // The caller sends to the port it was told at anchor (49918); the agent to the socket it hears rtpengine from.
    const startUs = 1_795_445_418_000_000;
    const records: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      records.push(record(startUs + 100_000 + i * 20_000, 40868, 49918, 0x1111, i * 160, 0xaa));
      records.push(record(startUs + 100_500 + i * 20_000, 46194, AGENT_SOCKET, 0x1111, i * 160, 0x2a));
    }
    mkdirSync(path.join(dir, 'pcaps'));
    writeFileSync(path.join(dir, 'pcaps', 'call-1-0123456789abcdef.pcap'), pcap(records));

    const file = await media.saveRecording(path.join(dir, 'out.wav'));
    const wav = readFileSync(file.path);
    const info = parseWav(wav);
    expect(info).toMatchObject({ channels: 2, durationMs: 1000 });
    const at = (ms: number, channel: 0 | 1): number => wav.readInt16LE(info.dataOffset + Math.floor((ms * 8000) / 1000) * 4 + channel * 2);
    expect(at(500, 0)).toBe(32256);
    expect(at(500, 1)).toBe(-32256);
  });

  it('still deletes when that query fails, and does not query for a call that was never recorded', async () => {
    const failing = new FakeNg();
    failing.failQuery = true;
    const media = await recordedCall(failing, { ms: 1000 });
    await media.delete();
    expect(failing.names().slice(-2)).toEqual(['query', 'delete']);
    expect(media.state).toBe('deleted');

    const ng = new FakeNg();
    const unrecorded = new MediaSession({ ng, callId: 'call-2', caller: { tag: CALLER_TAG, kind: 'sip' } });
    await unrecorded.anchorCaller(sdp(40868));
    await unrecorded.delete();
    expect(ng.names()).toEqual(['offer', 'answer', 'delete']);
  });
});
