import { DEFAULT_FLOW } from '../../../src/ivr/default-flow';
import { DEFAULT_PROMPTS } from '../../../src/ivr/default-prompts';
import type { FlowDocument } from '../../../src/ivr/flow-document';
import { replayIvrRun } from '../../../src/ivr/ivr-run';
import { IVR_TRANSITIONS } from '../../../src/ivr/ivr-state';
import { validateFlow } from '../../../src/ivr/flow-validator';
import type { ClientFacts } from '../../../src/routing/client-facts';
import { DEFAULT_ROUTING_CONFIG } from '../../../src/routing/default-routing-config';
import { CLOSED_AT, FakeSession } from './ivr-harness';
import { deepFreeze, isDeepFrozen } from '../../../src/platform/deep-freeze';

const debtor: ClientFacts = {
  id: 7,
  name: 'Romashka',
  type: 'market',
  managerId: 4,
  region: null,
  language: 'en',
  overdueDebt: 1200,
  creditLimit: 0,
  balance: 0,
  overrideTarget: null,
};

/** Answer, let the greeting play, and arrive at the main menu's digit timer. */
function atMainMenu(session: FakeSession): void {
  session.answer();
  session.finishPrompts();
  expect(session.run.state).toBe('awaiting_input');
}

describe('IVR run on the default flow', () => {
  it('the default flow is valid', () => {
    const result = validateFlow(DEFAULT_FLOW, DEFAULT_PROMPTS);
    expect(result.ok).toBe(true);
  });

  it('greeting → menu → 1 routes an order, with the path and prompts played', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    expect(s.answer()).toEqual([expect.objectContaining({ type: 'play', promptId: 'greeting', language: 'ru', audioFile: 'ru/greeting.wav' })]);
    expect(s.finishPrompt()).toEqual([expect.objectContaining({ type: 'play', promptId: 'main_menu' })]);
    expect(s.finishPrompt()).toEqual([expect.objectContaining({ type: 'start_timer', ms: 6000 })]);
    const out = s.press('1');
    expect(out).toEqual([
      expect.objectContaining({ type: 'cancel_timer' }),
      {
        type: 'route',
        choice: { intent: 'order' },
        cause: 'flow',
        language: 'ru',
        variables: {},
        announcementsPlayed: ['greeting', 'main_menu'],
        path: ['greeting', 'hours', 'main_menu', 'check_debt', 'route_order'],
      },
    ]);
    expect(s.run.state).toBe('routed');
    expect(s.run.outcome).toEqual({ kind: 'routed', choice: { intent: 'order' }, cause: 'flow' });
    expect(s.run.hasPendingMedia).toBe(false);
  });

  it.each([
    ['2', '1', { intent: 'enquiry', topic: 'price' }],
    ['2', '2', { intent: 'enquiry', topic: 'assortment' }],
    ['2', '3', { intent: 'enquiry', topic: 'delivery' }],
    ['3', '', { intent: 'other' }],
    ['4', '', { intent: 'complaint' }],
    ['5', '', { intent: 'second_line' }],
    ['0', '', { intent: 'operator' }],
  ])('menu %s then %s routes %j', (first, second, choice) => {
    const s = new FakeSession(DEFAULT_FLOW);
    atMainMenu(s);
    s.press(first);
    if (second) {
      s.finishPrompts();
      s.press(second);
    }
    expect(s.last).toMatchObject({ type: 'route', choice });
  });

  it('plays prompts in the client’s language', () => {
    const s = new FakeSession(DEFAULT_FLOW, { client: { ...debtor, overdueDebt: 0 } });
    s.answer();
    expect(s.commands[0]).toMatchObject({ promptId: 'greeting', language: 'en', audioFile: 'en/greeting.wav' });
  });

  it('falls back to the default language for a language the flow lacks', () => {
    const s = new FakeSession(DEFAULT_FLOW, { client: { ...debtor, language: 'ro' } });
    s.answer();
    expect(s.commands[0]).toMatchObject({ language: 'ru' });
  });

  it('debtor choosing order hears the debt notice, which cannot be skipped, then is routed', () => {
    const s = new FakeSession(DEFAULT_FLOW, { client: debtor });
    atMainMenu(s);
    expect(s.press('1')).toEqual([
      expect.objectContaining({ type: 'cancel_timer' }),
      expect.objectContaining({ type: 'play', promptId: 'debt_notice', language: 'en' }),
    ]);
    expect(s.press('0')).toEqual([]); // bargeIn false: keys during the notice are dropped
    s.finishPrompt();
    expect(s.last).toMatchObject({ type: 'route', choice: { intent: 'order' }, announcementsPlayed: ['greeting', 'main_menu', 'debt_notice'] });
  });

  it('timeouts retry with the no-input prompt, then go to an operator after maxRetries', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    atMainMenu(s);
    s.fireTimer(); // failure 1 → no_input → menu again
    s.finishPrompts();
    s.fireTimer(); // failure 2
    s.finishPrompts();
    expect(s.prompts).toEqual(['greeting', 'main_menu', 'no_input', 'main_menu', 'no_input', 'main_menu']);
    s.fireTimer(); // failure 3 > maxRetries 2
    expect(s.last).toMatchObject({ type: 'route', choice: { intent: 'operator' }, cause: 'flow' });
  });

  it('invalid keys retry with the invalid prompt; a valid key resets the count', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    atMainMenu(s);
    s.press('9');
    expect(s.last).toMatchObject({ type: 'play', promptId: 'invalid_choice' });
    s.finishPrompts();
    s.press('2'); // valid: into the enquiry menu
    s.finishPrompts();
    s.press('7'); // invalid in the enquiry menu (maxRetries 1) → replay
    s.finishPrompts();
    s.press('8'); // second failure → onMaxRetries: route_enquiry
    expect(s.last).toMatchObject({ type: 'route', choice: { intent: 'enquiry' } });
  });

  it('mixes timeouts and invalid keys in one retry count', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    atMainMenu(s);
    s.press('9');
    s.finishPrompts();
    s.fireTimer();
    s.finishPrompts();
    s.press('#');
    expect(s.last).toMatchObject({ type: 'route', choice: { intent: 'operator' } });
  });

  it('barge-in: a key during the menu prompt stops it and counts at once', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    s.answer();
    s.finishPrompt(); // greeting done, main_menu playing
    const playing = s.playing;
    const out = s.press('3');
    expect(out[0]).toEqual({ type: 'stop_playback', playbackId: playing });
    expect(out[1]).toMatchObject({ type: 'route', choice: { intent: 'other' } });
    expect(s.run.hasPendingMedia).toBe(false);
  });

  it('barge-in: keys typed during the greeting are carried into the menus (type-ahead)', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    s.answer();
    s.press('2');
    s.press('3');
    expect(s.last).toMatchObject({ type: 'route', choice: { intent: 'enquiry', topic: 'delivery' } });
    // '2' skipped the main menu prompt; '3' then barged into the enquiry menu's prompt.
    expect(s.prompts).toEqual(['greeting', 'enquiry_menu']);
    expect(s.commands.filter((c) => c.type === 'start_timer')).toEqual([]);
  });

  it('ignores a late prompt_finished for a prompt that was stopped', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    s.answer();
    s.finishPrompt();
    const stale = s.playing as number;
    s.press('9'); // barge-in, invalid → invalid_choice playing
    expect(s.run.handle({ type: 'prompt_finished', playbackId: stale })).toEqual([]);
    expect(s.run.handle({ type: 'timeout', timerId: 999 })).toEqual([]);
    expect(s.last).toMatchObject({ type: 'play', promptId: 'invalid_choice' });
  });

  it('after hours: message, callback offer, 1 registers the callback and hangs up politely', () => {
    const s = new FakeSession(DEFAULT_FLOW, {}, { at: CLOSED_AT });
    s.answer();
    s.finishPrompt(); // greeting
    expect(s.prompts).toEqual(['greeting', 'after_hours']);
    s.finishPrompts(); // the message, the opening hours said from the schedule, the callback offer → timer
    expect(s.prompts.at(-1)).toBe('callback_offer');
    expect(s.run.state).toBe('awaiting_input');
    s.press('1');
    expect(s.commands.filter((c) => c.type === 'request_callback')).toEqual([{ type: 'request_callback', language: 'ru', variables: {} }]);
    s.finishPrompts(); // callback_confirmed
    expect(s.last).toEqual({ type: 'hangup' });
    expect(s.run.outcome).toEqual({ kind: 'flow_hangup', callbackRequested: true });
  });

  it('after hours: silence declines the callback and says goodbye', () => {
    const s = new FakeSession(DEFAULT_FLOW, {}, { at: CLOSED_AT });
    s.answer();
    s.finishPrompts(); // greeting, after-hours message, callback offer
    expect(s.prompts.filter((id) => !id.startsWith('hours_'))).toEqual(['greeting', 'after_hours', 'callback_offer']);
    s.fireTimer();
    expect(s.last).toMatchObject({ type: 'play', promptId: 'goodbye' });
    s.finishPrompts();
    expect(s.run.outcome).toEqual({ kind: 'flow_hangup', callbackRequested: false });
  });

  it('caller hang-up mid-prompt stops playback; later events are ignored', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    s.answer();
    const out = s.send({ type: 'caller_hangup' });
    expect(out).toEqual([{ type: 'stop_playback', playbackId: 1 }]);
    expect(s.run.state).toBe('ended');
    expect(s.run.outcome).toEqual({ kind: 'caller_hangup' });
    expect(s.run.handle({ type: 'digit', digit: '1' })).toEqual([]);
    expect(s.run.hasPendingMedia).toBe(false);
  });

  it('caller hang-up while waiting for a key cancels the timer', () => {
    const s = new FakeSession(DEFAULT_FLOW);
    atMainMenu(s);
    const timerId = s.timer as number;
    expect(s.send({ type: 'caller_hangup' })).toEqual([{ type: 'cancel_timer', timerId }]);
    expect(s.run.hasPendingMedia).toBe(false);
  });

  it('only uses transitions from the table', () => {
    const states = Object.keys(IVR_TRANSITIONS);
    expect(states).toEqual(['idle', 'playing', 'awaiting_input', 'routed', 'ended']);
    expect(IVR_TRANSITIONS.routed).toEqual([]);
    expect(IVR_TRANSITIONS.ended).toEqual([]);
  });
});

