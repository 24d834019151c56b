import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MediaSession } from '../../../src/media/media-session';
import { playToParties } from '../../../src/media/monitor-fork';
import { RtpengineNgClient } from '../../../src/media/rtpengine-ng-client';
import type { RunningService } from '../../../src/platform/managed-process';
import { eventually } from '../../helpers/eventually';
import { startTestRtpengine } from '../../helpers/test-env';
import { mediaPort } from './rtp-test-endpoint';
import { TonePhone, bandShare, someStretchCarries } from './tone-endpoints';

const CALLER_HZ = 440;
const AGENT_HZ = 660;
const ANNOUNCE_HZ = 1000;
const carries = (samples: readonly number[], hz: number): boolean => samples.length >= 1600 && bandShare(samples, hz) > 0.5;

describe('monitoring announcement tone (real rtpengine 10.5)', () => {
  let rtpengine: RunningService & { ngPort: number };
  let ng: RtpengineNgClient;
  let dir: string;
  let tone: string;

  beforeAll(async () => {
    rtpengine = await startTestRtpengine();
    ng = new RtpengineNgClient({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 3000 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-announce-'));
    tone = path.join(dir, 'monitor-tone.wav');
    expect(spawnSync('sox', ['-D', '-R', '-n', '-r', '8000', '-c', '1', '-b', '16', tone, 'synth', '0.8', 'sine', String(ANNOUNCE_HZ), 'vol', '0.5']).status).toBe(0);
  });
  afterAll(async () => {
    ng.close();
    await rtpengine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both parties hear the tone, then each other again', async () => {
    const callId = `ann-${randomBytes(6).toString('hex')}@switchboard.test`;
    const caller = await TonePhone.open(0x11111111);
    const agent = await TonePhone.open(0x22222222);
    const session = new MediaSession({ ng, callId, caller: { tag: 'caller-a', kind: 'sip' } });
    try {
      await session.anchorCaller(caller.sdp(1));
      const toAgent = await session.offerToAgent('sip', 'agent-a');
      const bridge = await session.acceptAgentAnswer('agent-a', agent.sdp(2));
      caller.talk(mediaPort(bridge.callerSdp), CALLER_HZ);
      agent.talk(mediaPort(toAgent), AGENT_HZ);
      await eventually(() => caller.heard.last(400), (s) => carries(s, AGENT_HZ));

      // All audio from the play command on is kept and searched: the tone lasts 0.8 s, and a poll of the last
      // 400 ms comes too late for it on a loaded machine (CI failed so).
      const marks = [caller.heard.mark(), agent.heard.mark()] as const;
      await playToParties(ng, callId, ['caller-a', 'agent-a'], tone);
      const heardTone = await eventually(
        () => [someStretchCarries(caller.heard.since(marks[0]), ANNOUNCE_HZ, 400, carries), someStretchCarries(agent.heard.since(marks[1]), ANNOUNCE_HZ, 400, carries)],
        ([c, a]) => c === true && a === true,
        5000,
      );
      expect(heardTone).toEqual([true, true]);
      const back = await eventually(() => [caller.heard.last(400), agent.heard.last(400)], ([c, a]) => carries(c ?? [], AGENT_HZ) && carries(a ?? [], CALLER_HZ), 5000);
      expect([carries(back[0] ?? [], AGENT_HZ), carries(back[1] ?? [], CALLER_HZ)]).toEqual([true, true]);
    } finally {
      await session.delete();
      await Promise.all([caller.close(), agent.close()]);
    }
  });
});
