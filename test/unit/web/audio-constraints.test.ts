import { audioConstraints } from '../../../src/web/softphone/audio-constraints';

describe('audioConstraints: what a call asks of the microphone', () => {
  it('the chosen microphone, the browser\'s default without a choice, and none for a call that only listens', () => {
    expect(audioConstraints('mic-2')).toEqual({ audio: { deviceId: { exact: 'mic-2' } }, video: false });
    expect(audioConstraints(null)).toEqual({ audio: true, video: false });
    expect(audioConstraints('mic-2', false)).toEqual({ audio: false, video: false });
  });
});
