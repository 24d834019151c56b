import { modeBeforeCallChange, voiceRefusal, type CallMediaChange, type CallStanding } from '../../../src/call-monitoring/call-media-change';

const CHANGES: CallMediaChange[] = ['caller-reinvite', 'agent-reinvite', 'warm-transfer', 'blind-transfer'];

describe('modeBeforeCallChange: what a hold or transfer does to a supervisor\'s voice', () => {
  it('drops whisper and barge to listen before every change to the call\'s media, saying why', () => {
    for (const change of CHANGES) {
      expect(modeBeforeCallChange('barge', change)).toEqual({ mode: 'listen', why: expect.stringContaining('left the call') });
      expect(modeBeforeCallChange('whisper', change)).toEqual({ mode: 'listen', why: expect.stringContaining('stopped whispering') });
    }
    expect(modeBeforeCallChange('barge', 'agent-reinvite')?.why).toMatch(/^the agent held, resumed/);
    expect(modeBeforeCallChange('whisper', 'blind-transfer')?.why).toMatch(/^the agent transferred the call/);
  });

  it('leaves listening alone: its fork touches neither party', () => {
    for (const change of CHANGES) expect(modeBeforeCallChange('listen', change)).toBeNull();
  });
});

describe('voiceRefusal: when whisper and barge may start', () => {
  const talking: CallStanding = { mediaChanging: false, consulting: false, agentLeft: false, onHold: false };

  it('lets them start while caller and agent talk, and listen always', () => {
    expect(voiceRefusal('barge', talking)).toBeNull();
    expect(voiceRefusal('whisper', talking)).toBeNull();
    expect(voiceRefusal('listen', { mediaChanging: true, consulting: true, agentLeft: true, onHold: true })).toBeNull();
  });

  it('refuses both while the call changes its media, consults, or after the agent left; barge alone while the caller is held', () => {
    for (const mode of ['whisper', 'barge'] as const) {
      expect(voiceRefusal(mode, { ...talking, mediaChanging: true })).toMatch(/being held, resumed or transferred/);
      expect(voiceRefusal(mode, { ...talking, consulting: true })).toMatch(/consults for a warm transfer/);
      expect(voiceRefusal(mode, { ...talking, agentLeft: true })).toMatch(/has left the call/);
    }
    expect(voiceRefusal('barge', { ...talking, onHold: true })).toMatch(/holds the caller/);
    expect(voiceRefusal('whisper', { ...talking, onHold: true })).toBeNull();
  });
});
