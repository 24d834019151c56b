import type { Acd, MatchStage, RoutingStrategy } from '../../../src/acd';
import { operator, useAcdHarness } from './acd-harness';

/** More than one page (AcdSettings.scanDepth, 100) of entries that do not qualify. */
const CROWD = 130;
const REGIONAL: MatchStage[] = [{ afterMs: 0, scope: { type: 'queue' }, skills: [{ skill: 'regional', minLevel: 2 }] }];

describe('ACD matching looks past any number of unsuitable entries, in one round trip (real Redis)', () => {
  let acd: Acd;
  const h = useAcdHarness((fresh) => {
    acd = fresh;
  });

  it.each<RoutingStrategy>(['longest_idle', 'fewest_calls', 'round_robin', 'linear', 'weighted_random'])(
    `%s: a call finds the one qualified ready agent behind ${CROWD} with the skill at too low a level`,
    async (strategy) => {
      await acd.defineQueue({ id: 'sales', strategy, stages: REGIONAL });
      // every unqualified agent ranks ahead of the qualified one: idle longer, registered earlier;
      // they have the skill, so they are in the skill's ready index and the scan must page past them
      for (let i = 0; i < CROWD; i++) {
        await acd.upsertAgent(operator(`plain-${String(i).padStart(3, '0')}`, { skills: { regional: 1 } }));
        await acd.transition(`plain-${String(i).padStart(3, '0')}`, 'ready');
        h.clock.advance(1);
      }
      await acd.upsertAgent(operator('regional', { skills: { regional: 3 } }));
      await acd.transition('regional', 'ready');
      const trips = acd.roundTrips;
      const { outcome, reservations } = await acd.enqueue({ callId: 'c1', queueId: 'sales' });
      expect(acd.roundTrips - trips).toBe(1);
      expect(outcome).toBe('reserved');
      expect(reservations.map((r) => r.agentId)).toEqual(['regional']);
    },
  );

  it('agents without the required skill are not candidates at all, however many rank first', async () => {
    await acd.defineQueue({ id: 'sales', stages: REGIONAL });
    for (let i = 0; i < CROWD; i++) {
      await acd.upsertAgent(operator(`plain-${i}`));
      await acd.transition(`plain-${i}`, 'ready');
    }
    await acd.upsertAgent(operator('regional', { skills: { regional: 2 } }));
    await acd.transition('regional', 'ready');
    expect(await h.redis.zrange(acd.keys.get('readySkill', 'sales', 'regional'), 0, -1)).toEqual(['regional']);
    expect((await acd.enqueue({ callId: 'c1', queueId: 'sales' })).reservations.map((r) => r.agentId)).toEqual(['regional']);
    // the index follows the agent: reserved → out of it; profile without the skill → never back in
    expect(await h.redis.zcard(acd.keys.get('readySkill', 'sales', 'regional'))).toBe(0);
    await acd.abandon('c1');
    expect(await h.redis.zrange(acd.keys.get('readySkill', 'sales', 'regional'), 0, -1)).toEqual(['regional']);
    await acd.upsertAgent(operator('regional', { skills: {} }));
    expect(await h.redis.zcard(acd.keys.get('readySkill', 'sales', 'regional'))).toBe(0);
    expect((await acd.enqueue({ callId: 'c2', queueId: 'sales' })).outcome).toBe('queued');
  });

  it('round robin remembers its place beyond the first page', async () => {
    await acd.defineQueue({ id: 'sales', strategy: 'round_robin', wrapUpMs: 0 });
    for (let i = 0; i < CROWD; i++) await acd.upsertAgent(operator(`a-${String(i).padStart(3, '0')}`, { order: i }));
    for (let i = 0; i < CROWD; i++) await acd.transition(`a-${String(i).padStart(3, '0')}`, 'ready');
    // serve 120 calls: each goes to the next agent in order, past the first page of 100
    for (let i = 0; i < 120; i++) {
      const { reservations } = await acd.enqueue({ callId: `c${i}`, queueId: 'sales' });
      expect(reservations.map((r) => r.agentId)).toEqual([`a-${String(i).padStart(3, '0')}`]);
    }
  });

  it('an agent becoming ready finds the call it can take behind more than a page of calls it cannot', async () => {
    await acd.defineQueue({ id: 'sales' });
    for (let i = 0; i < CROWD; i++) await acd.enqueue({ callId: `regional-${i}`, queueId: 'sales', priority: 9, stages: REGIONAL });
    await acd.enqueue({ callId: 'plain', queueId: 'sales', priority: 1 });
    await acd.upsertAgent(operator('a1'));
    const trips = acd.roundTrips;
    const { reservations } = await acd.transition('a1', 'ready');
    expect(acd.roundTrips - trips).toBe(1);
    expect(reservations.map((r) => r.callId)).toEqual(['plain']);
  });
});
