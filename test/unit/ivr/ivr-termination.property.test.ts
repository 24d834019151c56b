import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import type { BranchCondition, FlowDocument, FlowNode } from '../../../src/ivr/flow-document';
import { reachableFrom } from '../../../src/ivr/flow-graph';
import { validateFlow } from '../../../src/ivr/flow-validator';
import { replayIvrRun } from '../../../src/ivr/ivr-run';
import { isTerminalState } from '../../../src/ivr/ivr-state';
import type { ClientFacts } from '../../../src/routing/client-facts';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import { formatIssue } from '../../../src/routing/validation-result';
import { CLOSED_AT, FakeSession, OPEN_AT } from './ivr-harness';
import { SeededRandom } from '../../helpers/seeded-random';

const PROMPT_IDS = [...new Set(DEFAULT_PROMPTS.map((p) => p.id))];
const KEYS = '0123456789*#'.split('');
const TERMINALS = ['t_route', 't_hangup'];

/**
 * A random flow that is valid by construction: node i's primary edge goes to
 * node i+1 (the last one to a terminal), so every node is reachable and can
 * finish; other edges go anywhere — back edges and self loops included — except
 * that instant nodes (set, branch, business hours) only point forward, so no
 * loop is made of them alone.
 */
function randomFlow(rng: SeededRandom): FlowDocument {
  const count = rng.int(1, 14);
  const ids = Array.from({ length: count }, (_, i) => `n${i}`);
  const anyTarget = (): string => rng.pick([...ids, ...TERMINALS]);
  const forwardTarget = (i: number): string => rng.pick([...ids.slice(i + 1), ...TERMINALS]);
  const prompts = (): string[] => Array.from({ length: rng.int(1, 2) }, () => rng.pick(PROMPT_IDS));
  const nodes: Record<string, FlowNode> = {
    t_route: { type: 'route', intent: rng.pick(['order', 'enquiry', 'other', 'operator'] as const) },
    t_hangup: { type: 'hangup' },
  };
  ids.forEach((id, i) => {
    const primary = ids[i + 1] ?? rng.pick(TERMINALS);
    const kind = rng.pick(['play', 'menu', 'collect', 'business_hours', 'branch', 'set', 'callback'] as const);
    switch (kind) {
      case 'play':
        nodes[id] = { type: 'play', prompts: prompts(), next: primary, bargeIn: rng.chance(0.5) };
        return;
      case 'menu': {
        const options: Record<string, string> = { [rng.pick(KEYS)]: primary };
        for (let k = rng.int(0, 3); k > 0; k--) options[rng.pick(KEYS)] ??= anyTarget();
        nodes[id] = {
          type: 'menu', prompts: prompts(), options, timeoutMs: rng.int(1, 6) * 1000, maxRetries: rng.int(0, 3),
          onTimeout: anyTarget(), onInvalid: anyTarget(), onMaxRetries: anyTarget(), bargeIn: rng.chance(0.7),
        };
        return;
      }
      case 'collect': {
        const minLength = rng.int(1, 3);
        nodes[id] = {
          type: 'collect', prompts: prompts(), variable: 'digits', minLength, maxLength: minLength + rng.int(0, 3),
          ...(rng.chance(0.5) ? { terminator: '#' as const } : {}), timeoutMs: 2000, maxRetries: rng.int(0, 2),
          next: primary, onTimeout: anyTarget(), onInvalid: anyTarget(), onMaxRetries: anyTarget(), bargeIn: rng.chance(0.5),
        };
        return;
      }
      case 'business_hours':
        nodes[id] = { type: 'business_hours', open: primary, closed: forwardTarget(i) };
        return;
      case 'branch': {
        const when: BranchCondition = rng.pick<BranchCondition>([
          { known: true }, { inDebt: true }, { clientTypes: ['key'] }, { languages: ['en'] }, { variable: { name: 'digits', equals: '1' } },
        ]);
        nodes[id] = { type: 'branch', cases: [{ when, next: forwardTarget(i) }], otherwise: primary };
        return;
      }
      case 'set':
        nodes[id] = { type: 'set', variable: 'mark', value: id, next: primary };
        return;
      case 'callback':
        nodes[id] = {
          type: 'callback', prompts: prompts(), acceptKey: rng.pick(KEYS), timeoutMs: 3000,
          onAccepted: primary, onDeclined: anyTarget(), bargeIn: rng.chance(0.5),
        };
        return;
    }
  });
  const flow: FlowDocument = { schemaVersion: 1, name: 'random', languages: ['ru', 'en'], defaultLanguage: 'ru', start: 'n0', maxSteps: 150, nodes };
  // Only a terminal that no edge happened to pick can be unreachable; drop it.
  const reachable = reachableFrom(flow, 'n0');
  for (const id of TERMINALS) if (!reachable.has(id)) delete nodes[id];
  return flow;
}

