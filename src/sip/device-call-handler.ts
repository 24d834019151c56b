import { ivrFlowStore } from '../db/config-stores';
import { validateFlowForScope } from '../db/config-validation';
import { findDialerBySipUsername, findDialer, listActiveSipUsernames } from '../db/repositories/dialer-repository';
import { staffMayEditIvr } from '../db/repositories/ivr-editors-repository';
import type { Queryable } from '../db/pool';
import type { Logger } from '../logger';
import { formatIssue } from '../routing/validation-result';
import type { StaffSipCredentials } from './softphone-credentials';
import type { CallServices } from './call-services';
import { classifyDialled, requestUriUser, type DialTarget } from './dial-plan';
import { buildChallenge, readDigestCredentials } from './digest-auth';
import type { DraftTest } from './inbound-call';
import type { OutboundDialer } from './outbound-dialer';
import { THROTTLED, type Registrar } from './registrar';
import { reasonPhrase, refuse, sipFailureFor } from './sip-status';
import type { InboundRequest, SrfRequest, SrfResponse } from './srf-types';
import { isAppError, type AppError, type ErrorCode } from '../errors/app-error';

/** The authentication step's decision for one INVITE. */
export type DeviceAuthVerdict =
  | { kind: 'authenticated'; staff: StaffSipCredentials }
  | { kind: 'refuse'; status: number; reason: string; headers: Record<string, string> };

function authRefusal(status: number, headers: Record<string, string> = {}, reason = reasonPhrase(status)): DeviceAuthVerdict {
  return { kind: 'refuse', status, reason, headers };
}

/** Runs a draft-test call through the hotline's call path (InboundCallHandler.startDraftTest). */
export interface DraftTestRunner {
  startDraftTest(req: SrfRequest, res: SrfResponse, draftTest: DraftTest): void;
}

/** How a draft-test INVITE is refused: a status a phone shows, its reason phrase, and the detail in a Warning header. */
interface DraftRefusal {
  code: ErrorCode;
  /** Said in the reason phrase, in parentheses. */
  why: string;
  /** The whole story, in a Warning header (RFC 3261 §20.43). */
  detail: string;
}

/**
 * A Warning header value (RFC 3261 §20.43): code 399 (miscellaneous), our
 * name as the agent, the text as a quoted-string — quotes and backslashes
 * escaped, line breaks and other control characters dropped, kept short.
 */
export function warningHeader(text: string): string {
  // Printable ASCII only: a header line must not break, and phones differ in what else they show.
  const clean = text.replace(/[^ -~]+/g, ' ').trim();
  const short = clean.length > 300 ? `${clean.slice(0, 297)}...` : clean;
  return `399 switchboard "${short.replace(/(["\\])/g, '\\$1')}"`;
}

/** The catalogue codes the outbound policy refuses with (outbound-dialer.ts refusalOf). */
const POLICY_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['DESTINATION_NOT_ALLOWED', 'CALL_LIMIT_REACHED', 'FORBIDDEN']);

/** What a phone shows in the reason phrase: the policy's reason code in words (`Forbidden (premium rate)`). */
function policyReasonOf(err: AppError): string {
  const reason = err.details.find((d) => d.path === 'reason')?.message;
  if (reason === 'no_dial_out_right' || reason === undefined) return 'no dial-out permission';
  return reason.replace(/_/g, ' ');
}

export interface DeviceCallHandlerOptions {
  services: CallServices;
  registrar: Registrar;
  dialer: OutboundDialer;
  db: Queryable;
  defaultCountry: string;
  logger: Logger;
  /** Takes draft-test calls (`ivr-draft-…`, issue 7); without it they are refused with 503. */
  hotline?: DraftTestRunner;
}

