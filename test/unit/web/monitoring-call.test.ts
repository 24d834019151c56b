import { agentSideOf, monitorOf, monitorVoiceOf, sideCallOf } from '../../../src/web/softphone/monitoring-call';

describe('monitorOf (the softphone tells a monitoring call by its INVITE headers)', () => {
  it('reads the mode, the session and the label the server sends', () => {
    expect(monitorOf('listen; session=5f1c', encodeURIComponent('Anna Petrova ↔ +79161234567')))
      .toEqual({ mode: 'listen', sessionId: '5f1c', label: 'Anna Petrova ↔ +79161234567' });
  });

  it('is null for an ordinary call and for a mode it does not know', () => {
    expect(monitorOf(null, null)).toBeNull();
    expect(monitorOf('spy; session=1', null)).toBeNull();
  });

  it('keeps a label that is not URI-encoded as sent', () => {
    expect(monitorOf('WHISPER;session=x', '100% sure')?.label).toBe('100% sure');
    expect(monitorOf('whisper', null)).toEqual({ mode: 'whisper', sessionId: '', label: '' });
  });

  it('is null for a side call: a talk or coach leg is not a monitoring call of its own', () => {
    expect(monitorOf('talk; session=5f1c', null)).toBeNull();
    expect(monitorOf('coach; session=5f1c', null)).toBeNull();
  });
});

describe('sideCallOf (whisper and barge legs that arrive beside a call)', () => {
  it('reads a supervisor\'s talk leg: its session and the monitored call', () => {
    expect(sideCallOf('talk; session=9a7e-1', encodeURIComponent('Anna Petrova ↔ +74951000001')))
      .toEqual({ kind: 'talk', sessionId: '9a7e-1', label: 'Anna Petrova ↔ +74951000001', callerHears: false });
  });

  it('reads an agent\'s coach leg: the supervisor\'s name', () => {
    expect(sideCallOf('Coach;session=42', encodeURIComponent('Dmitri Lebedev'))).toEqual({ kind: 'coach', sessionId: '42', label: 'Dmitri Lebedev', callerHears: false });
    expect(sideCallOf('coach', null)).toEqual({ kind: 'coach', sessionId: '', label: '', callerHears: false });
  });

  it('tells a barge\'s coach leg (the caller hears the supervisor too) from a whisper\'s', () => {
    expect(sideCallOf('coach; session=42; mode=barge', null)?.callerHears).toBe(true);
    expect(sideCallOf('coach; session=42; mode=whisper', null)?.callerHears).toBe(false);
    expect(sideCallOf('coach; session=42', null)?.callerHears).toBe(false);
  });

  it('is null for an ordinary call, a monitoring call and an unknown kind', () => {
    expect(sideCallOf(null, 'x')).toBeNull();
    expect(sideCallOf('listen; session=1', null)).toBeNull();
    expect(sideCallOf('shout; session=1', null)).toBeNull();
  });
});

describe('agentSideOf (whom a whispering supervisor is heard by)', () => {
  it('is the agent\'s part of "<agent> ↔ <caller>", or the whole label without an arrow', () => {
    expect(agentSideOf('Anna Petrova ↔ +74951000001')).toBe('Anna Petrova');
    expect(agentSideOf('Anna Petrova')).toBe('Anna Petrova');
    expect(agentSideOf('')).toBe('');
  });
});

describe('monitorVoiceOf (the monitoring bar says who hears the supervisor)', () => {
  it('listening with no talk leg: nobody hears them', () => {
    expect(monitorVoiceOf('listen', false)).toBe('nobody');
  });

  it('whisper or barge before the talk leg is up: the microphone is being turned on, not yet live', () => {
    expect(monitorVoiceOf('whisper', false)).toBe('starting');
    expect(monitorVoiceOf('barge', false)).toBe('starting');
  });

  it('with the talk leg up: the agent alone for whisper, both parties for barge', () => {
    expect(monitorVoiceOf('whisper', true)).toBe('agent');
    expect(monitorVoiceOf('barge', true)).toBe('both');
  });

  it('never says nobody hears them while a talk leg is up, even if the screen still believes listen', () => {
    expect(monitorVoiceOf('listen', true)).toBe('on');
  });
});
