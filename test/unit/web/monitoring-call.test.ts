import { monitorOf } from '../../../src/web/softphone/monitoring-call';

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
});