/**
 * INVITEs from anywhere but a trunk: a staff phone or softphone placing a
 * call. The caller must prove who they are with Digest (RFC 3261 §22.3: a
 * proxy-style 407 with Proxy-Authenticate, answered with
 * Proxy-Authorization), checked with the registrar's own credentials, nonce
 * store and lock-out, with the same answers for unknown users and wrong
 * passwords. Then the Request-URI decides: a colleague's SIP username rings
 * that colleague; anything that reads as a number goes out through the
 * trunk if the caller may dial out, else 403. No path here reaches a trunk
 * without valid credentials of a staff member allowed to dial out.
 * `ivr-draft-<flow>` (dial-plan.ts) runs the hotline's call path on that
 * flow's draft, for people who may edit IVR flows (else 403).
 */
export class DeviceCallHandler {
  private readonly log: Logger;

  constructor(private readonly options: DeviceCallHandlerOptions) {
    this.log = options.logger.child({ module: 'device-calls' });
  }

  /** Answers one device INVITE; never throws (every path sends exactly one final response). */
  handle(req: SrfRequest, res: SrfResponse): void {
    this.route(req, res).catch((err: unknown) => {
      const failure = sipFailureFor(err);
      this.log.error({ err, sipCallId: req.get('Call-ID') }, 'device INVITE could not be handled');
      if (!res.finalResponseSent) res.send(failure.status, failure.reason, { headers: failure.headers });
    });
  }

  private async route(req: SrfRequest, res: SrfResponse): Promise<void> {
    const log = this.log.child({ sipCallId: req.get('Call-ID') ?? null, source: `${req.source_address}:${req.source_port}` });
    const verdict = await this.authenticate(req, log);
    if (verdict.kind === 'refuse') {
      res.send(verdict.status, verdict.reason, { headers: verdict.headers });
      return;
    }
    const caller = verdict.staff;
    const dialled = requestUriUser(req.uri);
    const target = dialled === null ? null : await this.classify(dialled);
    log.info({ staffId: caller.staffId, dialled, target: target?.kind ?? null }, 'call from a staff device');
    if (!target || target.kind === 'unknown') {
      refuse(res, 'NOT_FOUND', 'nobody or nothing by that number');
      return;
    }
    if (target.kind === 'ivr_draft') {
      await this.startDraftTest(req, res, caller, target, log);
      return;
    }
    const from = { staffId: caller.staffId, username: caller.username };
    if (target.kind === 'external') {
      const dialer = await findDialer(this.options.db, caller.staffId);
      if (!dialer?.active) {
        log.warn({ staffId: caller.staffId, dialled }, 'outbound call refused: the caller is not an active staff member');
        refuse(res, 'FORBIDDEN', 'no dial-out permission');
        return;
      }
      try {
        await this.options.dialer.placeFromDevice(req, res, from, { kind: 'external', e164: target.e164, dialer });
      } catch (err) {
        // The outbound policy said no (issue 15; the dialer logged why): 403 with the reason in the phrase and a Warning.
        if (!isAppError(err) || !POLICY_REFUSALS.has(err.code)) throw err;
        refuse(res, err.code, policyReasonOf(err), { Warning: warningHeader(err.message) });
      }
      return;
    }
    const callee = await this.calleeOf(target);
    if (!callee || callee.staffId === caller.staffId) {
      if (callee) refuse(res, 'BUSY', 'calling yourself');
      else refuse(res, 'NOT_FOUND', 'no such colleague');
      return;
    }
    const contacts = await this.options.services.contactsOf(callee.staffId);
    if (contacts.length === 0) {
      refuse(res, 'NO_DEVICE', 'no registered phone');
      return;
    }
    await this.options.dialer.placeFromDevice(req, res, from, { kind: 'staff', staffId: callee.staffId, username: callee.username, contacts });
  }

