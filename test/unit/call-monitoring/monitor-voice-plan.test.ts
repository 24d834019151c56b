import { afterStep, arrangementFor, LISTEN_ONLY, voiceDeviceProblem, voiceSteps, type VoiceArrangement, type VoiceStep } from '../../../src/call-monitoring/monitor-voice-plan';
import { MONITOR_MODES } from '../../../src/call-monitoring/monitor-mode';

/** Carries the steps out on an arrangement, counting coach calls as the SIP side does. */
function walk(from: VoiceArrangement, steps: VoiceStep[]): { arrangement: VoiceArrangement; coachCalls: number; maxCoachCalls: number } {
  let arrangement = from;
  let coachCalls = from.coach ? 1 : 0;
  let maxCoachCalls = coachCalls;
  for (const step of steps) {
    if (step === 'place-coach-talk' || step === 'place-coach-mix') coachCalls += 1;
    if (step === 'end-coach') coachCalls -= 1;
    maxCoachCalls = Math.max(maxCoachCalls, coachCalls);
    arrangement = afterStep(arrangement, step, coachCalls);
  }
  return { arrangement, coachCalls, maxCoachCalls };
}

describe('the supervisor\'s voice in each monitoring mode (issue 18)', () => {
  it('listen carries no voice; whisper reaches the agent only; barge goes through the mixer to both', () => {
    expect(arrangementFor('listen')).toEqual(LISTEN_ONLY);
    expect(arrangementFor('whisper')).toEqual({ talk: true, bridge: false, coach: 'talk' });
    expect(arrangementFor('barge')).toEqual({ talk: true, bridge: true, coach: 'mix' });
  });

  it('plans each change in an order nobody hears wrongly', () => {
    expect(voiceSteps(arrangementFor('listen'), arrangementFor('whisper'))).toEqual(['place-talk', 'place-coach-talk']);
    expect(voiceSteps(arrangementFor('listen'), arrangementFor('barge'))).toEqual(['place-talk', 'start-bridge', 'place-coach-mix']);
    // The new coach call is up before the old one goes: the agent is never cut off the supervisor.
    expect(voiceSteps(arrangementFor('whisper'), arrangementFor('barge'))).toEqual(['start-bridge', 'place-coach-mix', 'end-coach']);
    // The caller is paired with the agent again before the agent's coach call carries the supervisor alone.
    expect(voiceSteps(arrangementFor('barge'), arrangementFor('whisper'))).toEqual(['end-bridge', 'place-coach-talk', 'end-coach']);
    expect(voiceSteps(arrangementFor('barge'), arrangementFor('listen'))).toEqual(['end-coach', 'end-bridge', 'end-talk']);
    expect(voiceSteps(arrangementFor('whisper'), arrangementFor('listen'))).toEqual(['end-coach', 'end-talk']);
  });

  it('every plan between any two modes reaches the target, from any half-done arrangement too, with at most two coach calls at once', () => {
    const halfDone: VoiceArrangement[] = [
      { talk: true, bridge: false, coach: null },
      { talk: true, bridge: true, coach: null },
      { talk: true, bridge: true, coach: 'talk' },
    ];
    const starts = [...MONITOR_MODES.map(arrangementFor), ...halfDone];
    for (const from of starts) {
      for (const mode of MONITOR_MODES) {
        const target = arrangementFor(mode);
        const steps = voiceSteps(from, target);
        const result = walk(from, steps);
        expect({ from, mode, reached: result.arrangement }).toEqual({ from, mode, reached: target });
        expect(result.coachCalls).toBe(target.coach ? 1 : 0);
        expect(result.maxCoachCalls).toBeLessThanOrEqual(2);
        expect(voiceSteps(target, target)).toEqual([]);
      }
    }
  });
});

describe('which devices can carry the supervisor\'s voice', () => {
  it('listen goes to any phone; whisper and barge need softphones on both sides, saying whose phone is the problem', () => {
    expect(voiceDeviceProblem('listen', { supervisor: 'sip', agent: 'sip' })).toBeNull();
    expect(voiceDeviceProblem('whisper', { supervisor: 'webrtc', agent: 'webrtc' })).toBeNull();
    expect(voiceDeviceProblem('barge', { supervisor: 'webrtc', agent: 'webrtc' })).toBeNull();
    expect(voiceDeviceProblem('whisper', { supervisor: 'sip', agent: 'webrtc' })).toMatch(/supervisor on the browser softphone.*desk phone/);
    expect(voiceDeviceProblem('barge', { supervisor: 'webrtc', agent: 'sip' })).toMatch(/agent on the browser softphone.*desk phone/);
  });
});
