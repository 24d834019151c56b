import { newCallId } from '../../../src/calls/call-recorder';
import { newOutboxItem, outboxItemCallId, parseOutboxItem, serializeOutboxItem } from '../../../src/calls/outbox-item';
import { newCall, toQueue } from './call-harness';

function finishedRecord() {
  const h = newCall();
  toQueue(h);
  return h.recorder.end({ side: 'caller', cause: 'BYE' });
}

describe('outbox items', () => {
  it('a call record goes through serialization unchanged', () => {
    const record = finishedRecord();
    const item = newOutboxItem({ kind: 'call', record }, 1_000);
    const parsed = parseOutboxItem(serializeOutboxItem(item));
    expect(parsed).toEqual({ item });
    expect(outboxItemCallId(item)).toBe(record.id);
  });

  it('each item gets its own id, so two writes of one record are two list entries', () => {
    const record = finishedRecord();
    const a = newOutboxItem({ kind: 'call', record }, 1);
    const b = newOutboxItem({ kind: 'call', record }, 1);
    expect(a.itemId).not.toBe(b.itemId);
    expect(serializeOutboxItem(a)).not.toBe(serializeOutboxItem(b));
  });

  it('recordings and wrap-ups parse', () => {
    const callId = newCallId();
    const recording = newOutboxItem({ kind: 'recording', recording: { id: newCallId(), callId, filePath: '/r/a.wav', durationMs: 1000, sizeBytes: 32000 } }, 5);
    const wrapUp = newOutboxItem({ kind: 'wrap_up', wrapUp: { callId, staffId: 3, dispositionCode: 'order_taken' } }, 5);
    expect(parseOutboxItem(serializeOutboxItem(recording))).toEqual({ item: recording });
    expect(parseOutboxItem(serializeOutboxItem(wrapUp))).toEqual({ item: wrapUp });
    expect(outboxItemCallId(wrapUp)).toBe(callId);
  });

  it.each([
    ['not JSON', () => '{oops', /not JSON/],
    ['no envelope', () => JSON.stringify({ kind: 'call' }), /not an outbox item/],
    ['unknown kind', () => JSON.stringify({ v: 1, itemId: 'x', createdAt: 1, kind: 'fax' }), /unknown kind/],
    ['bad outcome', () => {
      const record = finishedRecord();
      return JSON.stringify({ ...newOutboxItem({ kind: 'call', record }, 1), record: { ...record, outcome: 'hung_up' } });
    }, /bad field outcome/],
    ['bad event', () => {
      const record = finishedRecord();
      return JSON.stringify({ ...newOutboxItem({ kind: 'call', record }, 1), record: { ...record, events: [{ seq: 1, at: 'soon', type: 'started', data: {} }] } });
    }, /bad field events\[0\]/],
    ['negative recording size', () => JSON.stringify(newOutboxItem({ kind: 'recording', recording: { id: newCallId(), callId: newCallId(), filePath: 'f', durationMs: 1, sizeBytes: -1 } }, 1)), /sizeBytes/],
  ])('refuses %s with a reason', (_name, build, reason) => {
    const parsed = parseOutboxItem(build());
    expect('problem' in parsed ? parsed.problem : '').toMatch(reason);
  });
});