  /**
   * A draft test: only for the people who may edit IVR flows; the draft must
   * exist and pass the same validator as a save or a publish (the prompt
   * catalogue may have changed since the draft was saved). Refusals carry
   * the reason in the phrase and the detail in a Warning header, which is
   * what a phone can show: 403, 404, 606 for an invalid draft (RFC 3261
   * §21.6.4: this request will not be accepted as it is, wherever it goes).
   */
  private async startDraftTest(req: SrfRequest, res: SrfResponse, caller: StaffSipCredentials, target: Extract<DialTarget, { kind: 'ivr_draft' }>, log: Logger): Promise<void> {
    const refuseDraft = (refusal: DraftRefusal): void => {
      log.info({ staffId: caller.staffId, flow: target.flow, version: target.version, code: refusal.code, detail: refusal.detail }, 'draft test refused');
      refuse(res, refusal.code, refusal.why, { Warning: warningHeader(refusal.detail) });
    };
    if (!(await staffMayEditIvr(this.options.db, caller.staffId))) {
      refuseDraft({ code: 'FORBIDDEN', why: 'only IVR editors may call a draft', detail: `${caller.username} is not linked to an admin account: only people who may edit IVR flows may call a draft` });
      return;
    }
    const hotline = this.options.hotline;
    if (!hotline) {
      refuseDraft({ code: 'DEPENDENCY_DOWN', why: 'draft tests are off', detail: 'this node does not run hotline calls' });
      return;
    }
    const found = await this.draftOf(target);
    if ('code' in found) {
      refuseDraft(found);
      return;
    }
    const checked = await validateFlowForScope(this.options.db, target.flow, found.document);
    if (!checked.ok) {
      const problems = checked.errors.slice(0, 3).map(formatIssue).join('; ');
      refuseDraft({ code: 'FLOW_INVALID', why: 'IVR draft is invalid', detail: `IVR flow ${target.flow} draft v${found.version} is invalid (${checked.errors.length} problem(s)): ${problems}` });
      return;
    }
    hotline.startDraftTest(req, res, {
      flow: { name: target.flow, version: found.version, document: checked.value },
      staffId: caller.staffId,
      callerNumber: target.callerNumber,
    });
  }

  /** The draft a draft test runs: the version named, which must be a draft, else the flow's newest draft. */
  private async draftOf(target: Extract<DialTarget, { kind: 'ivr_draft' }>): Promise<{ version: number; document: unknown } | DraftRefusal> {
    const { db } = this.options;
    let version = target.version;
    if (version === null) {
      // list() is newest first.
      version = (await ivrFlowStore.list(db, target.flow)).find((v) => v.status === 'draft')?.version ?? null;
      if (version === null) return { code: 'NOT_FOUND', why: 'no draft of this IVR flow', detail: `IVR flow ${target.flow} has no draft: save one in the IVR editor` };
    }
    const found = await ivrFlowStore.find(db, target.flow, version);
    if (!found) return { code: 'NOT_FOUND', why: 'no such IVR draft', detail: `IVR flow ${target.flow} has no version ${version}` };
    if (found.status !== 'draft') return { code: 'NOT_FOUND', why: 'not a draft', detail: `IVR flow ${target.flow} version ${version} is ${found.status}, not a draft` };
    return { version: found.version, document: found.document };
  }

  /**
   * The person an internal target rings: a colleague by SIP username; for a
   * department, its head. Queue targets are not rung from a device yet (they
   * need the caller to wait in line, which the hotline call does): null.
   */
  private async calleeOf(target: Exclude<DialTarget, { kind: 'external' } | { kind: 'unknown' } | { kind: 'ivr_draft' }>): Promise<{ staffId: number; username: string } | null> {
    if (target.kind === 'staff') {
      const person = await findDialerBySipUsername(this.options.db, target.username);
      return person?.active && person.sipUsername ? { staffId: person.staffId, username: person.sipUsername } : null;
    }
    if (target.kind === 'department') {
      const directory = await this.options.services.directory();
      const headId = directory.departments.find((d) => d.code === target.department)?.headStaffId ?? null;
      const head = headId === null ? null : await findDialer(this.options.db, headId);
      return head?.active && head.sipUsername ? { staffId: head.staffId, username: head.sipUsername } : null;
    }
    return null;
  }

