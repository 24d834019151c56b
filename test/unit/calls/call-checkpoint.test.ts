import pino from 'pino';
import { interruptedCallRecord, parseCallCheckpoint, type CallCheckpoint } from '../../../src/calls/call-checkpoint';
import { CallCheckpointer, type CallCheckpointStore } from '../../../src/calls/call-checkpoint-store';
import { finishCallRecord } from '../../../src/calls/call-record-snapshot';
import { AppError } from '../../../src/errors/app-error';
import { newCall, queueDecision, toQueue } from './call-harness';

const checkpointOf = (snapshot: CallCheckpoint['snapshot'], savedAt: number): CallCheckpoint => ({ snapshot, media: null, savedAt });

describe('the record of a call whose process died (pure)', () => {
  it('ends a queued caller\'s record as interrupted at the survivor\'s time, with the wait up to then and its events kept', () => {
    const h = newCall();
    toQueue(h);
    h.clock.advance(30_000);
    const snapshot = h.recorder.snapshot();
    const record = interruptedCallRecord(checkpointOf(snapshot, h.clock.now()), { at: h.clock.now() + 8_000, deadNode: 'n-1', recorded: false });
    expect(record).toMatchObject({ outcome: 'interrupted', hangupSide: 'system', queueName: 'operators', talkMs: null, agentId: null });
    expect(record.hangupCause).toBe('interrupted: the process handling the call stopped (n-1)');
    // Waiting until the survivor closed it: the caller never reached anyone.
    expect(record.endedAt).toBe(h.clock.now() + 8_000);
    expect(record.queueWaitMs).toBe(record.endedAt - record.queuedAt!);
    expect(record.events.slice(0, -1)).toEqual(snapshot.events);
    expect(record.events.at(-1)).toMatchObject({ seq: snapshot.events.length + 1, type: 'ended', data: { from: 'queued', to: 'ended', interrupted: { node: 'n-1' } } });
    // The live recorder was not touched: the stalled process can still end the call itself.
    expect(h.recorder.state).toBe('queued');
  });

  it('says on the ended event that a recorded call\'s capture is converted by the survivor', () => {
    const h = newCall();
    toQueue(h);
    const checkpoint = checkpointOf(h.recorder.snapshot(), h.clock.now());
    expect(interruptedCallRecord(checkpoint, { at: h.clock.now(), deadNode: 'n', recorded: true }).events.at(-1)!.data.recording).toBe('converted by the survivor from the raw capture');
    expect(interruptedCallRecord(checkpoint, { at: h.clock.now(), deadNode: 'n', recorded: false }).events.at(-1)!.data).not.toHaveProperty('recording');
  });

  it('ends talk time at the end, settles a transfer still pending as failed and closes the IVR for a caller who was in it', () => {
    const talking = newCall();
    toQueue(talking);
    talking.recorder.offer({ agentId: 7 });
    talking.clock.advance(2_000);
    talking.recorder.agentAnswered({ agentId: 7 });
    talking.clock.advance(60_000);
    talking.recorder.startTransfer({ kind: 'blind', target: { kind: 'queue', queue: 'finance' }, byAgentId: 7 });
    const t = talking.clock.now();
    const record = finishCallRecord(talking.recorder.snapshot(), { side: 'system', cause: 'x', outcome: 'interrupted', at: t + 5_000 });
    expect(record.talkMs).toBe(60_000);
    expect(record.transfers).toEqual([expect.objectContaining({ result: 'failed', endedAt: t + 5_000 })]);

    const inIvr = newCall();
    inIvr.recorder.answer();
    inIvr.recorder.enterIvr({ version: 1, name: 'main' });
    const ivrRecord = finishCallRecord(inIvr.recorder.snapshot(), { side: 'system', cause: 'x', outcome: 'interrupted', at: inIvr.clock.now() + 1_000 });
    expect(ivrRecord.ivrEndedAt).toBe(inIvr.clock.now() + 1_000);
  });

  it('is the same record end() makes when given the same end', () => {
    const a = newCall();
    toQueue(a);
    a.clock.advance(5_000);
    const expected = finishCallRecord(a.recorder.snapshot(), { side: 'caller', cause: 'BYE', at: a.clock.now() });
    expect(a.recorder.end({ side: 'caller', cause: 'BYE' })).toEqual(expected);
    expect(() => finishCallRecord(a.recorder.snapshot(), { side: 'system', cause: 'again', at: a.clock.now() })).toThrow(AppError);
  });

  it('reads back only what is a checkpoint', () => {
    const h = newCall();
    h.recorder.route(queueDecision, 1);
    const checkpoint = checkpointOf(h.recorder.snapshot(), 1);
    expect(parseCallCheckpoint(JSON.stringify(checkpoint))).toEqual(checkpoint);
    for (const junk of ['', 'null', '{', '{"snapshot":{}}', JSON.stringify({ ...checkpoint, savedAt: 'now' })]) expect(parseCallCheckpoint(junk)).toBeNull();
  });
});

