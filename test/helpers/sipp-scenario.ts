import path from 'node:path';

/**
 * sipp scenario XML for the tests, as fragments that compose: every caller,
 * desk phone and trunk the E2E tests play is built from these, so that a SIP
 * detail (a tag, a dialog header, how a BYE is addressed) is right, and
 * fixed, in one place.
 *
 * A fragment is a piece of the scenario's body, its lines indented for the
 * <scenario> element; fragments join with newlines and `scenario()` wraps
 * the whole. sipp strips each message line's indentation.
 */

const PCAPS = '/usr/share/sip-tester';

/** The RFC 2833 pcap sipp ships for a key. */
export function dtmfPcap(key: string): string {
  const name = key === '#' ? 'pound' : key === '*' ? 'star' : key;
  return path.join(PCAPS, `dtmf_2833_${name}.pcap`);
}

/** About 7 s of PCMA speech that sipp ships. */
export const AUDIO_PCAP = path.join(PCAPS, 'g711a.pcap');

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/**
 * Our SDP (PCMA and telephone-event) for a message body. `version` is the
 * o= session version: a phone that offers again in the same session must
 * raise it (RFC 3264 §8), so phones that re-INVITE or answer re-INVITEs
 * count it up from 1.
 */
export function sdpBody(direction: SdpDirection = 'sendrecv', version = 1): string {
  return ['v=0', `o=user1 53655765 ${version} IN IP[local_ip_type] [local_ip]`, 's=-', 'c=IN IP[media_ip_type] [media_ip]', 't=0 0', 'm=audio [media_port] RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', `a=${direction}`]
    .map((l) => `      ${l}`).join('\n');
}

