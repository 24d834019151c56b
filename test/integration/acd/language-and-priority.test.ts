import type { Acd, MatchStage } from '../../../src/acd';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import type { ClientFacts } from '../../../src/routing/client-facts';
import type { DirectoryQueueSettings } from '../../../src/routing/directory-snapshot';
import { priorityFor } from '../../../src/routing/target-resolver';
import { queuePlanFor } from '../../../src/sip/queue-plan';
import { operator, useAcdHarness } from './acd-harness';

/** The directory's word on the queue: its own priorities by client type, no required skills. */
const SALES: DirectoryQueueSettings = { priorityByClientType: { retail: 8, own_point: 3 }, requiredSkills: {} };
const caller = (type: string, language: string): ClientFacts => ({
  id: 1, name: `${type} client`, type, managerId: null, region: null, language, overdueDebt: 0, creditLimit: 0, balance: 0, overrideTarget: null,
});

/** What a routed caller is enqueued with: the routing priority (the queue's setting) and the plan with their language. */
function planFor(who: ClientFacts): { priority: number; stages?: MatchStage[]; queueId: string } {
  const priority = priorityFor(who, DEFAULT_ROUTING_CONFIG, SALES);
  const plan = queuePlanFor({ kind: 'queue', queue: 'sales', requiredSkills: {}, priority }, 1, { language: who.language, queueSkills: () => SALES.requiredSkills });
  if (!plan) throw new Error('a queue target has a plan');
  return plan;
}

describe("the ACD serves a queue's callers by the queue's priority for their type, and by their language first (real Redis)", () => {
  let acd: Acd;
  const h = useAcdHarness((fresh) => {
    acd = fresh;
  });

  beforeEach(async () => {
    await acd.defineQueue({ id: 'sales', wrapUpMs: 0 });
  });

  it('a Romanian-speaking client goes to the agent who speaks Romanian, not the one idle longest', async () => {
    await acd.upsertAgent(operator('ru-only'));
    await acd.transition('ru-only', 'ready');
    h.clock.advance(5_000);
    await acd.upsertAgent(operator('ro-speaker', { languages: ['ru', 'ro'] }));
    await acd.transition('ro-speaker', 'ready');
    const { reservations } = await acd.enqueue({ callId: 'cluj', ...planFor(caller('regional', 'ro')) });
    expect(reservations.map((r) => r.agentId)).toEqual(['ro-speaker']);
  });

  it('with nobody speaking the language, anyone of the queue takes the caller once the language wait is over — never before', async () => {
    await acd.upsertAgent(operator('ru-only'));
    await acd.transition('ru-only', 'ready');
    const first = await acd.enqueue({ callId: 'cluj', ...planFor(caller('regional', 'ro')) });
    expect(first.reservations).toEqual([]);
    h.clock.advance(29_000);
    expect((await acd.tick()).reservations).toEqual([]);
    h.clock.advance(1_000);
    expect((await acd.tick()).reservations.map((r) => [r.callId, r.agentId])).toEqual([['cluj', 'ru-only']]);
  });

  it("a retail client (the queue's 8) is served before an own-point client (the queue's 3) who called first", async () => {
    await acd.upsertAgent(operator('anna'));
    await acd.enqueue({ callId: 'outlet', ...planFor(caller('own_point', 'ru')) });
    h.clock.advance(10_000);
    await acd.enqueue({ callId: 'shop', ...planFor(caller('retail', 'ru')) });
    expect(await acd.waitingCalls('sales')).toEqual(['shop', 'outlet']);
    const { reservations } = await acd.transition('anna', 'ready');
    expect(reservations.map((r) => r.callId)).toEqual(['shop']);
  });
});
