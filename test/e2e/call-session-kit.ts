import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { legCounters } from '../../src/media/leg-counters';
import { RtpengineNgClient } from '../../src/media/rtpengine-ng-client';
import {
  answerCall, answerInvite, awaitBye, callerScenario, cancelInvite, KEEP_DIALOG, pause, phoneBye, phoneReinvite, playAudio,
  receiveRequest, receiveResponse, refuseCall, scenario, sendInvite, type CallerStep,
} from '../helpers/sipp-scenario';
import type { SystemHarness } from '../helpers/system-harness';
import { quietPeriod } from '../helpers/eventually';

/**
 * sipp scenarios and probes for the call-session E2E tests (hold, warm
 * transfer, overflow, CANCEL): desk phones and callers that send and take
 * re-INVITEs, and a look at rtpengine's counters while a call runs.
 */

/** A rung desk phone answering its INVITE (it keeps nothing of the dialog: see KEEP_DIALOG). */
const ANSWER_INVITE = answerCall();

/** A rung desk phone answering its INVITE and keeping what it needs to send in-dialog requests itself. */
const ANSWER_FIRST_INVITE = answerCall(KEEP_DIALOG);

/**
 * An agent's desk phone that answers, talks (silently) for `talkMs`, holds
 * with a `sendonly` re-INVITE, waits `holdMs`, resumes with `sendrecv`, waits
 * `afterMs` and hangs up (BYE).
 */
export function holdingAgentScenario(options: { talkMs: number; holdMs: number; afterMs: number }): string {
  return scenario(`${ANSWER_FIRST_INVITE}
${pause(options.talkMs)}
${phoneReinvite('sendonly', 101, 2)}
${pause(options.holdMs)}
${phoneReinvite('sendrecv', 102, 3)}
${pause(options.afterMs)}
${phoneBye(103)}`);
}

/**
 * A desk phone that answers, then takes `reinvites` re-INVITEs (a warm
 * transfer re-INVITEs the transferring agent once the consulted party
 * answers), then waits for the BYE that ends its leg.
 */
export function answeringPhoneScenario(options: { reinvites: number; byeTimeoutMs?: number }): string {
  const reinvites = Array.from({ length: options.reinvites }, (_, i) => `${receiveRequest('INVITE')}
${answerInvite({ version: 2 + i, toTag: false })}`).join('\n');
  return scenario(`${ANSWER_INVITE}
${reinvites}
${awaitBye(options.byeTimeoutMs ?? 90000)}`);
}

/**
 * A desk phone whose user talks: answers, plays `audioBlocks` blocks of PCMA
 * audio (about 7 s each, one block every `blockMs`), then hangs up (BYE) —
 * or, with `awaitBye`, plays one block and waits for the BYE that ends its
 * leg. It sends, it never echoes: what the far end hears from it is its voice.
 */
export function talkingPhoneScenario(options: { audioBlocks: number; blockMs: number } | { awaitBye: true; byeTimeoutMs?: number }): string {
  if ('awaitBye' in options) {
    return scenario(`${ANSWER_INVITE}
${playAudio()}
${awaitBye(options.byeTimeoutMs ?? 90000)}`);
  }
  const talk = Array.from({ length: options.audioBlocks }, () => `${playAudio()}\n${pause(options.blockMs)}`).join('\n');
  return scenario(`${ANSWER_FIRST_INVITE}
${talk}
${phoneBye(101)}`);
}

/** A desk phone that declines the call (603). */
export function decliningPhoneScenario(): string {
  return scenario(refuseCall('603 Decline'));
}

/** One step of a caller: the generic caller's steps (test/helpers/sipp-scenario.ts), which take re-INVITEs and BYEs too. */
export type SessionCallerStep = CallerStep;

/** A caller (PCMA + RFC 2833) dialling the hotline (or `to`) from `from`, then the steps. */
export function sessionCallerScenario(options: { from: string; to?: string; steps: SessionCallerStep[] }): string {
  return callerScenario({ from: options.from, to: options.to ?? 'hotline', steps: options.steps });
}

/**
 * A caller that gives up while still unanswered: INVITE, the 100 Trying,
 * then after `cancelAfterMs` a CANCEL (RFC 3261 §9.1), its 200 and the
 * INVITE's 487, and the ACK. A 200 to the INVITE fails the scenario.
 */
