import type { Acd } from '../../../../src/acd';
import type { CallerLookupResult } from '../../../../src/directory/caller-lookup';
import { InboundCall } from '../../../../src/sip/inbound-call';
import type { ClientFacts } from '../../../../src/routing/client-facts';
import { fakeCallWorld, fakeRequest, fakeResponse, sdp, wallClockAt, type FakeCallWorld } from '../../../fakes/call-session-fakes';
import { DIRECTORY, NIGHT_TIME } from '../../routing/routing-fixtures';

/**
 * After hours the caller is put down for a callback (the seed's after-hours
 * rule). A client with a manager has it on the manager's list (the Work tab);
 * an unknown caller's request used to be seen by nobody: it now lands in the
 * operators' callback queue in the ACD (issue 17).
 */

beforeAll(() => wallClockAt(NIGHT_TIME));
afterAll(() => jest.useRealTimers());

async function afterHoursCall(caller: CallerLookupResult): Promise<{ world: FakeCallWorld; queued: Array<Record<string, unknown>> }> {
  const world = fakeCallWorld(DIRECTORY);
  world.lookup.answer = () => Promise.resolve(caller);
  const queued: Array<Record<string, unknown>> = [];
  (world.services.acd as Acd & Record<string, unknown>).enqueueCallback = (request: Record<string, unknown>) => {
    queued.push(request);
    return Promise.resolve({ reservations: [], position: 1 });
  };
  const req = fakeRequest({ body: sdp(5000), headers: { From: '<sip:+74957770001@trunk>;tag=caller-tag', 'Call-ID': 'sip-night-1' } });
  await new InboundCall(world.services, req, fakeResponse()).run();
  return { world, queued };
}

const client = (managerId: number | null): ClientFacts => ({ id: 42, type: 'market', managerId } as unknown as ClientFacts);

describe('callback requests after hours', () => {
  it('an unknown caller’s request goes to the operators’ callback queue with their number, as the first attempt', async () => {
    const { world, queued } = await afterHoursCall({ kind: 'new', e164: '+74957770001' });
    const record = world.records[0]!;
    expect(record.outcome).toBe('callback_requested');
    expect(queued).toEqual([{ callId: record.id, queueId: 'operators', number: '+74957770001', meta: { clientId: null, reason: 'after hours', callbackAttempt: 1 } }]);
  });

  it('a client nobody manages is queued for the operators too; a managed client’s stays on the manager’s list only', async () => {
    const unmanaged = await afterHoursCall({ kind: 'known', e164: '+74957770001', client: client(null), source: 'directory' });
    expect(unmanaged.queued).toHaveLength(1);
    expect(unmanaged.queued[0]!.meta).toMatchObject({ clientId: 42 });
    const managed = await afterHoursCall({ kind: 'known', e164: '+74957770001', client: client(7), source: 'directory' });
    expect(managed.queued).toEqual([]);
    expect(managed.world.records[0]!.outcome).toBe('callback_requested');
  });

  it('a caller without a usable number stays on the record only', async () => {
    const anonymous = await afterHoursCall({ kind: 'new', e164: null });
    expect(anonymous.queued).toEqual([]);
    expect(anonymous.world.records[0]!.outcome).toBe('callback_requested');
  });
});
