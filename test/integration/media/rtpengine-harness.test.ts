import dgram from 'node:dgram';
import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import { startTestRtpengine } from '../../helpers/test-env';
import type { RunningService } from '../../../src/platform/managed-process';
import { quietPeriod } from '../../helpers/eventually';

/** A plain RTP endpoint: a UDP socket on loopback that counts what reaches it. */
async function rtpEndpoint(): Promise<{ socket: dgram.Socket; port: number; received: () => number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  let count = 0;
  socket.on('message', () => count++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, received: () => count, close: () => socket.close() };
}

function sdp(port: number, sessionId: number): string {
  return ['v=0', `o=- ${sessionId} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 8 101`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
}

function rtpPacket(seq: number, ssrc: number): Buffer {
  const packet = Buffer.alloc(12 + 160, 0xd5);
  packet[0] = 0x80;
  packet[1] = 8; // PCMA
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 160, 4);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

const mediaPort = (body: string): number => Number(/m=audio (\d+)/.exec(body)?.[1]);

describe('rtpengine harness (real rtpengine in userspace)', () => {
  let rtpengine: RunningService & { ngPort: number };
  let ng: RtpengineNgClient;
  beforeAll(async () => {
    rtpengine = await startTestRtpengine();
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 2000 });
  });
  afterAll(async () => {
    ng.close();
    await rtpengine.stop();
  });

  it('answers ping over the ng protocol', async () => {
    expect(await ng.ping()).toBe(true);
  });

  it('relays RTP between two plain endpoints both ways after offer/answer', async () => {
    const a = await rtpEndpoint();
    const b = await rtpEndpoint();
    try {
      const callId = `harness-${Date.now()}`;
      const offer = await ng.command('offer', { 'call-id': callId, 'from-tag': 'a', sdp: sdp(a.port, 1), 'transport-protocol': 'RTP/AVP', ICE: 'remove', DTLS: 'off' });
      const answer = await ng.command('answer', { 'call-id': callId, 'from-tag': 'a', 'to-tag': 'b', sdp: sdp(b.port, 2), 'transport-protocol': 'RTP/AVP', ICE: 'remove', DTLS: 'off' });
      // The offer's rewritten SDP goes to B: it names the rtpengine port B sends to; the answer's goes to A.
      const towardB = mediaPort(offer.sdp as string);
      const towardA = mediaPort(answer.sdp as string);
      for (let i = 0; i < 20; i++) {
        a.socket.send(rtpPacket(i, 0x1111), towardA, '127.0.0.1');
        b.socket.send(rtpPacket(i, 0x2222), towardB, '127.0.0.1');
        await quietPeriod(20, 'RTP is sent in real time: one packet per 20 ms');
      }
      await quietPeriod(200, 'the last packets in flight through rtpengine arrive');
      expect(a.received()).toBeGreaterThanOrEqual(15);
      expect(b.received()).toBeGreaterThanOrEqual(15);
      const query = await ng.command('query', { 'call-id': callId });
      expect(query.result).toBe('ok');
      await ng.command('delete', { 'call-id': callId });
    } finally {
      a.close();
      b.close();
    }
  });

  it('turns an error reply into an error instead of a silent success', async () => {
    await expect(ng.command('answer', { 'call-id': 'no-such-call', 'from-tag': 'x', 'to-tag': 'y', sdp: sdp(9, 3) })).rejects.toThrow(/rtpengine refused answer/);
  });

  it('times out instead of waiting forever when nothing answers', async () => {
    const dead = new RtpengineNgClient({ host: '127.0.0.1', port: 9, timeoutMs: 300 });
    try {
      await expect(dead.command('query', { 'call-id': 'x' })).rejects.toThrow(/rtpengine query failed: rtpengine timeout/);
    } finally {
      dead.close();
    }
  });
});
