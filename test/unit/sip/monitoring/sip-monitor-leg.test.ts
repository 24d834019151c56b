import { EventEmitter } from 'node:events';
import type Srf from 'drachtio-srf';
import type { CallMediaChange, ForcedMode } from '../../../../src/call-monitoring/call-media-change';
import type { MonitorMode } from '../../../../src/call-monitoring/monitor-mode';
import { createRootLogger } from '../../../../src/logger';
import type { MonitorFork } from '../../../../src/media/monitor-fork';
import { MediaChangeHooks } from '../../../../src/sip/monitoring/media-change-hooks';
import { SipMonitorLeg } from '../../../../src/sip/monitoring/sip-monitor-leg';
import type { SupervisorVoice } from '../../../../src/sip/monitoring/supervisor-voice';

class FakeDialog extends EventEmitter {
  destroy(_opts: unknown, done: (err?: unknown) => void): void {
    done();
  }
}

/** A leg over fakes: the voice and the forced-mode listener write one story, in the order things happened. */
function legHarness() {
  const story: string[] = [];
  const log = createRootLogger('silent');
  const hooks = new MediaChangeHooks(log);
  let releaseApply: () => void = () => undefined;
  const bargeGate = new Promise<void>((resolve) => (releaseApply = resolve));
  const voice = {
    apply: async (mode: MonitorMode) => {
      story.push(`voice → ${mode}`);
      if (mode === 'barge') await bargeGate;
    },
    close: () => { story.push('voice closed'); return Promise.resolve(); },
  } as unknown as SupervisorVoice;
  const fork = { end: () => Promise.resolve() } as unknown as MonitorFork;
  const call = { ended: new Promise<void>(() => undefined), beforeMediaChange: (hook: (c: CallMediaChange) => Promise<void>) => hooks.register(hook) };
  const onModeForced = (forced: ForcedMode): Promise<void> => { story.push(`recorded ${forced.mode}`); return Promise.resolve(); };
  const leg = new SipMonitorLeg(new FakeDialog() as unknown as Srf.Dialog, fork, voice, 'listen', { call, onModeForced }, log);
  return { leg, hooks, story, finishBarge: () => releaseApply() };
}

describe('SipMonitorLeg before the monitored call changes its media', () => {
  it('drops barge to listen before the hold goes ahead: the service is told first, then the voice goes', async () => {
    const { leg, hooks, story, finishBarge } = legHarness();
    const barging = leg.changeMode('barge');
    finishBarge();
    await barging;
    await hooks.before('agent-reinvite');
    expect(story).toEqual(['voice → barge', 'recorded listen', 'voice → listen']);
    expect(leg.currentMode).toBe('listen');
    // Listening already: the resume's re-INVITE changes nothing.
    await hooks.before('agent-reinvite');
    expect(story).toHaveLength(3);
  });

  it('a hold that arrives while the barge is still being set up waits for it, then drops it', async () => {
    const { leg, hooks, story, finishBarge } = legHarness();
    const barging = leg.changeMode('barge');
    const holding = hooks.before('agent-reinvite');
    await new Promise((resolve) => setImmediate(resolve));
    expect(story).toEqual(['voice → barge']);
    finishBarge();
    await Promise.all([barging, holding]);
    expect(story).toEqual(['voice → barge', 'recorded listen', 'voice → listen']);
    expect(leg.currentMode).toBe('listen');
  });

  it('an ended leg no longer holds the call\'s changes up', async () => {
    const { leg, hooks, story } = legHarness();
    await leg.stop();
    await hooks.before('blind-transfer');
    expect(story).toEqual(['voice closed']);
  });
});

describe('MediaChangeHooks', () => {
  it('waits for every hook, and a failing one does not stop the call\'s change', async () => {
    const hooks = new MediaChangeHooks(createRootLogger('silent'));
    const seen: string[] = [];
    hooks.register(() => Promise.reject(new Error('rtpengine gone')));
    const remove = hooks.register(async (change) => { await new Promise((resolve) => setImmediate(resolve)); seen.push(change); });
    await expect(hooks.before('warm-transfer')).resolves.toBeUndefined();
    expect(seen).toEqual(['warm-transfer']);
    remove();
    await hooks.before('caller-reinvite');
    expect(seen).toEqual(['warm-transfer']);
  });

  it('says the call is changing from its hooks to the end of the change, even when the change fails', async () => {
    const hooks = new MediaChangeHooks(createRootLogger('silent'));
    const seen: boolean[] = [];
    hooks.register(() => { seen.push(hooks.changing); return Promise.resolve(); });
    await hooks.around('agent-reinvite', () => { seen.push(hooks.changing); return Promise.resolve(); });
    await expect(hooks.around('blind-transfer', () => Promise.reject(new Error('no agent')))).rejects.toThrow('no agent');
    expect(seen).toEqual([true, true, true]);
    expect(hooks.changing).toBe(false);
  });
});
