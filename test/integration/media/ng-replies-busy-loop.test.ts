import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import type { RunningService } from '../../../src/platform/managed-process';
import { startTestRtpengine } from '../../helpers/test-env';

/**
 * Issue 16: under load bench:sip saw rtpengine ng commands time out after 2 s
 * with rtpengine at ≤ 60 % CPU and not one reply arriving late. The replies
 * had been sent and the kernel dropped them at this process's ng socket
 * (/proc/net/udp "drops" of that socket = the number of timeouts): the socket
 * had the default 208 KB receive buffer, and while the event loop was busy for
 * some tens of ms a few hundred offer/answer replies (SDP in each) filled it.
 */

const COMMANDS = 300;
/** The test rtpengine has 200 media ports: the offers go to a few calls, each offered again and again (same ports, a full SDP reply each). */
const CALLS = 20;
/**
 * Sent in rounds, each followed by a busy spell long enough for rtpengine to
 * answer it: rtpengine's own ng socket has the default buffer too, and 300
 * offers at once would overflow that one instead.
 */
const ROUNDS = 6;
const BUSY_MS_PER_ROUND = 250;

function sdp(port: number): string {
  return ['v=0', `o=- ${port} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 8 0 101`,
    'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', ''].join('\r\n');
}

/** Keeps the event loop from turning for `ms`, as a busy process does between two reads of its sockets. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spinning on purpose
  }
}

describe('rtpengine ng client with a busy event loop (real rtpengine in userspace)', () => {
  let rtpengine: RunningService & { ngPort: number };
  let ng: RtpengineNgClient;
  beforeAll(async () => {
    rtpengine = await startTestRtpengine();
    // No limit on commands outstanding here: every reply must wait in this socket's buffer (the limit is the next test's).
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 2000 + ROUNDS * BUSY_MS_PER_ROUND, maxInFlight: COMMANDS });
    expect(await ng.ping()).toBe(true);
  });
  afterAll(async () => {
    ng.close();
    await rtpengine.stop();
  });

  const offerer = (client: RtpengineNgClient, callIds: string[]) => (i: number): Promise<unknown> =>
    client.command('offer', { 'call-id': callIds[i % CALLS]!, 'from-tag': 'caller', sdp: sdp(40000 + 2 * (i % CALLS)), 'transport-protocol': 'RTP/AVP', ICE: 'remove', DTLS: 'off' });
  const failures = (settled: Array<PromiseSettledResult<unknown>>): { answered: number; firstFailure: string | undefined } => {
    const failed = settled.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    return { answered: settled.length - failed.length, firstFailure: failed[0] };
  };

  it('gets the reply of every command sent in a burst while the event loop was busy', async () => {
    const callIds = Array.from({ length: CALLS }, (_, i) => `busy-loop-${process.pid}-${i}`);
    const offer = offerer(ng, callIds);
    try {
      const sent: Promise<unknown>[] = [];
      // The event loop does not turn until every round is sent and answered: no reply is read meanwhile. The sends
      // themselves wait for a process.nextTick (dgram's address lookup), which this flushes without polling any socket.
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = round; i < COMMANDS; i += ROUNDS) sent.push(offer(i));
        await new Promise((resolve) => process.nextTick(resolve));
        busyFor(BUSY_MS_PER_ROUND);
      }
      expect(failures(await Promise.allSettled(sent))).toEqual({ answered: COMMANDS, firstFailure: undefined });
    } finally {
      await Promise.allSettled(callIds.map((callId) => ng.command('delete', { 'call-id': callId, 'delete-delay': 0 })));
    }
  });

  it('gets the reply of every command of a burst sent at once: rtpengine\'s own ng socket (208 KB) is never given more than it holds', async () => {
    const limited = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 2000 });
    const callIds = Array.from({ length: CALLS }, (_, i) => `burst-${process.pid}-${i}`);
    try {
      const offer = offerer(limited, callIds);
      expect(failures(await Promise.allSettled(Array.from({ length: COMMANDS }, (_, i) => offer(i))))).toEqual({ answered: COMMANDS, firstFailure: undefined });
    } finally {
      await Promise.allSettled(callIds.map((callId) => limited.command('delete', { 'call-id': callId, 'delete-delay': 0 })));
      limited.close();
    }
  });
});
