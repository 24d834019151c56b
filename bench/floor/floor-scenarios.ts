/**
 * The two sipp scenarios of the floor (issue 16), built from the test kit's
 * fragments so that every SIP detail is the one the E2E tests use. Pure:
 * strings only.
 *
 * Caller (UAC), one line of the injection file per call
 * (index;number;due ms;digits;patience ms — see floor-plan callerCsv):
 * waits until its due time, INVITEs the hotline from its number, logs the
 * moment it sends the INVITE (just before: sipp looks for the optional
 * provisionals right after the send), hears the greeting for 2.5 s, presses its
 * digits (RFC 4733 from sipp's pcaps), then plays its tone until the end.
 * A patient caller waits for Switchboard's BYE (the agent hung up). An
 * impatient one hangs up after its patience: sipp cannot tell when an agent
 * took the call (the caller's dialog does not change when it is bridged), so
 * an impatient caller answered before its patience ran out hangs up on the
 * agent; the call row says which happened (abandoned_queue or answered).
 * A caller refused by the overload control (503 + Retry-After, no call row
 * by design) ACKs and logs `refused`, so that the run tells refusals from
 * lost rows.
 *
 * Agent phone (UAS), one line per incoming call (ring ms;talk ms): logs the
 * INVITE's arrival with Switchboard's X-Switchboard-Call-Id, rings for its
 * ring delay, answers, plays its tone, and hangs up after its talk time —
 * the agent ends the call, as on a real floor. A BYE or CANCEL from
 * Switchboard meanwhile (the caller gave up) is answered by sipp's default
 * behaviour and ends that call.
 */
import {
  KEEP_DIALOG, ackFailure, answerInvite, callerBye, dtmfPcap, pause, phoneBye, playAudio, provisionals, receiveAnswer, receiveRequest, replyOk, respond, scenario, sendAck, sendInvite,
} from '../../test/helpers/sipp-scenario';

/** The number the callers dial. */
export const HOTLINE = 'hotline';

/** The digit strings a caller may press (floor-plan drawDigits), each a branch of the scenario. */
export const DIGIT_BRANCHES = ['1', '0', '21', '22', '23'] as const;

const logLine = (message: string): string => `  <nop><action><log message="${message}"/></action></nop>`;

/** Reads injection field `field` into the double variable `name` (sipp pauses and tests need doubles). */
const fieldToDouble = (field: number, name: string): string =>
  `  <nop><action><assignstr assign_to="${name}_s" value="[field${field}]"/><todouble assign_to="${name}" variable="${name}_s"/></action></nop>`;

const pressDigits = (digits: string): string =>
  [...digits].map((key, i) => `${i > 0 ? `${pause(1500)}\n` : ''}${playAudio(dtmfPcap(key))}\n${pause(400)}`).join('\n');

export function floorCallerScenario(tonePcap: string): string {
  const from = '[field1]';
  // Branch tests: the digits field as a number (1, 0, 21, 22, 23).
  const tests = DIGIT_BRANCHES.map((d) => `<test assign_to="k${d}" variable="digits" compare="equal" value="${d}"/>`).join('');
  const branches = DIGIT_BRANCHES.map((d) => `  <label id="k${d}"/>\n${pressDigits(d)}\n  <nop next="talk"/>`).join('\n');
  return scenario(`${fieldToDouble(2, 'due')}
  <pause variable="due"/>
${logLine('invite;[timestamp];[call_id];[field0]')}
${sendInvite({ from, to: HOTLINE })}
${provisionals(100, 180, 183)}
  <recv response="503" optional="true" next="refused"/>
${receiveAnswer()}
${logLine('answered;[timestamp];[call_id];[field0]')}
${sendAck(1)}
${pause(2500)}
${fieldToDouble(3, 'digits')}
${fieldToDouble(4, 'patience')}
  <nop><action>${tests}<test assign_to="impatient" variable="patience" compare="greater_than" value="0"/></action></nop>
${DIGIT_BRANCHES.map((d) => `  <nop next="k${d}" test="k${d}"/>`).join('\n')}
  <nop next="talk"/>
${branches}
  <label id="talk"/>
${playAudio(tonePcap)}
  <nop next="giveup" test="impatient"/>
${receiveRequest('BYE', { timeoutMs: 3_600_000 })}
${replyOk()}
${logLine('ended;[timestamp];[call_id];[field0];bye')}
  <nop next="done"/>
  <label id="giveup"/>
  <pause variable="patience"/>
${logLine('ended;[timestamp];[call_id];[field0];gave-up')}
${callerBye({ from, to: HOTLINE })}
  <nop next="done"/>
  <label id="refused"/>
${ackFailure(HOTLINE, 1)}
${logLine('refused;[timestamp];[call_id];[field0];503')}
  <label id="done"/>
${pause(0)}`);
}

export function floorAgentScenario(tonePcap: string): string {
  const checks = [...KEEP_DIALOG, { regexp: '[^ ]+', header: 'X-Switchboard-Call-Id:', assignTo: 'sb_call' }];
  return scenario(`${receiveRequest('INVITE', { checks })}
${logLine('invite;[timestamp];[$sb_call];[call_id]')}
${respond('180 Ringing', { contact: true })}
${fieldToDouble(0, 'ring')}
${fieldToDouble(1, 'talk')}
  <pause variable="ring"/>
${answerInvite({ retransmit: true })}
${logLine('answered;[timestamp];[$sb_call];[call_id]')}
${playAudio(tonePcap)}
  <pause variable="talk"/>
${phoneBye(2)}
${logLine('hung-up;[timestamp];[$sb_call];[call_id]')}`);
}

/** One line of a floor sipp log: what happened, when (epoch ms), and the fields after. */
export interface SippLogLine {
  what: string;
  atMs: number;
  fields: string[];
}

/**
 * Parses the lines our <log> actions wrote: `what;<date>\t<time>\t<epoch.micro>;field;…`
 * ([timestamp] is date, time and epoch seconds separated by tabs).
 */
export function parseSippLog(text: string): SippLogLine[] {
  const out: SippLogLine[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(';');
    if (parts.length < 2) continue;
    const epoch = Number((parts[1] ?? '').split('\t')[2]);
    if (!Number.isFinite(epoch)) continue;
    out.push({ what: parts[0]!, atMs: epoch * 1000, fields: parts.slice(2) });
  }
  return out;
}
