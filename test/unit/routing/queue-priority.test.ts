import type { CallerChoice } from '../../../src/routing/caller-choice';
import type { ClientFacts } from '../../../src/routing/client-facts';
import { decideRoute } from '../../../src/routing/decide-route';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import type { DirectorySnapshot } from '../../../src/routing/directory-snapshot';
import { DIRECTORY, OPEN_TIME, availability, client } from './routing-fixtures';
import { summarise } from './route-summary';

/** The operators queue's own "priority by client type" (the queue setting), over the routing config's 9/7/6/5/4. */
const withQueuePriorities: DirectorySnapshot = {
  ...DIRECTORY,
  queueSettings: { operators: { priorityByClientType: { own_point: 3, retail: 8 }, requiredSkills: {} } },
};

const order: CallerChoice = { intent: 'order' };
const routed = (who: ClientFacts, directory: DirectorySnapshot): { target: string; reason: string } => {
  const decision = decideRoute({
    call: { callerNumber: '+74951234567', dialledNumber: null }, client: who, choice: order,
    availability: availability(), directory, now: OPEN_TIME, config: DEFAULT_ROUTING_CONFIG,
  });
  return { target: summarise(decision.target), reason: decision.reason };
};

describe("a queue's priority by client type sets the priority its callers wait at", () => {
  it("a type the queue names gets the queue's priority, in the target and in the reason", () => {
    expect(routed(client('own_point', { name: 'Outlet 7' }), withQueuePriorities)).toEqual({
      target: 'queue:operators/p3', reason: 'order from own_point client Outlet 7 — queue operators, priority 3',
    });
    expect(routed(client('retail'), withQueuePriorities).target).toBe('queue:operators/p8');
  });

  it("a type the queue does not name keeps the routing config's priority; without the setting nothing changes", () => {
    expect(routed(client('market'), withQueuePriorities).target).toBe('queue:operators/p5');
    expect(routed(client('own_point'), DIRECTORY).target).toBe('queue:operators/p7');
  });

  it("a type code named like an object's built-in member is not taken for a priority", () => {
    const odd: DirectorySnapshot = { ...withQueuePriorities, clientTypes: [...(DIRECTORY.clientTypes ?? []), 'constructor'] };
    expect(routed(client('constructor'), odd).target).toBe(`queue:operators/p${DEFAULT_ROUTING_CONFIG.defaults.priority}`);
  });
});
