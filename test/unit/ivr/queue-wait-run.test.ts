import { QueueWaitRun, type QueueWaitCommand, type QueueWaitSettings } from '../../../src/ivr/queue-wait-run';

/** Started (music), and the first interval passed: the ACD is asked where the caller is. */
function startAndAsk(r: QueueWaitRun): void {
  const first = timerOf(r.handle({ type: 'started' }));
  r.handle({ type: 'timeout', timerId: first.timerId });
}

const SETTINGS: QueueWaitSettings = { announceEveryMs: 30_000, callbackKey: '1', messageKey: null };

function run(options: { settings?: Partial<QueueWaitSettings>; language?: string; callerNumber?: string | null } = {}): QueueWaitRun {
  return new QueueWaitRun({
    settings: { ...SETTINGS, ...options.settings },
    language: options.language ?? 'en',
    callerNumber: options.callerNumber === undefined ? '+74951234567' : options.callerNumber,
  });
}

function played(commands: QueueWaitCommand[]): { playbackId: number; promptIds: readonly string[] } {
  const play = commands.find((c): c is Extract<QueueWaitCommand, { type: 'play' }> => c.type === 'play');
  if (!play) throw new Error(`nothing played: ${JSON.stringify(commands)}`);
  return play;
}

function timerOf(commands: QueueWaitCommand[]): { timerId: number; ms: number } {
  const timer = commands.find((c): c is Extract<QueueWaitCommand, { type: 'start_timer' }> => c.type === 'start_timer');
  if (!timer) throw new Error(`no timer: ${JSON.stringify(commands)}`);
  return timer;
}

/** Started, first announcement played and finished: the caller hears music, the next announcement is armed. */
function waitingWithMusic(r: QueueWaitRun): { timerId: number } {
  startAndAsk(r);
  const announcement = played(r.handle({ type: 'position', position: 3, estimatedWaitMs: 120_000 }));
  return timerOf(r.handle({ type: 'announcement_done', playbackId: announcement.playbackId }));
}

