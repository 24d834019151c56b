import { DEFAULT_FLOW } from '../../../src/ivr/default-flow';
import type { FlowDocument } from '../../../src/ivr/flow-document';
import { validateFlow } from '../../../src/ivr/flow-validator';
import { IvrRun } from '../../../src/ivr/ivr-run';
import type { PromptCatalogue } from '../../../src/ivr/prompt-catalogue';
import { variantChooser, type VariantChooser } from '../../../src/ivr/prompt-variants';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import type { ClientFacts } from '../../../src/routing/client-facts';
import { newCall } from '../calls/call-harness';
import { formatIssue } from '../../../src/routing/validation-result';
import { OPEN_AT } from './ivr-harness';

const entry = (id: string, language: string) => ({ id, language, text: `${id} (${language})` });
/** Three greetings in Russian, two of them also in English. */
const CATALOGUE: PromptCatalogue = [
  entry('greeting', 'ru'), entry('greeting', 'en'),
  entry('greeting_director', 'ru'), entry('greeting_director', 'en'),
  entry('greeting_operator', 'ru'),
  entry('goodbye', 'ru'), entry('goodbye', 'en'),
];

function flow(greeting: Record<string, unknown>): FlowDocument {
  return {
    schemaVersion: 1, name: 'main', languages: ['ru', 'en'], defaultLanguage: 'ru', start: 'greeting',
    nodes: { greeting: { type: 'play', prompts: ['greeting'], next: 'bye', ...greeting }, bye: { type: 'hangup' } },
  };
}
const ROTATING = flow({ variants: ['greeting', 'greeting_director', 'greeting_operator'] });

const client = (language: string) => ({ id: 1, name: 'C', type: 'market', managerId: null, region: null, language, overdueDebt: 0, creditLimit: 0, balance: 0, overrideTarget: null }) as ClientFacts;

/** What one call hears first, with the chooser a process keeps across calls. */
function heard(document: FlowDocument, chooser: VariantChooser, language = 'ru'): { promptId: string; variant: string | undefined } {
  const run = new IvrRun({ flow: document, catalogue: CATALOGUE, context: { client: client(language), businessHours: DEFAULT_ROUTING_CONFIG.businessHours }, clock: { now: () => OPEN_AT }, chooseVariant: chooser });
  const play = run.handle({ type: 'answered' }).find((c) => c.type === 'play');
  if (play?.type !== 'play') throw new Error('the greeting did not play');
  return { promptId: play.promptId, variant: run.path[0]?.variant };
}

describe('greetings that do not tire regular callers: a play node with variants', () => {
  it('in rotation, call after call hears the next variant of its language, round and round', () => {
    const chooser = variantChooser();
    expect([1, 2, 3, 4].map(() => heard(ROTATING, chooser).promptId)).toEqual(['greeting', 'greeting_director', 'greeting_operator', 'greeting']);
    // English has two of the three: its own turn, over its own variants.
    expect([1, 2, 3].map(() => heard(ROTATING, chooser, 'en').promptId)).toEqual(['greeting', 'greeting_director', 'greeting']);
  });

  it('at random, the injected source decides', () => {
    const draws = [0.99, 0.0, 0.5];
    const chooser = variantChooser(() => draws.shift() ?? 0);
    const random = flow({ variants: ['greeting', 'greeting_director', 'greeting_operator'], variantChoice: 'random' });
    expect([1, 2, 3].map(() => heard(random, chooser).promptId)).toEqual(['greeting_operator', 'greeting', 'greeting_director']);
  });

  it('the chosen variant is on the path step, and the call record keeps it on its path and its timeline', () => {
    const chooser = variantChooser();
    heard(ROTATING, chooser);
    const second = heard(ROTATING, chooser);
    expect(second).toEqual({ promptId: 'greeting_director', variant: 'greeting_director' });
    const { recorder } = newCall();
    recorder.answer();
    recorder.enterIvr({ version: 1, name: 'main' });
    recorder.ivrStep('greeting', undefined, undefined, second.variant);
    recorder.ivrStep('hours');
    expect(recorder.events.filter((e) => e.type === 'ivr_step').map((e) => e.data)).toEqual([{ nodeId: 'greeting', variant: 'greeting_director' }, { nodeId: 'hours' }]);
  });

  it("the variant stands in for its prompt only: the node's other prompts play around it", () => {
    const chooser = variantChooser();
    const withNotice = flow({ prompts: ['goodbye', 'greeting'], variants: ['greeting', 'greeting_director'] });
    heard(withNotice, chooser);
    const run = new IvrRun({ flow: withNotice, catalogue: CATALOGUE, context: { client: client('ru'), businessHours: DEFAULT_ROUTING_CONFIG.businessHours }, clock: { now: () => OPEN_AT }, chooseVariant: chooser });
    const first = run.handle({ type: 'answered' }).find((c) => c.type === 'play');
    expect(first).toMatchObject({ promptId: 'goodbye' });
    const second = run.handle({ type: 'prompt_finished', playbackId: first?.type === 'play' ? first.playbackId : -1 }).find((c) => c.type === 'play');
    expect(second).toMatchObject({ promptId: 'greeting_director' });
  });

  it('a node without variants plays its prompts, and records no variant', () => {
    expect(heard(flow({}), variantChooser())).toEqual({ promptId: 'greeting', variant: undefined });
  });

  it('the shipped flow stays valid; a dangling variant is refused by name; the variants must include the prompt they stand in for', () => {
    expect(validateFlow(ROTATING, CATALOGUE).ok).toBe(true);
    const problems = (document: FlowDocument): string[] => {
      const result = validateFlow(document, CATALOGUE);
      return result.ok ? [] : result.errors.map(formatIssue);
    };
    expect(problems(flow({ variants: ['greeting', 'greeting_ceo'] }))).toEqual([
      "nodes.greeting.variants[1]: unknown prompt 'greeting_ceo': a variant must be a prompt of the catalogue",
    ]);
    expect(problems(flow({ variants: ['greeting', 'greeting_operator'], prompts: ['goodbye'] }))).toEqual([
      'nodes.greeting.variants: must include the prompt they stand in for (one of prompts: goodbye)',
    ]);
    expect(problems(flow({ variantChoice: 'random' }))).toEqual(['nodes.greeting.variantChoice: variantChoice needs variants']);
    expect(problems(flow({ variants: ['greeting'], variantChoice: 'shuffle' }))[0]).toContain('variantChoice');
    expect(DEFAULT_FLOW.nodes.greeting).toBeDefined();
  });
});
