import { AppError } from '../../../../src/errors/app-error';
import { createRootLogger } from '../../../../src/logger';
import type { ReofferResult } from '../../../../src/media/media-session';
import { relayReinvite, type ReofferMedia, type ReinviteTarget } from '../../../../src/sip/call-session/reinvite-relay';
import { tagOf, legKindOf } from '../../../../src/sip/call-session/dialog-ends';
import { Signal } from '../../../../src/sip/call-session/signal';
import type { SrfRequest, SrfResponse } from '../../../../src/sip/srf-types';

/** The response a handler sent, as a phone would see it. */
function response(): { res: SrfResponse; sent: Array<{ status: number; body?: string }> } {
  const sent: Array<{ status: number; body?: string }> = [];
  const res = { send: (status: number, opts?: { body?: string }) => { sent.push({ status, ...(opts?.body ? { body: opts.body } : {}) }); } } as unknown as SrfResponse;
  return { res, sent };
}
const request = (body: string): SrfRequest => ({ body } as unknown as SrfRequest);

/** rtpengine as the relay sees it: what reoffer answers, and what it was asked. */
function media(reoffer: () => Promise<ReofferResult>): ReofferMedia & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    reoffer: (from, sdp) => { calls.push(`reoffer ${from} ${sdp}`); return reoffer(); },
    completeReoffer: (answer) => { calls.push(`complete ${answer}`); return Promise.resolve(`ours for ${answer}`); },
    cancelReoffer: () => { calls.push('cancel'); },
  };
}

const log = createRootLogger('silent');

describe('re-INVITE relay through rtpengine (shared by inbound and outbound calls)', () => {
  it('answers alone while no other leg is bridged', async () => {
    const m = media(() => Promise.resolve({ kind: 'answered', sdp: 'v=0 answer' }));
    const { res, sent } = response();
    expect(await relayReinvite({ media: m, dialogOf: () => null, log }, 'caller', request('v=0 offer'), res)).toBe(true);
    expect(sent).toEqual([{ status: 200, body: 'v=0 answer' }]);
  });

  it('re-INVITEs the other leg with rtpengine\'s offer and completes with its answer', async () => {
    const m = media(() => Promise.resolve({ kind: 'forward', sdp: 'to agent', to: 'agent' }));
    const asked: string[] = [];
    const agent: ReinviteTarget = { modify: (sdp) => { asked.push(sdp); return Promise.resolve('agent answer'); } };
    const { res, sent } = response();
    expect(await relayReinvite({ media: m, dialogOf: (leg) => (leg === 'agent' ? agent : null), log }, 'caller', request('hold me'), res)).toBe(true);
    expect(asked).toEqual(['to agent']);
    expect(m.calls).toEqual(['reoffer caller hold me', 'complete agent answer']);
    expect(sent).toEqual([{ status: 200, body: 'ours for agent answer' }]);
  });

  it('488 when there is no other leg to ask, the re-offer withdrawn', async () => {
    const m = media(() => Promise.resolve({ kind: 'forward', sdp: 'x', to: 'caller' }));
    const { res, sent } = response();
    expect(await relayReinvite({ media: m, dialogOf: () => undefined, log }, 'agent', request('o'), res)).toBe(false);
    expect(sent).toEqual([{ status: 488 }]);
    expect(m.calls).toContain('cancel');
  });

  it('491 on glare or a call between two states, so the phone retries; 500 on anything else; 500 without media', async () => {
    const glare = media(() => Promise.reject(new AppError('REQUEST_PENDING', 'a re-offer is under way')));
    const first = response();
    expect(await relayReinvite({ media: glare, dialogOf: () => null, log }, 'agent', request('o'), first.res)).toBe(false);
    expect(first.sent).toEqual([{ status: 491 }]);
    const broken = media(() => Promise.resolve({ kind: 'forward', sdp: 'x', to: 'caller' }));
    const second = response();
    await relayReinvite({ media: broken, dialogOf: () => ({ modify: () => Promise.reject(new Error('408 from the phone')) }), log }, 'agent', request('o'), second.res);
    expect(second.sent).toEqual([{ status: 500 }]);
    expect(broken.calls).toContain('cancel');
    const between = media(() => Promise.reject(new AppError('ILLEGAL_TRANSITION', 'reoffer is not allowed while consulting')));
    const third = response();
    await relayReinvite({ media: between, dialogOf: () => null, log }, 'agent', request('o'), third.res);
    expect(third.sent).toEqual([{ status: 491 }]);
    const none = response();
    expect(await relayReinvite({ media: null, dialogOf: () => null, log }, 'agent', request('o'), none.res)).toBe(false);
    expect(none.sent).toEqual([{ status: 500 }]);
  });
});

describe('call-session helpers', () => {
  it('reads the tag of a From or To header, none when absent', () => {
    expect(tagOf('"Anna" <sip:anna@x>;tag=abc123')).toBe('abc123');
    expect(tagOf('<sip:anna@x>;foo=1; tag=Z-9')).toBe('Z-9');
    expect(tagOf('<sip:anna@x>')).toBeNull();
    expect(tagOf(undefined)).toBeNull();
  });

  it('gives browsers (WebSocket contacts) WebRTC media and every other device plain RTP', () => {
    expect(['ws', 'wss', 'udp', 'tcp', 'tls'].map((transport) => legKindOf({ transport: transport as 'ws' }))).toEqual(['webrtc', 'webrtc', 'sip', 'sip', 'sip']);
  });

  it('a Signal resolves once, with its first value', async () => {
    const signal = new Signal<string>();
    expect(signal.fired).toBe(false);
    signal.resolve('BYE');
    signal.resolve('CANCEL');
    expect(signal.fired).toBe(true);
    await expect(signal.promise).resolves.toBe('BYE');
  });
});