export function cancellingCallerScenario(options: { from: string; to?: string; cancelAfterMs: number }): string {
  const to = options.to ?? 'hotline';
  return scenario(`${sendInvite({ from: options.from, to })}
${receiveResponse(100)}
${cancelInvite(to, options.cancelAfterMs)}`);
}

/**
 * A sipp phone in the background (like test/helpers/sipp startSippPhone),
 * optionally echoing every RTP packet back to where it came from
 * (`-rtp_echo`): rtpengine then counts, on that phone's leg, what it sent
 * the phone.
 */
export function startPhone(options: { scenario: string; port: number; mediaPort: number; rtpEcho?: boolean; timeoutSeconds?: number; /** Local address (default 127.0.0.1), e.g. a trunk's own loopback address. */ ip?: string }): { done: Promise<number | null>; stop: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-phone-'));
  writeFileSync(path.join(dir, 'phone.xml'), options.scenario);
  const args = ['-i', options.ip ?? '127.0.0.1', '-p', String(options.port), '-mp', String(options.mediaPort), '-m', '1', '-nostdin', '-timeout', `${options.timeoutSeconds ?? 90}s`, '-timeout_error', '-sf', path.join(dir, 'phone.xml'), '-trace_err'];
  if (options.rtpEcho) args.push('-rtp_echo');
  const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))).finally(() => rmSync(dir, { recursive: true, force: true }));
  return { done, stop: () => child.kill('SIGKILL') };
}

/** Where a component the harness started listens ("udp://127.0.0.1:PORT (userspace)" → host and port). */
export function componentAddress(h: SystemHarness, name: string): { host: string; port: number } {
  const where = h.system.components.find((c) => c.name === name)?.where ?? '';
  const match = /\/\/([^:/\s]+):(\d+)/.exec(where);
  if (!match?.[1] || !match[2]) throw new Error(`component ${name} has no address in "${where}"`);
  return { host: match[1], port: Number(match[2]) };
}

/** The harness's rtpengine, asked directly: which calls it holds and what it received on each leg. */
export class RtpengineProbe {
  private readonly ng: RtpengineNgClient;

  constructor(h: SystemHarness) {
    const { host, port } = componentAddress(h, 'rtpengine');
    this.ng = new RtpengineNgClient({ host, port, timeoutMs: 2000 });
  }

  async calls(): Promise<string[]> {
    const reply = await this.ng.command('list', {});
    return Array.isArray(reply.calls) ? reply.calls.filter((c): c is string => typeof c === 'string') : [];
  }

  /** RTP packets rtpengine received on each tag of the one call it holds (null when it holds none). */
  async packetsByTag(): Promise<Record<string, number> | null> {
    const [callId] = await this.calls();
    if (!callId) return null;
    const reply = await this.ng.command('query', { 'call-id': callId });
    const tags = (reply.tags ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.keys(tags).map((tag) => [tag, legCounters(reply, { tag, ports: new Set() }).rtp.packets]));
  }

  close(): void {
    this.ng.close();
  }
}

/** Samples `probe` every `everyMs` until `stop()`; the samples carry their time. */
export function sample<T>(probe: () => Promise<T>, everyMs: number): { samples: Array<{ at: number; value: T }>; stop: () => Promise<void> } {
  const samples: Array<{ at: number; value: T }> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        samples.push({ at: Date.now(), value: await probe() });
      } catch {
        // rtpengine between calls: nothing to sample
      }
      await quietPeriod(everyMs, 'the pace of sampling rtpengine counters');
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/**
 * sipp's error log without its own overload notes ("the minor watchdog timer
 * … has been tripped"): on a loaded 2-core machine sipp reports its scheduling
 * delays there, which say nothing about the call.
 */
export function sippErrors(errors: string): string {
  return errors
    // With -aa, sipp notes each in-dialog request it answered by itself (Switchboard's keepalive OPTIONS) in its error
    // log, one entry after another without a line break.
    .replace(/\d{4}-\d\d-\d\d\t[\d:.]+\t[\d.]+: Automatic response mode for an unexpected INFO, NOTIFY, OPTIONS or UPDATE for call: \S+?(?=\d{4}-\d\d-\d\d\t|\s|$)/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^The following events occurred:$/.test(line.trim()) && !/watchdog timer .* has been tripped/.test(line))
    .join('\n');
}
