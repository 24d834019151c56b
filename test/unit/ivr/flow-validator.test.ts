import { DEFAULT_FLOW } from '../../../src/ivr/default-flow';
import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import { validateFlow } from '../../../src/ivr/flow-validator';
import type { PromptCatalogue } from '../../../src/ivr/prompt-catalogue';
import { formatIssue } from '../../../src/routing/validation-result';
import { edited, type JsonEditor } from '../routing/json-edit';

/** A copy of the default flow with edits applied. */
const mutate = (edit: (e: JsonEditor) => void): unknown => edited(DEFAULT_FLOW, edit);

function issuesOf(doc: unknown, catalogue: PromptCatalogue = DEFAULT_PROMPTS): string[] {
  const result = validateFlow(doc, catalogue);
  return result.ok ? [] : result.errors.map(formatIssue);
}

const withoutEnglishGoodbye = DEFAULT_PROMPTS.filter((p) => !(p.id === 'goodbye' && p.language === 'en'));

const corpus: Array<[name: string, doc: unknown, expected: string, catalogue?: PromptCatalogue]> = [
  ['dangling menu option', mutate((d) => d.set('nodes.main_menu.options.1', 'ordr')), "nodes.main_menu.options.1: unknown node 'ordr'"],
  ['dangling next', mutate((d) => d.set('nodes.greeting.next', 'hourz')), "nodes.greeting.next: unknown node 'hourz'"],
  ['dangling branch case', mutate((d) => d.set('nodes.check_debt.cases.0.next', 'debt')), "nodes.check_debt.cases[0].next: unknown node 'debt'"],
  ['unknown start node', mutate((d) => d.set('start', 'welcome')), "start: unknown node 'welcome'"],
  ['unknown prompt', mutate((d) => d.set('nodes.greeting.prompts', ['greting'])), "nodes.greeting.prompts[0]: unknown prompt 'greting'"],
  ['prompt missing in an enabled language', DEFAULT_FLOW, "nodes.goodbye.prompts[0]: prompt 'goodbye' has no 'en' version", withoutEnglishGoodbye],
  ['prompt missing in an added language', mutate((d) => d.set('languages', ['ru', 'en', 'pl'])), "nodes.greeting.prompts[0]: prompt 'greeting' has no 'pl' version"],
  ['menu without timeout branch', mutate((d) => d.remove('nodes.main_menu.onTimeout')), 'nodes.main_menu: menu has no onTimeout branch'],
  ['menu without invalid-input branch', mutate((d) => d.remove('nodes.main_menu.onInvalid')), 'nodes.main_menu: menu has no onInvalid branch'],
  ['menu without max-retries branch', mutate((d) => d.remove('nodes.enquiry_menu.onMaxRetries')), 'nodes.enquiry_menu: menu has no onMaxRetries branch'],
  ['menu without timeout', mutate((d) => d.remove('nodes.main_menu.timeoutMs')), 'nodes.main_menu: menu has no timeoutMs'],
  ['menu without options', mutate((d) => d.set('nodes.enquiry_menu.options', {})), 'nodes.enquiry_menu.options: menu has no options'],
  ['option that is not a key', mutate((d) => d.set('nodes.main_menu.options.x', 'route_order')), "nodes.main_menu.options.x: 'x' is not a key (0-9, *, #)"],
  [
    'collect with minLength above maxLength',
    mutate((d) => {
      d.set('nodes.account', {
        type: 'collect', prompts: ['enquiry_menu'], variable: 'account', minLength: 6, maxLength: 4, timeoutMs: 3000,
        maxRetries: 1, next: 'route_order', onTimeout: 'account', onInvalid: 'account', onMaxRetries: 'route_operator',
      });
      d.set('nodes.main_menu.options.7', 'account');
    }),
    'nodes.account.minLength: minLength (6) is above maxLength (4)',
  ],
  ['unreachable node', mutate((d) => d.set('nodes.orphan', { type: 'hangup' })), "nodes.orphan: unreachable from start 'greeting'"],
  [
    'loop with no exit',
    mutate((d) => {
      d.set('nodes.main_menu.options.8', 'loop_a');
      d.set('nodes.loop_a', { type: 'play', prompts: ['no_input'], next: 'loop_b' });
      d.set('nodes.loop_b', { type: 'play', prompts: ['invalid_choice'], next: 'loop_a' });
    }),
    'nodes.loop_a: loop with no exit: no path from here reaches a route or hangup node',
  ],
  [
    'loop that plays nothing and waits for nothing',
    mutate((d) => {
      d.set('nodes.main_menu.options.8', 'spin');
      d.set('nodes.spin', { type: 'set', variable: 'x', value: '1', next: 'spin_check' });
      d.set('nodes.spin_check', { type: 'branch', cases: [{ when: { variable: { name: 'x', equals: '2' } }, next: 'route_operator' }], otherwise: 'spin' });
    }),
    "nodes.spin: loop 'spin' → 'spin_check' → 'spin' plays nothing and waits for nothing",
  ],
  ['default language not enabled', mutate((d) => d.set('defaultLanguage', 'de')), "defaultLanguage: 'de' is not one of languages (ru, en)"],
  ['callback accept key not a key', mutate((d) => d.set('nodes.callback_offer.acceptKey', 'A')), `nodes.callback_offer.acceptKey: expected string to match '^[0-9*#]$'; got "A"`],
  [
    'schema: unknown node type',
    mutate((d) => d.set('nodes.greeting.type', 'speak')),
    'nodes.greeting.type: unknown type "speak"; expected one of play, menu, collect, business_hours, branch, set, route, callback, hangup',
  ],
  ['schema: play without next', mutate((d) => d.remove('nodes.greeting.next')), 'nodes.greeting.next: is required'],
  ['schema: unknown route intent', mutate((d) => d.set('nodes.route_order.intent', 'buy')), 'nodes.route_order.intent: expected one of order, enquiry, other, operator, complaint, second_line; got "buy"'],
  ['schema: misspelt field', mutate((d) => d.set('nodes.goodbye.nxt', 'hang_up')), 'nodes.goodbye.nxt: is not an allowed property'],
];

describe('IVR flow validator', () => {
  // Every row gets an explicit catalogue: jest would pass its done callback in a missing 4th column.
  it.each(corpus.map(([name, doc, expected, catalogue]) => [name, doc, expected, catalogue ?? DEFAULT_PROMPTS] as const))(
    'refuses %s',
    (_name, doc, expected, catalogue) => {
      expect(issuesOf(doc, catalogue)).toContain(expected);
    },
  );

  it('accepts the default flow', () => {
    expect(issuesOf(DEFAULT_FLOW)).toEqual([]);
  });

  it('ships every default prompt in English and Russian', () => {
    const ids = [...new Set(DEFAULT_PROMPTS.map((p) => p.id))];
    for (const id of ids) {
      expect(DEFAULT_PROMPTS.filter((p) => p.id === id).map((p) => p.language).sort()).toEqual(['en', 'ru']);
    }
  });
});
