import { PassThrough } from 'node:stream';
import { createRootLogger } from '../../../../src/logger';
import { InboundCall } from '../../../../src/sip/inbound-call';
import type { DirectorySnapshot } from '../../../../src/routing/directory-snapshot';
import { fakeCallWorld, fakeRequest, fakeResponse, wallClockAt } from '../../../fakes/call-session-fakes';
import { DIRECTORY, OPEN_TIME } from '../../routing/routing-fixtures';

/**
 * Issue 15: a live call never meets a dangling reference. Here the wholesale
 * department lost its head under the published config (a row deleted through
 * SQL: the foreign key set the head to NULL). A new caller, whom the config
 * sends to that head, is queued for the operators (the last resort) instead of
 * failing, a warning is logged and the call's timeline keeps a `directory_gap`
 * event naming what was missing.
 */
beforeAll(() => wallClockAt(OPEN_TIME));
afterAll(() => jest.useRealTimers());

const headless: DirectorySnapshot = {
  ...DIRECTORY,
  departments: DIRECTORY.departments.map((d) => (d.code === 'wholesale_sales' ? { ...d, headStaffId: null } : d)),
};

describe('a call routed past a reference the directory no longer has', () => {
  it('goes to the operators, with a warning and a directory_gap event on the call', async () => {
    const world = fakeCallWorld(headless);
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    world.services.logger = createRootLogger('info', 'test', stream);

    const entered = world.acd.nextEnqueue();
    const req = fakeRequest({ body: 'v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\nm=audio 5000 RTP/AVP 8\r\n', headers: { From: '<sip:+74951234567@trunk>;tag=caller-tag', 'Call-ID': 'sip-gap-1' } });
    const call = new InboundCall(world.services, req, fakeResponse());
    const done = call.run();
    const request = await entered;
    expect(request.queueId).toBe('operators');

    world.srf.answered[0]!.dialog.farEndHangsUp();
    await done;
    const record = world.records[0]!;
    expect(record.routingDecision?.directoryGaps).toEqual(['Wholesale sales has no head']);
    const gapEvents = record.events.filter((e) => e.type === 'directory_gap');
    expect(gapEvents).toHaveLength(1);
    expect(gapEvents[0]!.data).toEqual({ gaps: ['Wholesale sales has no head'], ruleId: 'new_caller', configVersion: 1 });
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string; gaps?: string[] }).filter((l) => l.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringMatching(/directory/), gaps: ['Wholesale sales has no head'] })]);
  });
});
