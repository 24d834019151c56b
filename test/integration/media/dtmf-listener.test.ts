import dgram from 'node:dgram';
import { DtmfListener } from '../../../src/media/dtmf-listener';
import type { DtmfEvent } from '../../../src/media/dtmf-event';
import { sleep } from './rtp-test-endpoint';

const datagram = (callId: string, event: number, duration = 100): string =>
  JSON.stringify({ callid: callId, source_tag: 'caller', tags: ['ivr', 'caller'], type: 'DTMF', timestamp: 1, source_ip: '127.0.0.1', event, duration, volume: 10 });

describe('DTMF listener (UDP socket on loopback)', () => {
  let listener: DtmfListener;
  let sender: dgram.Socket;
  let now = 5_000_000;
  beforeEach(async () => {
    now = 5_000_000;
    listener = await DtmfListener.start({ port: 0, clock: () => now });
    sender = dgram.createSocket('udp4');
  });
  afterEach(async () => {
    sender.close();
    await listener.close();
  });

  const send = (text: string): void => sender.send(text, listener.port, '127.0.0.1');
  const until = async (predicate: () => boolean): Promise<void> => {
    const deadline = Date.now() + 2000;
    while (!predicate() && Date.now() < deadline) await sleep(5);
  };

  it('routes digits to the call subscriber, suppresses repeats, and counts what it drops', async () => {
    const a: DtmfEvent[] = [];
    const b: DtmfEvent[] = [];
    const offA = listener.subscribe('call-a', (e) => a.push(e));
    const offB = listener.subscribe('call-b', (e) => b.push(e));
    try {
      send(datagram('call-a', 1));
      send(datagram('call-a', 1)); // a repeated datagram of the same press
      send(datagram('call-b', 11));
      send(datagram('call-x', 2)); // no subscriber
      send('garbage');
      await until(() => listener.stats.unparsable === 1 && a.length + b.length >= 2 && listener.stats.unrouted === 1 && listener.stats.duplicates === 1);
      expect(a).toEqual([{ callId: 'call-a', digit: '1', sourceTag: 'caller', at: now, source: 'rfc4733', durationMs: 100 }]);
      expect(b.map((e) => e.digit)).toEqual(['#']);
      expect(listener.stats).toEqual({ delivered: 2, duplicates: 1, unrouted: 1, unparsable: 1 });
      now += 1000;
      send(datagram('call-a', 1));
      await until(() => a.length === 2);
      expect(a).toHaveLength(2);
    } finally {
      offA();
      offB();
    }
    expect(listener.subscriptions).toBe(0);
  });

  it('takes SIP INFO bodies through the same dedupe and says what to answer', () => {
    const got: DtmfEvent[] = [];
    const off = listener.subscribe('call-a', (e) => got.push(e));
    try {
      expect(listener.acceptSipInfo('call-a', 'agent', 'application/dtmf-relay', 'Signal=4\r\nDuration=250')).toMatchObject({ result: 'delivered', event: { digit: '4', source: 'sip-info', sourceTag: 'agent', durationMs: 250 } });
      expect(listener.acceptSipInfo('call-a', 'agent', 'application/dtmf', '4').result).toBe('duplicate');
      expect(listener.acceptSipInfo('call-a', 'agent', 'text/plain', '4')).toMatchObject({ result: 'rejected', rejection: { error: 'unsupported-type' } });
      expect(listener.acceptSipInfo('nobody', 'agent', 'application/dtmf', '4').result).toBe('unrouted');
      expect(got.map((e) => e.digit)).toEqual(['4']);
    } finally {
      off();
    }
  });

  it('keeps delivering to other calls when one handler throws', async () => {
    const got: string[] = [];
    const offBad = listener.subscribe('bad', () => {
      throw new Error('handler bug');
    });
    const offGood = listener.subscribe('good', (e) => got.push(e.digit));
    try {
      send(datagram('bad', 3));
      send(datagram('good', 3));
      await until(() => got.length === 1);
      expect(got).toEqual(['3']);
    } finally {
      offBad();
      offGood();
    }
  });
});
