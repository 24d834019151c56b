import { modeBeforeCallChange, type CallMediaChange } from '../../../src/call-monitoring/call-media-change';

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