const collectFlow: FlowDocument = {
  schemaVersion: 1,
  name: 'account',
  languages: ['en'],
  defaultLanguage: 'en',
  start: 'ask',
  nodes: {
    ask: {
      type: 'collect',
      prompts: ['enquiry_menu'],
      variable: 'account',
      minLength: 3,
      maxLength: 6,
      terminator: '#',
      timeoutMs: 4000,
      maxRetries: 1,
      next: 'done',
      onTimeout: 'ask',
      onInvalid: 'sorry',
      onMaxRetries: 'operator',
    },
    sorry: { type: 'play', prompts: ['invalid_choice'], next: 'ask' },
    done: { type: 'route', intent: 'order' },
    operator: { type: 'route', intent: 'operator' },
  },
};

describe('IVR collect node', () => {
  it('is a valid flow', () => {
    expect(validateFlow(collectFlow, DEFAULT_PROMPTS).ok).toBe(true);
  });

  it('stores digits up to the terminator; each digit restarts the inter-digit timer', () => {
    const s = new FakeSession(collectFlow);
    s.answer();
    s.finishPrompts();
    const out = s.press('12');
    expect(out.map((c) => c.type)).toEqual(['cancel_timer', 'start_timer', 'cancel_timer', 'start_timer']);
    s.press('34#');
    expect(s.last).toMatchObject({ type: 'route', variables: { account: '1234' } });
  });

  it('completes at maxLength without a terminator', () => {
    const s = new FakeSession(collectFlow);
    s.answer();
    s.press('123456'); // barge-in over the prompt
    expect(s.last).toMatchObject({ type: 'route', variables: { account: '123456' } });
  });

  it('a timeout with enough digits completes; with too few it retries, then gives up', () => {
    const enough = new FakeSession(collectFlow);
    enough.answer();
    enough.finishPrompts();
    enough.press('123');
    enough.fireTimer();
    expect(enough.last).toMatchObject({ type: 'route', variables: { account: '123' } });

    const few = new FakeSession(collectFlow);
    few.answer();
    few.finishPrompts();
    few.press('1');
    few.fireTimer(); // too short → onTimeout: ask again
    few.finishPrompts();
    few.press('2#'); // too short at the terminator → failure 2 → onMaxRetries
    expect(few.last).toMatchObject({ type: 'route', choice: { intent: 'operator' } });
  });
});

