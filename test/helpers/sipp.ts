import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PCAPS = '/usr/share/sip-tester';

/** The RFC 2833 pcap sipp ships for a key. */
export function dtmfPcap(key: string): string {
  const name = key === '#' ? 'pound' : key === '*' ? 'star' : key;
  return path.join(PCAPS, `dtmf_2833_${name}.pcap`);
}
export const AUDIO_PCAP = path.join(PCAPS, 'g711a.pcap');

/** One step of a simulated caller after the call is answered. */
export type CallerStep =
  | { pauseMs: number }
  | { key: string }
  | { audio: true }
  | { hangUp: true }
  | { awaitBye: true; timeoutMs?: number };

const sdp = ['v=0', 'o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]', 's=-', 'c=IN IP[media_ip_type] [media_ip]', 't=0 0', 'm=audio [media_port] RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv'].join('\n');

/** Our BYE on the call (RFC 3261 §15.1.1) and the 200 that answers it. */
export const SEND_BYE = `  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      CSeq: 3 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" crlf="true"/>`;

/** A 200 OK to the in-dialog request just received (BYE, NOTIFY), echoing its headers. */
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

/**
 * A caller scenario: INVITE with PCMA and telephone-event, then the steps.
 * `cancelAfterMs` instead hangs up while still ringing (CANCEL).
 */