const someClient: ClientFacts = {
  id: 1, name: 'C', type: 'key', managerId: 2, region: null, language: 'en', overdueDebt: 10, creditLimit: 0, balance: 0, overrideTarget: null,
};

/** Drives a run with a plausible but random caller and media server until it ends (or the budget runs out). */
function drive(session: FakeSession, rng: SeededRandom): { events: number; stalled: boolean } {
  session.answer();
  let events = 1;
  while (!isTerminalState(session.run.state) && events < 5000) {
    // Invariant: a live run always waits on something the session will report.
    if (session.playing === null && session.timer === null) return { events, stalled: true };
    const r = rng.next();
    if (r < 0.4 && session.playing !== null) session.finishPrompt();
    else if (r < 0.6 && session.timer !== null) session.fireTimer();
    else if (r < 0.9) session.press(rng.pick(KEYS));
    else if (r < 0.995) {
      // Late or duplicate reports from the media server must not move the run.
      const stale = rng.int(1, 60);
      if (stale !== session.playing && stale !== session.timer) {
        const out = session.send(rng.chance(0.5) ? { type: 'prompt_finished', playbackId: stale } : { type: 'timeout', timerId: stale });
        expect(out).toEqual([]);
      }
    } else session.send({ type: 'caller_hangup' });
    events++;
  }
  return { events, stalled: false };
}

describe('IVR executor on random valid flows (property)', () => {
  const SEEDS = 400;

  it(`always terminates, never stalls, leaks no timer or playback, and replays exactly (${SEEDS} seeds)`, () => {
    const endings: Record<string, number> = {};
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rng = new SeededRandom(seed);
      const flow = randomFlow(rng);
      const validation = validateFlow(flow, DEFAULT_PROMPTS);
      if (!validation.ok) throw new Error(`seed ${seed}: generated flow invalid: ${validation.errors.map(formatIssue).join('; ')}`);

      const context = { client: rng.chance(0.5) ? someClient : null };
      const session = new FakeSession(flow, context, { at: rng.chance(0.5) ? OPEN_AT : CLOSED_AT });
      const { stalled } = drive(session, rng);
      const where = `seed ${seed}, path ${session.run.path.map((p) => p.nodeId).join('>')}`;

      expect({ where, stalled }).toEqual({ where, stalled: false });
      expect({ where, state: session.run.state }).toEqual({ where, state: expect.stringMatching(/^(routed|ended)$/) });
      expect({ where, pending: session.run.hasPendingMedia }).toEqual({ where, pending: false });
      const outcome = session.run.outcome;
      const key = outcome?.kind === 'routed' ? `routed:${outcome.cause}` : (outcome?.kind ?? 'none');
      endings[key] = (endings[key] ?? 0) + 1;

      const replay = replayIvrRun(
        { flow, catalogue: DEFAULT_PROMPTS, context: { ...context, businessHours: DEFAULT_ROUTING_CONFIG.businessHours } },
        session.run.eventLog,
      );
      expect(replay.commands.flat()).toEqual(session.commands);
    }
    // The run-time step guard is a backstop, not the usual way out.
    expect(endings['routed:flow_error'] ?? 0).toBe(0);
    expect((endings['routed:flow'] ?? 0) + (endings.flow_hangup ?? 0)).toBeGreaterThan(SEEDS / 2);
  });
});
