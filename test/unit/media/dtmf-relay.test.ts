import type { DtmfEvent } from '../../../src/media/dtmf-event';
import { parseRelayedDtmf } from '../../../src/media/dtmf-relay';

describe('parseRelayedDtmf', () => {
  const event: DtmfEvent = { callId: 'call-x1', digit: '#', sourceTag: 'caller', at: 1_795_443_407_000, source: 'rfc4733', durationMs: 60 };
  const relayed = (fields: Record<string, unknown>): unknown => JSON.parse(JSON.stringify({ ...event, ...fields }));

  it('reads back what a process published (JSON of the event)', () => {
    expect(parseRelayedDtmf(relayed({}))).toEqual(event);
    const { durationMs: _, ...withoutDuration } = event;
    expect(parseRelayedDtmf(JSON.parse(JSON.stringify(withoutDuration)))).toEqual(withoutDuration);
    expect(parseRelayedDtmf(relayed({ source: 'sip-info', digit: 'D' }))).toMatchObject({ source: 'sip-info', digit: 'D' });
  });

  it.each([
    ['not an object', 'call-x1'],
    ['null (a message that was not JSON)', null],
    ['an array', [event]],
    ['no call id', relayed({ callId: '' })],
    ['no source tag', relayed({ sourceTag: 7 })],
    ['no time', relayed({ at: 'now' })],
    ['an unknown source', relayed({ source: 'inband' })],
    ['a digit that is not one', relayed({ digit: 'E' })],
    ['a digit not in its canonical form', relayed({ digit: 'a' })],
    ['an event code instead of a digit', relayed({ digit: 11 })],
    ['a negative duration', relayed({ durationMs: -1 })],
  ])('drops %s', (_name, message) => {
    expect(parseRelayedDtmf(message)).toBeNull();
  });
});