export function callerScenario(options: { from: string; to: string; steps: CallerStep[]; cancelAfterMs?: number }): string {
  const invite = `
  <send retrans="500">
    <![CDATA[
      INVITE sip:${options.to}@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Caller" <sip:${options.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:${options.to}@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${options.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${sdp.split('\n').map((l) => `      ${l}`).join('\n')}
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>`;
  if (options.cancelAfterMs !== undefined) {
    return wrap(`${invite}
  <pause milliseconds="${options.cancelAfterMs}"/>
  <send>
    <![CDATA[
      CANCEL sip:${options.to}@[remote_ip]:[remote_port] SIP/2.0
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
      ACK sip:${options.to}@[remote_ip]:[remote_port] SIP/2.0
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
  const body = options.steps.map((step) => {
    if ('pauseMs' in step) return `  <pause milliseconds="${step.pauseMs}"/>`;
    if ('key' in step) return `  <nop><action><exec play_pcap_audio="${dtmfPcap(step.key)}"/></action></nop>\n  <pause milliseconds="400"/>`;
    if ('audio' in step) return `  <nop><action><exec play_pcap_audio="${AUDIO_PCAP}"/></action></nop>`;
    if ('hangUp' in step) {
      return SEND_BYE;
    }
    return `  <recv request="BYE" timeout="${step.timeoutMs ?? 60000}"/>\n${REPLY_OK}`;
  });
  return wrap(`${invite}
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

function wrap(inner: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<scenario name="switchboard test">\n${inner}\n</scenario>\n`;
}

export interface SippResult {
  exitCode: number | null;
  successful: number;
  failed: number;
  output: string;
  errors: string;
}

/**
 * Runs sipp once with a generated scenario against `target` (host:port),
 * from 127.0.0.1 on `localPort`/`mediaPort`. Resolves when sipp exits.
 */
export async function runSipp(options: { scenario: string; target: string; localPort: number; mediaPort: number; calls?: number; rate?: number; timeoutSeconds?: number; extraArgs?: string[] }): Promise<SippResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sipp-'));
  try {
    const file = path.join(dir, 'scenario.xml');
    writeFileSync(file, options.scenario);
    const args = [
      options.target, '-sf', file, '-m', String(options.calls ?? 1), '-r', String(options.rate ?? 1), '-l', String(options.calls ?? 1),
      '-i', '127.0.0.1', '-p', String(options.localPort), '-mp', String(options.mediaPort),
      '-timeout', `${options.timeoutSeconds ?? 60}s`, '-timeout_error', '-nostdin', '-trace_err', '-trace_stat', '-fd', '1',
      ...(options.extraArgs ?? []),
    ];
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const stat = readdirSync(dir).find((f) => f.endsWith('_.csv'));
    let successful = 0;
    let failed = 0;
    if (stat) {
      const lines = readFileSync(path.join(dir, stat), 'utf8').trim().split('\n');
      const header = (lines[0] ?? '').split(';');
      const last = (lines[lines.length - 1] ?? '').split(';');
      successful = Number(last[header.indexOf('SuccessfulCall(C)')] ?? 0);
      failed = Number(last[header.indexOf('FailedCall(C)')] ?? 0);
    }
    const errFile = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
    const errors = errFile && existsSync(path.join(dir, errFile)) ? readFileSync(path.join(dir, errFile), 'utf8') : '';
    return { exitCode, successful, failed, output, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A desk phone that is rung: `busy` answers 486, `ring` rings until
 * CANCELled. (An answering phone is sipp's built-in `uas` with -rtp_echo.)
 */
export function agentScenario(behaviour: 'busy' | 'ring'): string {
  const reply = (status: string, extra = ''): string => `  <send>
    <![CDATA[
      SIP/2.0 ${status}
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>${extra}
      Content-Length: 0
    ]]>
  </send>`;
  if (behaviour === 'busy') {
    return wrap(`  <recv request="INVITE"/>
${reply('486 Busy Here')}
  <recv request="ACK"/>`);
  }
  return wrap(`  <recv request="INVITE"/>
${reply('180 Ringing')}
  <recv request="CANCEL"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <send>
    <![CDATA[
      SIP/2.0 487 Request Terminated
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [last_cseq_number] INVITE
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>`);
}

/** Starts sipp as a phone in the background; resolve `done` for its exit code. */
export function startSippPhone(options: { /** Scenario XML, or the word uas for sipp's built-in answering phone. */ scenario: string; port: number; mediaPort: number; timeoutSeconds?: number }): { done: Promise<number | null>; stop: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-phone-'));
  const args = ['-i', '127.0.0.1', '-p', String(options.port), '-mp', String(options.mediaPort), '-m', '1', '-nostdin', '-timeout', `${options.timeoutSeconds ?? 60}s`, '-timeout_error'];
  if (options.scenario === 'uas') args.push('-sn', 'uas', '-rtp_echo');
  else {
    writeFileSync(path.join(dir, 'phone.xml'), options.scenario);
    args.push('-sf', path.join(dir, 'phone.xml'));
  }
  const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))).finally(() => rmSync(dir, { recursive: true, force: true }));
  return { done, stop: () => child.kill('SIGKILL') };
}

/** REGISTERs a staff member's desk phone at 127.0.0.1:`port` (digest auth), as sipp. */
export async function registerPhone(options: { target: string; port: number; user: string; password: string }): Promise<number | null> {
  const fixture = path.resolve(__dirname, '..', 'fixtures', 'sipp', 'register.xml');
  const child = spawn('sipp', [options.target, '-sf', fixture, '-m', '1', '-i', '127.0.0.1', '-p', String(options.port), '-au', options.user, '-ap', options.password, '-key', 'user', options.user, '-key', 'contact_user', options.user, '-key', 'expires', '600', '-nostdin', '-timeout', '10s', '-timeout_error'], { cwd: os.tmpdir(), stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/**
 * A desk phone that answers, talks for `pauseMs`, then blind-transfers the
 * call with a REFER on its dialog (RFC 3515) to `referTo` (e.g.
 * `sip:queue-finance@127.0.0.1`): expects 202, answers the NOTIFY (sipfrag),
 * then expects the BYE that ends its leg.
 */
export function referringAgentScenario(options: { referTo: string; pauseMs: number }): string {
  const sdpLines = sdp.split('\n').map((l) => `      ${l}`).join('\n');
  return wrap(`  <recv request="INVITE">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="remote_from"/>
      <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="local_to"/>
      <ereg regexp="sips?:[^>;]+" search_in="hdr" header="Contact:" check_it="true" assign_to="remote_contact"/>
    </action>
  </recv>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

${sdpLines}
    ]]>
  </send>
  <recv request="ACK"/>
  <pause milliseconds="${options.pauseMs}"/>
  <send retrans="500">
    <![CDATA[
      REFER [$remote_contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$local_to];tag=[pid]SIPpTag01[call_number]
      To: [$remote_from]
      [last_Call-ID:]
      CSeq: 101 REFER
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Refer-To: <${options.referTo}>
      Referred-By: <sip:[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="202"/>
  <recv request="NOTIFY"/>
${REPLY_OK}
  <recv request="BYE"/>
${REPLY_OK}`);
}