describe('IVR run guards', () => {
  it('stops a loop the validator cannot see at maxSteps and hands the caller to an operator', () => {
    // The branch never takes its exit at run time (no client), so the play loop spins.
    const looping: FlowDocument = {
      schemaVersion: 1,
      name: 'loop',
      languages: ['en'],
      defaultLanguage: 'en',
      start: 'again',
      maxSteps: 10,
      nodes: {
        again: { type: 'play', prompts: ['no_input'], next: 'check', bargeIn: false },
        check: { type: 'branch', cases: [{ when: { known: true }, next: 'out' }], otherwise: 'again' },
        out: { type: 'route', intent: 'order' },
      },
    };
    expect(validateFlow(looping, DEFAULT_PROMPTS).ok).toBe(true);
    const s = new FakeSession(looping);
    s.answer();
    for (let i = 0; i < 20 && s.run.state === 'playing'; i++) s.finishPrompt();
    expect(s.last).toMatchObject({ type: 'route', choice: { intent: 'operator' }, cause: 'step_limit' });
    expect(s.run.path).toHaveLength(10);
  });

  it('routes to an operator instead of failing when the flow names a missing node', () => {
    const broken = { ...collectFlow, start: 'nowhere' } as FlowDocument;
    const s = new FakeSession(broken);
    expect(s.answer()).toEqual([expect.objectContaining({ type: 'route', cause: 'flow_error', choice: { intent: 'operator' } })]);
  });
});

