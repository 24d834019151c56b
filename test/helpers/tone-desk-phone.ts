import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tonePcap } from '../../bench/floor/floor-tone';
import { freeTcpPort } from '../../src/platform/managed-process';
import { freeMediaPort, registerPhone, sippListening, startSippPhone } from './sipp';
import { answerCall, awaitBye, playAudio, scenario } from './sipp-scenario';

/**
 * An operator's sipp desk phone that talks a steady tone: registered as
 * `user`, it answers the next call, sends `hz` (RTP/PCMA from a pcap, its
 * own SSRC as a real phone has) for `seconds` and waits for the BYE. The
 * monitoring tests tell the parties apart by their tones.
 */
export async function startToneDeskPhone(options: { target: string; user: string; password: string; hz: number; ssrc: number; seconds?: number }): Promise<{ done: Promise<number | null>; stop(): void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-tone-phone-'));
  const pcap = path.join(dir, 'tone.pcap');
  writeFileSync(pcap, tonePcap({ hz: options.hz, seconds: options.seconds ?? 40, ssrc: options.ssrc }));
  const port = await freeTcpPort();
  const registered = await registerPhone({ target: options.target, port, user: options.user, password: options.password });
  if (registered !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${options.user}'s desk phone did not register (sipp exit ${registered})`);
  }
  const phone = startSippPhone({
    scenario: scenario(`${answerCall()}\n${playAudio(pcap)}\n${awaitBye(90_000)}`),
    port, mediaPort: await freeMediaPort(), timeoutSeconds: 120,
  });
  const done = phone.done.finally(() => rmSync(dir, { recursive: true, force: true }));
  await sippListening('127.0.0.1', port);
  return { done, stop: phone.stop };
}