  private async classify(dialled: string): Promise<DialTarget> {
    const [usernames, directory] = await Promise.all([listActiveSipUsernames(this.options.db), this.options.services.directory()]);
    return classifyDialled(dialled, {
      staffUsernames: new Set(usernames),
      queues: new Set(directory.queues),
      departments: new Set(directory.departments.map((d) => d.code)),
      emergencyNumbers: this.options.dialer.emergencyNumbers,
    }, this.options.defaultCountry);
  }

  /**
   * RFC 3261 §22.3 proxy authentication of an INVITE, in the registrar's
   * order: lock-out, syntax, challenge, digest (same work for unknown users),
   * nonce use. 403 for wrong credentials rather than a new challenge (§21.4.4,
   * as the registrar does): a client re-sending a wrong password would loop.
   */
  async authenticate(req: InboundRequest, log: Logger = this.log): Promise<DeviceAuthVerdict> {
    const { realm, nonces, lockout } = this.options.registrar.digestAuth;
    const ip = req.source_address;
    const verdict = readDigestCredentials(req.get('Proxy-Authorization'), realm);
    const claimed = verdict.kind === 'ok' ? verdict.credentials.username : null;
    const locks = await lockout.status(ip, claimed);
    if (locks.ipLocked) return authRefusal(403);
    if (verdict.kind === 'malformed') {
      // Not a failure (issue 15): a broken client or a fuzzer proves nothing about a password.
      log.info({ ip, detail: verdict.detail }, 'malformed Proxy-Authorization');
      return authRefusal(400, {}, 'Bad Request (Proxy-Authorization)');
    }
    if (verdict.kind !== 'ok') return this.challenge(ip, false);
    const credentials = verdict.credentials;
    // RFC 2617 §3.2.2.5: the digest must be over this request's URI.
    if (credentials.uri !== req.uri) {
      log.info({ digestUri: credentials.uri, requestUri: req.uri }, 'digest uri differs from the Request-URI');
      return authRefusal(400, {}, 'Bad Request (digest uri differs from Request-URI)');
    }
    const staff = await this.options.registrar.verifyDigest(credentials, req.method);
    if (locks.userLocked) return authRefusal(403, {}, `${reasonPhrase(403)} (${THROTTLED})`);
    if (!staff) {
      await this.countFailure(ip, credentials.username, log, 'wrong credentials');
      return authRefusal(403);
    }
    const nonce = await nonces.use(credentials.nonce, credentials.nc, ip);
    if (nonce === 'stale') return this.challenge(ip, true);
    if (nonce === 'replay') {
      await this.countFailure(ip, credentials.username, log, 'replayed nonce-count');
      return this.challenge(ip, false);
    }
    await lockout.recordSuccess(staff.username);
    return { kind: 'authenticated', staff };
  }

  private async challenge(ip: string, stale: boolean): Promise<DeviceAuthVerdict> {
    const { realm, nonces } = this.options.registrar.digestAuth;
    const nonce = await nonces.issue(ip);
    return authRefusal(407, { 'Proxy-Authenticate': buildChallenge({ realm, nonce, stale }) }, 'Proxy Authentication Required');
  }

  private async countFailure(ip: string, username: string, log: Logger, why: string): Promise<void> {
    const { lockout } = this.options.registrar.digestAuth;
    const outcome = await lockout.recordFailure(ip, username);
    log.info({ ip, username, why, failures: outcome.counts }, 'SIP authentication of an INVITE failed');
    if (outcome.ipLockedNow) log.warn({ ip }, 'source IP locked out and blacklisted after repeated SIP authentication failures');
    if (outcome.userThrottledNow) log.warn({ username, waitMs: outcome.userWaitMs }, 'SIP username throttled after repeated authentication failures: addresses that failed for it now wait');
  }
}