/** A checkpoint store in memory whose saves finish when the test says. */
class HeldStore {
  readonly saved: CallCheckpoint[] = [];
  readonly forgotten: string[] = [];
  private pending: Array<() => void> = [];
  failNext = false;

  asStore(): CallCheckpointStore {
    return {
      save: (_node: string, checkpoint: CallCheckpoint) => new Promise<void>((resolve, reject) => {
        this.pending.push(() => {
          if (this.failNext) {
            this.failNext = false;
            reject(new Error('redis down'));
            return;
          }
          this.saved.push(checkpoint);
          resolve();
        });
      }),
      forget: (_node: string, callId: string) => {
        this.forgotten.push(callId);
        return Promise.resolve();
      },
    } as unknown as CallCheckpointStore;
  }

  /** Lets the save under way finish. */
  async release(): Promise<void> {
    const next = this.pending.shift();
    next?.();
    await new Promise((resolve) => setImmediate(resolve));
  }

  get waiting(): number {
    return this.pending.length;
  }
}

describe('keeping one call\'s checkpoint current', () => {
  const log = pino({ level: 'silent' });

  it('saves one at a time: changes during a save give exactly one more save, of the latest state', async () => {
    const h = newCall();
    const held = new HeldStore();
    const checkpointer = new CallCheckpointer({ store: held.asStore(), nodeId: 'n', log, take: () => checkpointOf(h.recorder.snapshot(), h.clock.now()) });
    checkpointer.changed();
    expect(held.waiting).toBe(1);
    h.recorder.answer();
    checkpointer.changed();
    h.recorder.enterIvr({ version: 1, name: 'main' });
    checkpointer.changed();
    expect(held.waiting).toBe(1);
    await held.release();
    expect(held.waiting).toBe(1);
    await held.release();
    expect(held.saved.map((c) => c.snapshot.state)).toEqual(['ringing_in', 'ivr']);
    expect(held.waiting).toBe(0);
  });

  it('keeps going when a save fails, and removes the checkpoint after the save under way when the call is stored', async () => {
    const h = newCall();
    const held = new HeldStore();
    const checkpointer = new CallCheckpointer({ store: held.asStore(), nodeId: 'n', log, take: () => checkpointOf(h.recorder.snapshot(), h.clock.now()) });
    held.failNext = true;
    checkpointer.changed();
    await held.release();
    expect(held.saved).toHaveLength(0);
    checkpointer.changed();
    const finishing = checkpointer.finish();
    expect(held.forgotten).toEqual([]);
    await held.release();
    await finishing;
    expect(held.saved).toHaveLength(1);
    expect(held.forgotten).toEqual([h.recorder.id]);
    // After finish nothing is saved again.
    checkpointer.changed();
    expect(held.waiting).toBe(0);
  });
});
