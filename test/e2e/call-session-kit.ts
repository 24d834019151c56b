import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { legCounters } from '../../src/media/leg-counters';
import { RtpengineNgClient } from '../../src/media/rtpengine-ng-client';
import { dtmfPcap } from '../helpers/sipp';
import type { SystemHarness } from '../helpers/system-harness';

/**
 * sipp scenarios and probes for the call-session E2E tests (hold, warm
 * transfer, overflow, CANCEL): desk phones and callers that send and take
 * re-INVITEs, and a look at rtpengine's counters while a call runs.
 */

const sdpLines = (direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive', version: number): string =>
  ['v=0', `o=user1 53655765 ${version} IN IP[local_ip_type] [local_ip]`, 's=-', 'c=IN IP[media_ip_type] [media_ip]', 't=0 0', 'm=audio [media_port] RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', `a=${direction}`]
    .map((l) => `      ${l}`).join('\n');

function wrap(inner: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<scenario name="switchboard call-session test">\n${inner}\n</scenario>\n`;
}

/** 200 OK with our SDP to the request just received (an INVITE or re-INVITE), then its ACK. */
function answerInvite(direction: 'sendrecv' | 'recvonly' | 'inactive', version: number, toTag: boolean): string {
  return `  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]${toTag ? ';tag=[pid]SIPpTag01[call_number]' : ''}
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

${sdpLines(direction, version)}
    ]]>
  </send>
  <recv request="ACK"/>`;
}

const REPLY_OK = `  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>`;

/** The INVITE a desk phone is rung with, answered (a phone that never sends requests of its own keeps nothing: sipp refuses unused variables). */
const ANSWER_INVITE = `  <recv request="INVITE"/>
${answerInvite('sendrecv', 1, true)}`;

/** The INVITE a desk phone is rung with, answered; keeps what it needs to send in-dialog requests itself. */
const ANSWER_FIRST_INVITE = `  <recv request="INVITE">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="remote_from"/>
      <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="local_to"/>
      <ereg regexp="sips?:[^>;]+" search_in="hdr" header="Contact:" check_it="true" assign_to="remote_contact"/>
    </action>
  </recv>
