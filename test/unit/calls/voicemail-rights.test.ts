import { isKeptVoicemail, mayReadVoicemail, type VoicemailReader } from '../../../src/calls/voicemail';

const operator = (staffId: number, memberOf: string[]): VoicemailReader => ({ role: 'operator', staffId, memberOf });

describe('who may read a voicemail', () => {
  it("a queue's message: its members and every supervisor or admin, not an operator of another queue", () => {
    const owner = { kind: 'queue', queue: 'operators' } as const;
    expect(mayReadVoicemail(operator(1, ['operators']), owner)).toBe(true);
    expect(mayReadVoicemail(operator(2, ['regional']), owner)).toBe(false);
    expect(mayReadVoicemail({ role: 'supervisor', staffId: 3, memberOf: [] }, owner)).toBe(true);
    expect(mayReadVoicemail({ role: 'admin', staffId: null, memberOf: [] }, owner)).toBe(true);
  });

  it("a person's message: that person only, not even a supervisor", () => {
    const owner = { kind: 'staff', staffId: 7 } as const;
    expect(mayReadVoicemail(operator(7, []), owner)).toBe(true);
    expect(mayReadVoicemail(operator(8, ['operators']), owner)).toBe(false);
    expect(mayReadVoicemail({ role: 'supervisor', staffId: 3, memberOf: [] }, owner)).toBe(false);
    expect(mayReadVoicemail({ role: 'admin', staffId: null, memberOf: [] }, owner)).toBe(false);
  });
});

describe('which recordings are messages', () => {
  it('under half a second ended by # or a hang-up is nothing said; the longest message is always kept', () => {
    expect(isKeptVoicemail(200, 'hash')).toBe(false);
    expect(isKeptVoicemail(200, 'hangup')).toBe(false);
    expect(isKeptVoicemail(800, 'hangup')).toBe(true);
    expect(isKeptVoicemail(200, 'max_length')).toBe(true);
  });
});
