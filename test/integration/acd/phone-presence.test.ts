import type { Acd } from '../../../src/acd';
import { createRootLogger } from '../../../src/logger';
import { followPhonePresence } from '../../../src/sip/phone-presence';
import type { PresenceEvent, PresenceListener } from '../../../src/sip/registration-store';
import { eventually } from '../../helpers/eventually';
import { operator, useAcdHarness } from './acd-harness';

/** The registrar's presence events as the ACD sees them (real Redis): Ready with no phone is not Ready. */
describe('agents follow their phones (real Redis)', () => {
  let acd: Acd;
  const listeners: PresenceListener[] = [];
  const registrar = { onPresence: (listener: PresenceListener) => { listeners.push(listener); return () => { listeners.splice(listeners.indexOf(listener), 1); }; } };
  const emit = (event: PresenceEvent): void => { for (const listener of [...listeners]) listener(event); };
  let stop: () => void;

  useAcdHarness(async (fresh) => {
    acd = fresh;
    await acd.defineQueue({ id: 'sales' });
    for (const id of ['1', '2', '3']) await acd.upsertAgent(operator(id));
    stop = followPhonePresence(registrar, acd, createRootLogger('silent'));
  });
  afterEach(() => stop());

  it('a Ready person whose last phone went away is Not ready (unreachable); people in other states are left alone', async () => {
    await acd.transition('1', 'ready');
    await acd.transition('2', 'not_ready', { reason: 'lunch' });
    await acd.transition('3', 'ready');
    emit({ type: 'staff-offline', staffId: 1, at: Date.now(), reason: 'expired' });
    emit({ type: 'staff-offline', staffId: 2, at: Date.now(), reason: 'unregistered' });
    emit({ type: 'staff-online', staffId: 3, at: Date.now() });
    expect(await eventually(() => acd.getAgent('1'), (a) => a?.state === 'not_ready')).toMatchObject({ state: 'not_ready', reason: 'unreachable' });
    expect(await acd.getAgent('2')).toMatchObject({ state: 'not_ready', reason: 'lunch' });
    expect(await acd.getAgent('3')).toMatchObject({ state: 'ready' });
  });

  it('stops following once unsubscribed (the system stopping)', async () => {
    await acd.transition('1', 'ready');
    stop();
    emit({ type: 'staff-offline', staffId: 1, at: Date.now(), reason: 'expired' });
    expect(await acd.getAgent('1')).toMatchObject({ state: 'ready' });
    expect(listeners).toHaveLength(0);
  });
});