${answerInvite('sendrecv', 1, true)}`;

/** A re-INVITE the desk phone sends on its own dialog (RFC 3261 §14.1), with its 200 and ACK. */
function phoneReinvite(direction: 'sendrecv' | 'sendonly' | 'inactive', cseq: number, version: number): string {
  const dialogHeaders = `      From: [$local_to];tag=[pid]SIPpTag01[call_number]
      To: [$remote_from]
      [last_Call-ID:]`;
  return `  <send retrans="500">
    <![CDATA[
      INVITE [$remote_contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
${dialogHeaders}
      CSeq: ${cseq} INVITE
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${sdpLines(direction, version)}
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="200"/>
  <send>
    <![CDATA[
      ACK [$remote_contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
${dialogHeaders}
      CSeq: ${cseq} ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>`;
}

/** Our BYE as the desk phone (the UAS of the INVITE: its From is the INVITE's To). */
function phoneBye(cseq: number): string {
  return `  <send retrans="500">
    <![CDATA[
      BYE [$remote_contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$local_to];tag=[pid]SIPpTag01[call_number]
      To: [$remote_from]
      [last_Call-ID:]
      CSeq: ${cseq} BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>`;
}

/**
 * An agent's desk phone that answers, talks (silently) for `talkMs`, holds
 * with a `sendonly` re-INVITE, waits `holdMs`, resumes with `sendrecv`, waits
 * `afterMs` and hangs up (BYE).
 */
export function holdingAgentScenario(options: { talkMs: number; holdMs: number; afterMs: number }): string {
  return wrap(`${ANSWER_FIRST_INVITE}
  <pause milliseconds="${options.talkMs}"/>
${phoneReinvite('sendonly', 101, 2)}
  <pause milliseconds="${options.holdMs}"/>
${phoneReinvite('sendrecv', 102, 3)}
  <pause milliseconds="${options.afterMs}"/>
${phoneBye(103)}`);
}

/**
 * A desk phone that answers, then takes `reinvites` re-INVITEs (a warm
 * transfer re-INVITEs the transferring agent once the consulted party
 * answers), then waits for the BYE that ends its leg.
 */
export function answeringPhoneScenario(options: { reinvites: number; byeTimeoutMs?: number }): string {
  const reinvites = Array.from({ length: options.reinvites }, (_, i) => `  <recv request="INVITE"/>
${answerInvite('sendrecv', 2 + i, false)}`).join('\n');
  return wrap(`${ANSWER_INVITE}
${reinvites}
  <recv request="BYE" timeout="${options.byeTimeoutMs ?? 90000}"/>
${REPLY_OK}`);
}

/**
 * A desk phone whose user talks: answers, plays `audioBlocks` blocks of PCMA
 * audio (about 7 s each, one block every `blockMs`), then hangs up (BYE) —
 * or, with `awaitBye`, plays one block and waits for the BYE that ends its
 * leg. It sends, it never echoes: what the far end hears from it is its voice.
 */
export function talkingPhoneScenario(options: { audioBlocks: number; blockMs: number } | { awaitBye: true; byeTimeoutMs?: number }): string {
  const play = `  <nop><action><exec play_pcap_audio="${path.join('/usr/share/sip-tester', 'g711a.pcap')}"/></action></nop>`;
  if ('awaitBye' in options) {
    return wrap(`${ANSWER_INVITE}
${play}
  <recv request="BYE" timeout="${options.byeTimeoutMs ?? 90000}"/>
${REPLY_OK}`);
  }
  const talk = Array.from({ length: options.audioBlocks }, () => `${play}
  <pause milliseconds="${options.blockMs}"/>`).join('\n');
  return wrap(`${ANSWER_FIRST_INVITE}
${talk}
${phoneBye(101)}`);
}

/** A desk phone that declines the call (603). */
export function decliningPhoneScenario(): string {
  return wrap(`  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 603 Decline
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>`);
}

/** One step of a caller: what the generic caller scenario of test/helpers/sipp.ts offers, plus taking re-INVITEs and BYEs. */
export type SessionCallerStep =
  | { pauseMs: number }
  | { key: string }
  | { audio: true }
  /** PCMA audio from this pcap (e.g. a continuation of the previous block: see softphone-kit continuousAudioPcaps). */
  | { audioFile: string }
  | { hangUp: true }
  | { reinvite: 'recvonly' | 'sendrecv'; timeoutMs?: number }
  | { awaitBye: true; timeoutMs?: number };

/**
 * The caller's BYE, with its own From and To written out: after a re-INVITE
 * from the server, `[last_From:]` would be the server's and the BYE would be
 * answered 481.
 */
function callerBye(from: string, to: string): string {
  return `  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Caller" <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:${to}@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" crlf="true"/>`;
}

/** A caller (PCMA + RFC 2833) dialling the hotline from `from`, then the steps. */
export function sessionCallerScenario(options: { from: string; to?: string; steps: SessionCallerStep[] }): string {
  const to = options.to ?? 'hotline';
  let version = 1;
  const body = options.steps.map((step) => {
    if ('pauseMs' in step) return `  <pause milliseconds="${step.pauseMs}"/>`;
    if ('key' in step) return `  <nop><action><exec play_pcap_audio="${dtmfPcap(step.key)}"/></action></nop>\n  <pause milliseconds="400"/>`;
    if ('audio' in step) return `  <nop><action><exec play_pcap_audio="${path.join('/usr/share/sip-tester', 'g711a.pcap')}"/></action></nop>`;
    if ('audioFile' in step) return `  <nop><action><exec play_pcap_audio="${step.audioFile}"/></action></nop>`;
    if ('hangUp' in step) return callerBye(options.from, to);
    if ('reinvite' in step) {
      version += 1;
      return `  <recv request="INVITE" timeout="${step.timeoutMs ?? 60000}"/>\n${answerInvite(step.reinvite, version, false)}`;
    }
    return `  <recv request="BYE" timeout="${step.timeoutMs ?? 60000}"/>\n${REPLY_OK}`;
  });
  return wrap(`  <send retrans="500">
    <![CDATA[
      INVITE sip:${to}@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Caller" <sip:${options.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:${to}@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${options.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${sdpLines('sendrecv', 1)}
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
${body.join('\n')}`);
}

/**
 * A caller that gives up while still unanswered: INVITE, the 100 Trying,
 * then after `cancelAfterMs` a CANCEL (RFC 3261 §9.1), its 200 and the
 * INVITE's 487, and the ACK. A 200 to the INVITE fails the scenario.
 */
export function cancellingCallerScenario(options: { from: string; to?: string; cancelAfterMs: number }): string {
  const to = options.to ?? 'hotline';
  return wrap(`  <send retrans="500">
    <![CDATA[
      INVITE sip:${to}@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Caller" <sip:${options.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:${to}@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${options.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${sdpLines('sendrecv', 1)}
    ]]>
  </send>
  <recv response="100"/>
  <pause milliseconds="${options.cancelAfterMs}"/>
  <send>
    <![CDATA[
      CANCEL sip:${to}@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      CSeq: 1 CANCEL
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>
  <recv response="487"/>
  <send>
    <![CDATA[
      ACK sip:${to}@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>`);
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
      await new Promise((r) => setTimeout(r, everyMs));
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
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^The following events occurred:$/.test(line.trim()) && !/watchdog timer .* has been tripped/.test(line))
    .join('\n');
}
