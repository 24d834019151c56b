import { legCounters } from '../../../src/media/leg-counters';
import type { NgReply } from '../../../src/media/rtpengine-ng-client';

/** A stream as rtpengine 10.5's `query` lists it. */
const stream = (localPort: number, rtcp: boolean, packets: number, last = 1700000000): Record<string, unknown> => ({
  'local port': localPort, flags: [rtcp ? 'RTCP' : 'RTP', 'filled'], 'last packet': last, stats: { packets, bytes: packets * 172, errors: 0 },
});

/** The shape seen after the bridge of design §7 and one agent re-INVITE (see leg-counters). */
const REPLY: NgReply = {
  result: 'ok',
  tags: {
    caller: { tag: 'caller', medias: [{ index: 1, streams: [stream(30228, false, 125, 1700000009), stream(30229, true, 3)] }] },
    ivr: { tag: 'ivr', medias: [{ index: 1, streams: [stream(30200, false, 25, 1700000004), stream(30201, true, 0)] }] },
    agent: { tag: 'agent', medias: [{ index: 1, streams: [stream(30248, false, 100, 1700000008), stream(30249, true, 1)] }] },
  },
  totals: { RTP: { packets: 250, bytes: 43000, errors: 0 } },
};

describe('legCounters', () => {
  it('counts the streams under the leg tag, RTP and RTCP apart', () => {
    expect(legCounters(REPLY, { tag: 'caller', ports: new Set() })).toEqual({
      rtp: { packets: 125, bytes: 125 * 172, errors: 0 }, rtcp: { packets: 3, bytes: 3 * 172, errors: 0 }, lastPacketAt: 1700000009,
    });
  });

  it('adds streams on ports handed to the leg even under another tag (the placeholder socket a bridged agent was told)', () => {
    const agent = legCounters(REPLY, { tag: 'agent', ports: new Set([30200, 30201, 30248, 30249]) });
    expect(agent.rtp.packets).toBe(125);
    expect(agent.rtcp.packets).toBe(1);
    expect(agent.lastPacketAt).toBe(1700000008);
  });

  it('counts a browser\'s rtcp-mux stream (flagged RTP and RTCP, audio and RTCP on one port) as RTP', () => {
    const reply: NgReply = {
      result: 'ok',
      tags: { browser: { tag: 'browser', medias: [{ index: 1, streams: [{ 'local port': 30300, flags: ['RTP', 'RTCP', 'filled', 'ICE'], 'last packet': 1700000010, stats: { packets: 212, bytes: 30000, errors: 0 } }] }] } },
    };
    const browser = legCounters(reply, { tag: 'browser', ports: new Set() });
    expect(browser.rtp.packets).toBe(212);
    expect(browser.rtcp.packets).toBe(0);
  });

  it('is all zero for an unknown leg or a reply without tags, and ignores junk', () => {
    expect(legCounters(REPLY, { tag: 'nobody', ports: new Set([1]) })).toEqual({ rtp: { packets: 0, bytes: 0, errors: 0 }, rtcp: { packets: 0, bytes: 0, errors: 0 }, lastPacketAt: null });
    expect(legCounters({ result: 'ok' }, { tag: 'caller', ports: new Set() }).rtp.packets).toBe(0);
    expect(legCounters({ result: 'ok', tags: { caller: { medias: [null, { streams: ['x', { stats: { packets: '7' } }] }] } } }, { tag: 'caller', ports: new Set() }).rtp.packets).toBe(7);
  });
});