/** A whole scenario file around `inner`. */
export function scenario(inner: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<scenario name="switchboard test">\n${inner}\n</scenario>\n`;
}

/** The tag sipp gives the dialogs it starts (as the caller, the UAC). */
const CALLER_TAG = ';tag=[pid]SIPpTag00[call_number]';
/** The To tag sipp gives the dialogs it answers (as the rung phone, the UAS). */
const CALLEE_TAG = ';tag=[pid]SIPpTag01[call_number]';

// ---- messages -------------------------------------------------------------------

/** The headers a message takes from the one just received: the dialog as that message named it. */
const LAST_DIALOG = ['[last_From:]', '[last_To:]', '[last_Call-ID:]'];

const OUR_CONTACT = 'Contact: <sip:[local_ip]:[local_port];transport=[transport]>';

/** A message's lines, indented for the CDATA; a body (SDP) gets its Content-Type and length. */
function message(startLine: string, headers: string[], sdp: string | undefined, retransmit: boolean): string {
  const body = sdp === undefined ? ['Content-Length: 0'] : ['Content-Type: application/sdp', 'Content-Length: [len]'];
  return `  <send${retransmit ? ' retrans="500"' : ''}>
    <![CDATA[
${[startLine, ...headers, ...body].map((l) => `      ${l}`).join('\n')}${sdp === undefined ? '' : `\n\n${sdp}`}
    ]]>
  </send>`;
}

/**
 * A request we send. `dialog` is its From, To and Call-ID lines. A new
 * transaction gets a Via of its own; the ACK of a failure and the CANCEL
 * belong to the INVITE's transaction and repeat its Via (RFC 3261
 * §17.1.1.3, §9.1). `retransmit` over UDP until answered.
 */
function sendRequest(options: { method: string; uri: string; cseq: number; dialog: string[]; newTransaction?: boolean; headers?: string[]; sdp?: string; retransmit?: boolean }): string {
  const via = options.newTransaction === false ? '[last_Via:]' : 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]';
  return message(`${options.method} ${options.uri} SIP/2.0`, [via, ...options.dialog, `CSeq: ${options.cseq} ${options.method}`, ...(options.headers ?? []), 'Max-Forwards: 70'], options.sdp, options.retransmit ?? false);
}

/**
 * A response to the request just received, echoing its headers. `toTag`
 * when it answers a request that starts our dialog (INVITE, and its CANCEL);
 * `cseq` to answer the INVITE after something else was received (a 487
 * after the CANCEL: `[last_cseq_number] INVITE`); `contact` for one that
 * sets up the dialog.
 */
function sendResponse(status: string, options: { toTag?: boolean; cseq?: string; contact?: boolean; sdp?: string; retransmit?: boolean } = {}): string {
  const headers = ['[last_Via:]', '[last_From:]', `[last_To:]${options.toTag ? CALLEE_TAG : ''}`, '[last_Call-ID:]', options.cseq === undefined ? '[last_CSeq:]' : `CSeq: ${options.cseq}`, ...(options.contact ? [OUR_CONTACT] : [])];
  return message(`SIP/2.0 ${status}`, headers, options.sdp, options.retransmit ?? false);
}

// ---- receiving ----------------------------------------------------------------

/** A check on what was received: `regexp` must match the header (or, without one, the whole message); the match is kept in `assignTo`. */
export interface Check {
  regexp: string;
  header?: string;
  assignTo: string;
}

function recv(attributes: string, checks: Check[] = []): string {
  if (checks.length === 0) return `  <recv ${attributes}/>`;
  const eregs = checks.map((c) => {
    const where = c.header ? `search_in="hdr" header="${c.header}"` : 'search_in="msg"';
    return `      <ereg regexp="${c.regexp}" ${where} check_it="true" assign_to="${c.assignTo}"/>`;
  });
  return `  <recv ${attributes}>\n    <action>\n${eregs.join('\n')}\n    </action>\n  </recv>`;
}

/** Waits for a request (e.g. INVITE, ACK, BYE); without `timeoutMs` for as long as the whole call may take. */
export function receiveRequest(method: string, options: { timeoutMs?: number; checks?: Check[] } = {}): string {
  return recv(`request="${method}"${options.timeoutMs === undefined ? '' : ` timeout="${options.timeoutMs}"`}`, options.checks);
}

/**
 * Waits for a response. `optional` ones may not come (provisionals);
 * `auth` keeps a 407's challenge for the next [authentication].
 */
export function receiveResponse(code: number, options: { optional?: boolean; auth?: boolean; checks?: Check[] } = {}): string {
  return recv(`response="${code}"${options.optional ? ' optional="true"' : ''}${options.auth ? ' auth="true"' : ''}`, options.checks);
}

/** Whatever provisional responses come (all optional). */
export function provisionals(...codes: number[]): string {
  return codes.map((code) => receiveResponse(code, { optional: true })).join('\n');
}

/**
 * The 2xx to our INVITE. rrs keeps its Record-Route and Contact for
 * [next_url], where our in-dialog requests go; rtd times the call setup.
 */
export function receiveAnswer(): string {
  return '  <recv response="200" rtd="true" rrs="true"/>';
}

/**
 * What a rung phone keeps of the INVITE to send requests on that dialog
 * itself (re-INVITE, REFER, BYE): sipp has no dialog state, its [last_…]
 * headers echo the last message received, and for the side that answered
 * the INVITE From and To are the other way round. A phone that never sends
 * requests of its own keeps nothing: sipp refuses variables that are set
 * and never used.
 */
export const KEEP_DIALOG: Check[] = [
  { regexp: '.*', header: 'From:', assignTo: 'remote_from' },
  { regexp: '.*', header: 'To:', assignTo: 'local_to' },
  { regexp: 'sips?:[^>;]+', header: 'Contact:', assignTo: 'remote_contact' },
];

/** Marks check variables as used (sipp refuses a scenario that sets variables it never reads). */
export function referenceVariables(...names: string[]): string {
  return `  <Reference variables="${names.join(',')}"/>`;
}

// ---- answering ------------------------------------------------------------------

/** A 200 OK to the in-dialog request just received (BYE, NOTIFY). */
export function replyOk(): string {
  return sendResponse('200 OK');
}

/** Waits for the BYE that ends our leg and answers it. */
export function awaitBye(timeoutMs?: number): string {
  return `${receiveRequest('BYE', { timeoutMs })}\n${replyOk()}`;
}

/** A response without a body to the INVITE (or its CANCEL) just received, with our To tag: see sendResponse. */
export function respond(status: string, options: { contact?: boolean; cseq?: string } = {}): string {
  return sendResponse(status, { ...options, toTag: true });
}

/**
 * 200 OK with our SDP to the INVITE or re-INVITE just received, then its
 * ACK. `toTag` for the first INVITE (a re-INVITE's To has the tag already);
 * `retransmit`: resend it until the ACK comes, as a UAS does over UDP
 * (RFC 3261 §13.3.1.4).
 */
export function answerInvite(options: { direction?: SdpDirection; version?: number; toTag?: boolean; retransmit?: boolean } = {}): string {
  const sdp = sdpBody(options.direction, options.version);
  return `${sendResponse('200 OK', { toTag: options.toTag !== false, contact: true, sdp, retransmit: options.retransmit })}
${receiveRequest('ACK')}`;
}

/** A phone or trunk rung with an INVITE (which must pass `checks`) that answers it at once. */
export function answerCall(checks: Check[] = []): string {
  return `${receiveRequest('INVITE', { checks })}\n${answerInvite()}`;
}

/** A phone or trunk rung with an INVITE that refuses it with `status` (486 busy, 603 declined). */
export function refuseCall(status: string): string {
  return `${receiveRequest('INVITE')}\n${respond(status)}\n${receiveRequest('ACK')}`;
}

// ---- media and time -------------------------------------------------------------

export function pause(ms: number): string {
  return `  <pause milliseconds="${ms}"/>`;
}

/** Plays a pcap's RTP (PCMA audio, by default sipp's speech sample) toward the far end, without waiting for it to end. */
export function playAudio(file = AUDIO_PCAP): string {
  return `  <nop><action><exec play_pcap_audio="${file}"/></action></nop>`;
}

/** Presses a key as RFC 2833 telephone-events, and lets them finish before the next step. */
export function pressKey(key: string): string {
  return `${playAudio(dtmfPcap(key))}\n${pause(400)}`;
}

// ---- calling --------------------------------------------------------------------

export interface InviteOptions {
  /** Our user: the From user and the Contact user. */
  from: string;
  /** The Request-URI and To user. */
  to: string;
  /**
   * `caller` (default): an outside caller, From "Caller" at its own address.
   * `staff`: a staff phone, whose From is its address of record at the server,
   * as a registered phone's is.
   */
  as?: 'caller' | 'staff';
  cseq?: number;
  /** Carries sipp's [authentication]: the Proxy-Authorization for the challenge kept by the last 407 (-au/-ap). */
  auth?: boolean;
  /** The offer; default PCMA + RFC 2833, sendrecv. null: none (a delayed offer, RFC 3261 §13.2.1: the answer goes in the ACK). */
  sdp?: string | null;
}

/** Our INVITE starting a call. */
export function sendInvite(options: InviteOptions): string {
  const from = options.as === 'staff' ? `<sip:${options.from}@[remote_ip]>` : `"Caller" <sip:${options.from}@[local_ip]:[local_port]>`;
  return sendRequest({
    method: 'INVITE', uri: `sip:${options.to}@[remote_ip]:[remote_port]`, cseq: options.cseq ?? 1, retransmit: true,
    dialog: [`From: ${from}${CALLER_TAG}`, `To: <sip:${options.to}@[remote_ip]:[remote_port]>`, 'Call-ID: [call_id]'],
    headers: [`Contact: <sip:${options.from}@[local_ip]:[local_port]>`, ...(options.auth ? ['[authentication]'] : [])],
    ...(options.sdp === null ? {} : { sdp: options.sdp ?? sdpBody() }),
  });
}

/**
 * The ACK for the 2xx to our INVITE: a request of its own on the dialog (RFC 3261 §13.2.2.4), sent where
 * [next_url] says; with `sdp` it carries our answer to an offer the 2xx made (delayed offer).
 */
export function sendAck(cseq: number, sdp?: string): string {
  return sendRequest({ method: 'ACK', uri: '[next_url]', cseq, dialog: LAST_DIALOG, ...(sdp === undefined ? {} : { sdp }) });
}

/** The ACK for a failure response to our INVITE to `to`. */
export function ackFailure(to: string, cseq: number): string {
  return sendRequest({ method: 'ACK', uri: `sip:${to}@[remote_ip]:[remote_port]`, cseq, dialog: LAST_DIALOG, newTransaction: false });
}

/**
 * Giving up on our unanswered INVITE to `to` after `afterMs`: CANCEL (RFC
 * 3261 §9.1), its 200, the INVITE's 487 and our ACK. A 200 to the INVITE
 * fails the scenario.
 */
export function cancelInvite(to: string, afterMs: number): string {
  return `${pause(afterMs)}
${sendRequest({ method: 'CANCEL', uri: `sip:${to}@[remote_ip]:[remote_port]`, cseq: 1, dialog: LAST_DIALOG, newTransaction: false })}
${receiveResponse(200)}
${receiveResponse(487)}
${ackFailure(to, 1)}`;
}

/**
 * Our BYE on the call we placed, with From and To taken from the last
 * message received: right only while that was on our own dialog's terms
 * (the 200 to our INVITE), not after a request from the server.
 */
export function sendBye(cseq: number): string {
  return `${sendRequest({ method: 'BYE', uri: '[next_url]', cseq, dialog: LAST_DIALOG, retransmit: true })}
  <recv response="200" crlf="true"/>`;
}

/**
 * The caller's BYE, with its own From and To written out: after a re-INVITE
 * from the server, `[last_From:]` would be the server's and the BYE would be
 * answered 481.
 */
export function callerBye(options: { from: string; to: string }): string {
  const dialog = [`From: "Caller" <sip:${options.from}@[local_ip]:[local_port]>${CALLER_TAG}`, `To: <sip:${options.to}@[remote_ip]:[remote_port]>[peer_tag_param]`, 'Call-ID: [call_id]'];
  return `${sendRequest({ method: 'BYE', uri: '[next_url]', cseq: 2, dialog, retransmit: true })}
  <recv response="200" crlf="true"/>`;
}

// ---- requests of a rung phone on its own dialog ------------------------------------

/** From, To and Call-ID of a request the rung phone sends on its dialog (it is the UAS of the INVITE: its From is the INVITE's To). Needs KEEP_DIALOG. */
const CALLEE_DIALOG = [`From: [$local_to]${CALLEE_TAG}`, 'To: [$remote_from]', '[last_Call-ID:]'];

/** A request of the rung phone on its own dialog, sent to the far end's Contact. */
function phoneRequest(method: string, cseq: number, more: { headers?: string[]; sdp?: string } = {}): string {
  return sendRequest({ method, uri: '[$remote_contact]', cseq, dialog: CALLEE_DIALOG, retransmit: method !== 'ACK', ...more });
}

/** A re-INVITE the rung phone sends on its own dialog (RFC 3261 §14.1), with its 200 and ACK. */
export function phoneReinvite(direction: SdpDirection, cseq: number, version: number): string {
  return `${phoneRequest('INVITE', cseq, { headers: [OUR_CONTACT], sdp: sdpBody(direction, version) })}
${receiveResponse(100, { optional: true })}
${receiveResponse(200)}
${phoneRequest('ACK', cseq)}`;
}

/** The rung phone hangs up: its BYE, and the 200. */
export function phoneBye(cseq: number): string {
  return `${phoneRequest('BYE', cseq)}\n${receiveResponse(200)}`;
}

/** The rung phone blind-transfers its call to `referTo` with a REFER on its dialog (RFC 3515), and the 202. */
export function phoneRefer(referTo: string, cseq: number): string {
  return `${phoneRequest('REFER', cseq, { headers: [OUR_CONTACT, `Refer-To: <${referTo}>`, 'Referred-By: <sip:[local_ip]:[local_port]>'] })}
${receiveResponse(202)}`;
}

// ---- whole callers ------------------------------------------------------------------

/** One step of a simulated caller after the call is answered. */
export type CallerStep =
  | { pauseMs: number }
  | { key: string }
  | { audio: true }
  /** PCMA audio from this pcap (e.g. a continuation of the previous block: see softphone-kit continuousAudioPcaps). */
  | { audioFile: string }
  | { hangUp: true }
  /** Takes a re-INVITE from the server (hold, transfer) and answers it with this direction. */
  | { reinvite: 'recvonly' | 'sendrecv'; timeoutMs?: number }
  | { awaitBye: true; timeoutMs?: number };

/**
 * A caller (PCMA + RFC 2833) dialling `to` from `from`, then the steps once
 * answered. `cancelAfterMs` instead hangs up while it still rings (CANCEL).
 * `delayedOffer`: the INVITE carries no SDP, as many carriers send it; the
 * 2xx brings the server's offer and the ACK our answer.
 */
export function callerScenario(options: { from: string; to: string; steps: CallerStep[]; cancelAfterMs?: number; delayedOffer?: boolean }): string {
  const invite = `${sendInvite({ from: options.from, to: options.to, ...(options.delayedOffer ? { sdp: null } : {}) })}\n${provisionals(100, 180, 183)}`;
  if (options.cancelAfterMs !== undefined) return scenario(`${invite}\n${cancelInvite(options.to, options.cancelAfterMs)}`);
  let version = 1;
  const body = options.steps.map((step) => {
    if ('pauseMs' in step) return pause(step.pauseMs);
    if ('key' in step) return pressKey(step.key);
    if ('audio' in step) return playAudio();
    if ('audioFile' in step) return playAudio(step.audioFile);
    if ('hangUp' in step) return callerBye({ from: options.from, to: options.to });
    if ('reinvite' in step) {
      version += 1;
      return `${receiveRequest('INVITE', { timeoutMs: step.timeoutMs ?? 60000 })}\n${answerInvite({ direction: step.reinvite, version, toTag: false })}`;
    }
    return awaitBye(step.timeoutMs ?? 60000);
  });
  return scenario(`${invite}
${receiveAnswer()}
${options.delayedOffer ? sendAck(1, sdpBody()) : sendAck(1)}
${body.join('\n')}`);
}

/**
 * A staff desk phone dialling `dialled` as `user`: INVITE, 407, ACK, INVITE
 * with Proxy-Authorization (run sipp with -au/-ap and -auth_uri). With
 * `expect` 200 it talks for `talkMs` (sending sipp's speech sample with
 * `audio`) and hangs up; otherwise it expects that final response and,
 * with `warning`, a Warning header matching it.
 */
export function deviceCallerScenario(options: { dialled: string; user: string; expect: number; warning?: string; talkMs?: number; audio?: boolean }): string {
  const invite = (cseq: number, auth: boolean): string => `${sendInvite({ from: options.user, to: options.dialled, as: 'staff', cseq, auth })}\n${provisionals(100)}`;
  const first = `${invite(1, false)}
${receiveResponse(407, { auth: true })}
${ackFailure(options.dialled, 1)}
${invite(2, true)}
${provisionals(180)}`;
  if (options.expect !== 200) {
    const checks = options.warning ? [{ regexp: options.warning, header: 'Warning:', assignTo: 'warning' }] : [];
    return scenario(`${first}
${receiveResponse(options.expect, { checks })}
${ackFailure(options.dialled, 2)}${options.warning ? `\n${referenceVariables('warning')}` : ''}`);
  }
  return scenario(`${first}
${receiveAnswer()}
${sendAck(2)}${options.audio ? `\n${playAudio()}` : ''}
${pause(options.talkMs ?? 5000)}
${sendBye(3)}`);
}

/**
 * A caller the server may refuse at the door (issue 16, overload): the
 * INVITE gets either the 2xx — then the steps run as in callerScenario — or
 * `status` with a reason phrase matching `reason` and a Retry-After of whole
 * seconds (RFC 3261 §20.33), which the caller ACKs. Both end the call as a
 * success in sipp's count; any other answer, or a refusal without
 * Retry-After, fails it.
 */
export function refusableCallerScenario(options: { from: string; to: string; steps: CallerStep[]; refusal: { status: number; reason: string } }): string {
  const answered = callerScenario({ from: options.from, to: options.to, steps: options.steps });
  const refused = `  <recv response="${options.refusal.status}" optional="true" next="refused">
    <action>
      <ereg regexp="^SIP/2\\.0 ${options.refusal.status} ${options.refusal.reason}" search_in="msg" check_it="true" assign_to="refusal_line"/>
      <ereg regexp="[0-9]+" search_in="hdr" header="Retry-After:" check_it="true" assign_to="retry_after"/>
    </action>
  </recv>`;
  const answer = receiveAnswer();
  if (!answered.includes(answer) || !answered.includes('</scenario>')) throw new Error('callerScenario no longer has the expected shape: update refusableCallerScenario');
  return answered
    .replace(answer, `${refused}\n${answer}`)
    .replace('</scenario>', `  <nop next="end"/>
  <label id="refused"/>
${ackFailure(options.to, 1)}
${referenceVariables('refusal_line', 'retry_after')}
  <label id="end"/>
</scenario>`);
}