describe('QueueWaitRun: announcements', () => {
  it('starts the music, asks the ACD where the caller is after one interval, then says place, wait and the callback key', () => {
    const r = run();
    const start = r.handle({ type: 'started' });
    expect(start).toEqual([{ type: 'music' }, { type: 'start_timer', timerId: expect.any(Number), ms: 30_000 }]);
    expect(r.handle({ type: 'timeout', timerId: timerOf(start).timerId })).toEqual([{ type: 'ask_position' }]);
    expect(played(r.handle({ type: 'position', position: 3, estimatedWaitMs: 125_000 })).promptIds).toEqual([
      'queue_position', 'num_3', 'queue_wait_about', 'num_3', 'queue_minutes_many', 'queue_press_for_callback', 'num_1',
    ]);
  });

  it('says "unknown" honestly when the ACD has no estimate, and under a minute / over an hour at the ends', () => {
    const pieces = (wait: number | 'unknown'): readonly string[] => {
      const r = run();
      startAndAsk(r);
      return played(r.handle({ type: 'position', position: 1, estimatedWaitMs: wait })).promptIds;
    };
    expect(pieces('unknown')).toEqual(['queue_position', 'num_1', 'queue_wait_unknown', 'queue_press_for_callback', 'num_1']);
    expect(pieces(20_000)).toContain('queue_wait_under_minute');
    expect(pieces(3 * 3_600_000)).toContain('queue_wait_over_hour');
  });

  it('agrees minutes in Russian: 1 одна минута, 2 две минуты, 21 двадцать одна минута', () => {
    const pieces = (minutes: number): readonly string[] => {
      const r = run({ language: 'ru' });
      startAndAsk(r);
      return played(r.handle({ type: 'position', position: 2, estimatedWaitMs: minutes * 60_000 })).promptIds;
    };
    expect(pieces(1).slice(2, 5)).toEqual(['queue_wait_about', 'num_1_f', 'queue_minutes_one']);
    expect(pieces(2).slice(2, 5)).toEqual(['queue_wait_about', 'num_2_f', 'queue_minutes_few']);
    expect(pieces(21).slice(2, 6)).toEqual(['queue_wait_about', 'num_20', 'num_1_f', 'queue_minutes_one']);
  });

  it('repeats at the queue interval: music after each announcement, then the ACD asked again when the timer fires', () => {
    const r = run({ settings: { announceEveryMs: 45_000 } });
    startAndAsk(r);
    const first = played(r.handle({ type: 'position', position: 4, estimatedWaitMs: 'unknown' }));
    const after = r.handle({ type: 'announcement_done', playbackId: first.playbackId });
    expect(after[0]).toEqual({ type: 'music' });
    const timer = timerOf(after);
    expect(timer.ms).toBe(45_000);
    expect(r.state).toBe('music');
    expect(r.handle({ type: 'timeout', timerId: timer.timerId })).toEqual([{ type: 'ask_position' }]);
    expect(played(r.handle({ type: 'position', position: 2, estimatedWaitMs: 'unknown' })).promptIds.slice(0, 2)).toEqual(['queue_position', 'num_2']);
    expect(r.announcements).toBe(2);
  });

  it('says nothing when the caller is no longer in line (an agent is being rung), and tries again at the next interval', () => {
    const r = run();
    startAndAsk(r);
    const commands = r.handle({ type: 'position', position: null, estimatedWaitMs: 'unknown' });
    expect(commands.some((c) => c.type === 'play')).toBe(false);
    expect(timerOf(commands).ms).toBe(30_000);
  });

  it('with announcements off, says the options once and then only music', () => {
    const r = run({ settings: { announceEveryMs: 0 } });
    const start = r.handle({ type: 'started' });
    expect(start[0]).toEqual({ type: 'music' });
    expect(played(start).promptIds).toEqual(['queue_press_for_callback', 'num_1']);
    expect(r.handle({ type: 'announcement_done', playbackId: played(start).playbackId })).toEqual([{ type: 'music' }]);
    const silent = run({ settings: { announceEveryMs: 0, callbackKey: null } });
    expect(silent.handle({ type: 'started' })).toEqual([{ type: 'music' }]);
  });

  it('ignores a late announcement_done of a stopped announcement and a timer cancelled meanwhile', () => {
    const r = run();
    startAndAsk(r);
    const first = played(r.handle({ type: 'position', position: 2, estimatedWaitMs: 'unknown' }));
    r.handle({ type: 'digit', digit: '1' });
    expect(r.handle({ type: 'announcement_done', playbackId: first.playbackId })).toEqual([]);
    expect(r.state).toBe('confirming_number');
  });

  it('says "many ahead" past 99 rather than a number it has no words for', () => {
    const r = run();
    startAndAsk(r);
    expect(played(r.handle({ type: 'position', position: 150, estimatedWaitMs: 'unknown' })).promptIds[0]).toBe('queue_position_many');
  });

  it('refuses keys that are not one digit, or the same key for both options', () => {
    expect(() => run({ settings: { callbackKey: '#' } })).toThrow(RangeError);
    expect(() => run({ settings: { callbackKey: '2', messageKey: '2' } })).toThrow(RangeError);
  });
});