describe('IVR replay and versions', () => {
  it('replaying the event log gives exactly the same commands', () => {
    const s = new FakeSession(DEFAULT_FLOW, { client: debtor });
    atMainMenu(s);
    s.press('9');
    s.finishPrompts();
    s.fireTimer();
    s.finishPrompts();
    s.press('1');
    s.finishPrompts();
    expect(s.run.state).toBe('routed');

    const replayed = replayIvrRun(
      { flow: DEFAULT_FLOW, catalogue: DEFAULT_PROMPTS, context: { client: debtor, businessHours: DEFAULT_ROUTING_CONFIG.businessHours } },
      s.run.eventLog,
    );
    expect(replayed.commands.flat()).toEqual(s.commands);
    expect(replayed.run.path).toEqual(s.run.path);
    expect(replayed.run.outcome).toEqual(s.run.outcome);
  });

  it('replays the business-hours decision at the logged time, not at replay time', () => {
    const s = new FakeSession(DEFAULT_FLOW, {}, { at: CLOSED_AT });
    s.answer();
    s.finishPrompts();
    const replayed = replayIvrRun(
      { flow: DEFAULT_FLOW, catalogue: DEFAULT_PROMPTS, context: { client: null, businessHours: DEFAULT_ROUTING_CONFIG.businessHours } },
      s.run.eventLog,
    );
    expect(replayed.commands.flat()).toEqual(s.commands);
    expect(replayed.run.path.map((p) => p.nodeId)).toContain('after_hours');
  });

  it('a call started on version A finishes on A while a new call takes version B', () => {
    const versionA = structuredClone(DEFAULT_FLOW);
    const callOnA = new FakeSession(versionA);
    atMainMenu(callOnA);

    // Version B is published: key 3 now routes to an operator. The admin edits
    // and saves the same object the old version came from, the worst case.
    const versionB = versionA;
    const menu = versionB.nodes.main_menu;
    if (menu?.type !== 'menu') throw new Error('main_menu is a menu');
    menu.options['3'] = 'route_operator';
    const callOnB = new FakeSession(versionB);
    atMainMenu(callOnB);

    callOnA.press('3');
    callOnB.press('3');
    expect(callOnA.last).toMatchObject({ type: 'route', choice: { intent: 'other' } });
    expect(callOnB.last).toMatchObject({ type: 'route', choice: { intent: 'operator' } });
    expect(Object.isFrozen(callOnA.run.document)).toBe(true);
  });
});

describe('IvrRun and the shared, frozen flow', () => {
  it('a run over a deeply frozen flow and catalogue (as the caches serve them) takes them as they are and behaves as over a copy', () => {
    const shared = deepFreeze(structuredClone(DEFAULT_FLOW));
    const prompts = deepFreeze(structuredClone(DEFAULT_PROMPTS));
    const first = new FakeSession(shared, {}, { catalogue: prompts });
    const second = new FakeSession(shared, {}, { catalogue: prompts });
    expect(first.run.document).toBe(shared);
    expect(second.run.document).toBe(shared);
    const overCopy = new FakeSession(structuredClone(DEFAULT_FLOW));
    atMainMenu(first);
    atMainMenu(overCopy);
    first.press('3');
    overCopy.press('3');
    expect(first.last).toEqual(overCopy.last);
    expect(first.run.path.map((p) => p.nodeId)).toEqual(overCopy.run.path.map((p) => p.nodeId));
  });

  it('a flow that can still change is copied: the run keeps what it started on', () => {
    const editable = structuredClone(DEFAULT_FLOW);
    const run = new FakeSession(editable).run;
    expect(run.document).not.toBe(editable);
    expect(isDeepFrozen(run.document)).toBe(true);
  });
});