describe('QueueWaitRun: barge-in and the callback at the caller’s place', () => {
  it('the callback key stops the announcement at once and offers the caller’s own number', () => {
    const r = run({ callerNumber: '+7495' });
    startAndAsk(r);
    const announcement = played(r.handle({ type: 'position', position: 5, estimatedWaitMs: 'unknown' }));
    const commands = r.handle({ type: 'digit', digit: '1' });
    expect(commands[0]).toEqual({ type: 'stop_playback', playbackId: announcement.playbackId });
    expect(played(commands).promptIds).toEqual(['callback_number_is', 'num_7', 'num_4', 'num_9', 'num_5', 'callback_confirm_or_enter']);
  });

  it('1 confirms the own number: the ACD is asked for a callback on it; accepted, the caller is thanked and the call ends', () => {
    const r = run({ callerNumber: '+74951234567' });
    waitingWithMusic(r);
    const offer = played(r.handle({ type: 'digit', digit: '1' }));
    const request = r.handle({ type: 'digit', digit: '1' });
    expect(request).toContainEqual({ type: 'stop_playback', playbackId: offer.playbackId });
    expect(request).toContainEqual({ type: 'request_callback', number: '+74951234567' });
    // The announcement timer is cancelled: nothing is said over the confirmation.
    expect(request.some((c) => c.type === 'cancel_timer')).toBe(true);
    const thanks = played(r.handle({ type: 'callback_result', accepted: true }));
    expect(thanks.promptIds).toEqual(['callback_kept_place', 'goodbye']);
    expect(r.handle({ type: 'announcement_done', playbackId: thanks.playbackId })).toEqual([{ type: 'hang_up' }]);
    expect(r.state).toBe('done');
    expect(r.callbackNumber).toBe('+74951234567');
  });

  it('another number typed over the offer and ended with # is the one called back', () => {
    const r = run();
    waitingWithMusic(r);
    r.handle({ type: 'digit', digit: '1' });
    for (const d of '8916555') r.handle({ type: 'digit', digit: d });
    expect(r.handle({ type: 'digit', digit: '#' })).toContainEqual({ type: 'request_callback', number: '8916555' });
  });

  it('an unknown caller is asked to enter a number; too short is refused and asked again', () => {
    const r = run({ callerNumber: null });
    waitingWithMusic(r);
    expect(played(r.handle({ type: 'digit', digit: '1' })).promptIds).toEqual(['callback_enter_number']);
    r.handle({ type: 'digit', digit: '5' });
    expect(played(r.handle({ type: 'digit', digit: '#' })).promptIds).toEqual(['invalid_choice', 'callback_enter_number']);
    for (const d of '1234') r.handle({ type: 'digit', digit: d });
    expect(r.handle({ type: 'digit', digit: '#' })).toContainEqual({ type: 'request_callback', number: '1234' });
  });

  it('star, or no key for the input time, goes back to the music and the announcements', () => {
    const r = run();
    waitingWithMusic(r);
    r.handle({ type: 'digit', digit: '1' });
    const back = r.handle({ type: 'digit', digit: '*' });
    expect(back).toContainEqual({ type: 'music' });
    expect(timerOf(back).ms).toBe(30_000);
    expect(r.state).toBe('music');

    const idle = run({ callerNumber: null });
    waitingWithMusic(idle);
    const offer = played(idle.handle({ type: 'digit', digit: '1' }));
    const input = timerOf(idle.handle({ type: 'announcement_done', playbackId: offer.playbackId }));
    expect(input.ms).toBe(10_000);
    expect(idle.handle({ type: 'timeout', timerId: input.timerId })).toContainEqual({ type: 'music' });
    expect(idle.state).toBe('music');
  });

  it('a refused request (the caller is being put through) leaves the caller waiting, told so', () => {
    const r = run();
    waitingWithMusic(r);
    r.handle({ type: 'digit', digit: '1' });
    r.handle({ type: 'digit', digit: '1' });
    const sorry = played(r.handle({ type: 'callback_result', accepted: false }));
    expect(sorry.promptIds).toEqual(['callback_failed']);
    expect(r.handle({ type: 'announcement_done', playbackId: sorry.playbackId })[0]).toEqual({ type: 'music' });
    expect(r.callbackNumber).toBeNull();
  });

  it('the announcement timer firing while the caller types a number does not talk over them', () => {
    const r = run({ callerNumber: null });
    const { timerId } = waitingWithMusic(r);
    r.handle({ type: 'digit', digit: '1' });
    r.handle({ type: 'digit', digit: '4' });
    expect(r.handle({ type: 'timeout', timerId })).toEqual([]);
  });

  it('other keys are ignored; the message key hands over to the recorder when offered', () => {
    const r = run({ settings: { messageKey: '2' } });
    startAndAsk(r);
    const announcement = played(r.handle({ type: 'position', position: 1, estimatedWaitMs: 'unknown' }));
    expect(announcement.promptIds.slice(-4)).toEqual(['queue_press_for_callback', 'num_1', 'queue_press_for_message', 'num_2']);
    expect(r.handle({ type: 'digit', digit: '7' })).toEqual([]);
    expect(r.handle({ type: 'digit', digit: '2' })).toEqual([{ type: 'stop_playback', playbackId: announcement.playbackId }, { type: 'leave_message' }]);
    expect(r.state).toBe('done');
  });

  it('once the caller left the queue (agent, overflow, hang-up) every timer is cancelled and nothing more happens', () => {
    const r = run();
    const { timerId } = waitingWithMusic(r);
    expect(r.handle({ type: 'left_queue' })).toEqual([{ type: 'cancel_timer', timerId }]);
    expect(r.handle({ type: 'digit', digit: '1' })).toEqual([]);
    expect(r.handle({ type: 'timeout', timerId })).toEqual([]);
  });
});
