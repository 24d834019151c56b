import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../errors/app-error';
import type { ForcedMode } from './call-media-change';
import type { Logger } from '../logger';
import { decideMonitorAccess, modesAllowedFor, queuesWithinReach } from './monitor-access';
import type { MonitorLeg, MonitorLegEnd, MonitorLegPlacer } from './monitor-leg';
import type { MonitorMode } from './monitor-mode';
import type { MonitoringPolicy } from './monitoring-policy';
import type {
  LiveCallLookup, MonitoringSessionFilter, MonitoringSessionListing, MonitoringSessionStore, MonitoringUser, QueueSupervision,
} from './monitoring-ports';
import { MonitoringSession } from './monitoring-session';

export interface CallMonitoringDeps {
  store: MonitoringSessionStore;
  calls: LiveCallLookup;
  supervision: QueueSupervision;
  /** Null when no SIP side runs in this process (an API-only run): starting answers DEPENDENCY_DOWN. */
  placer: MonitorLegPlacer | null;
  policy: MonitoringPolicy;
  logger: Logger;
  now?: () => number;
}

export interface MonitoringCapabilities {
  /** Whether this process can place monitoring calls at all. */
  available: boolean;
  /** What the media engine as deployed can carry. */
  supportedModes: MonitorMode[];
  /** What this user may use: the role's modes the engine supports. */
  allowedModes: MonitorMode[];
  /** The queues whose calls this user may monitor; null: every queue (calls to a person included). */
  queues: string[] | null;
  policy: MonitoringPolicy;
}

/** How long after its call ended a running session is taken for a dead process's: its own process closes it well within. */
const ORPHAN_GRACE_MS = 30_000;

/** A session this process carries: the state machine and the leg the telephony placed for it. */
interface RunningSession {
  session: MonitoringSession;
  leg: MonitorLeg;
  log: Logger;
  /** Set by whoever ends it first (a stop, the telephony, shutdown); the others wait for the same end. */
  finishing: Promise<void> | null;
  /** Mode steps are stored in the order they happened (the supervisor's and the call's own can cross). */
  modeSaves: Promise<void>;
}

/**
 * Live call monitoring (issue 18): decides who may monitor what (monitor-access.ts), keeps the audit
 * (the store) and drives the telephony through the MonitorLegPlacer port. The audit row is written
 * before the placer is called, so a session that fails to ring is on record with reason `failed`.
 */
export class CallMonitoringService {
  private readonly running = new Map<string, RunningSession>();
  private readonly now: () => number;

  constructor(private readonly deps: CallMonitoringDeps) {
    this.now = deps.now ?? Date.now;
  }

  async capabilities(user: MonitoringUser): Promise<MonitoringCapabilities> {
    const supported = [...((await this.deps.placer?.supportedModes()) ?? [])];
    const allowed = modesAllowedFor(user.role, this.deps.policy);
    const supervisedQueues = user.role === 'supervisor' ? await this.deps.supervision.queuesSupervisedBy(user.userId) : [];
    const queues = queuesWithinReach({ ...user, supervisedQueues }, this.deps.policy);
    return {
      available: this.deps.placer !== null, supportedModes: supported, allowedModes: supported.filter((m) => allowed.includes(m)),
      queues: queues === null ? null : [...queues], policy: { ...this.deps.policy },
    };
  }

  async start(user: MonitoringUser, callId: string, mode: MonitorMode): Promise<MonitoringSessionListing> {
    const placer = this.deps.placer;
    if (!placer) throw new AppError('DEPENDENCY_DOWN', 'call monitoring needs the SIP and media side, which does not run in this process');
    const [facts, supervisedQueues, monitoredBy] = await Promise.all([
      this.deps.calls.find(callId), this.deps.supervision.queuesSupervisedBy(user.userId), this.deps.store.activeMonitorUserIds(callId),
    ]);
    const access = decideMonitorAccess({ ...user, supervisedQueues }, facts ? { ...facts, monitoredByUserIds: monitoredBy } : null, mode, this.deps.policy);
    if (!access.allowed) throw new AppError(access.code, access.reason);
    const supported = await placer.supportedModes();
    if (!supported.includes(mode)) {
      throw new AppError('MONITOR_MODE_UNSUPPORTED', `${mode} cannot be carried by the media engine as deployed`, [{ path: 'mode', message: `supported: ${supported.join(', ')}` }]);
    }
    if (user.staffId === null) {
      throw new AppError('NO_STAFF', `user ${user.username} is not linked to a staff member, so there is no phone to carry the monitoring call`);
    }
    const session = new MonitoringSession({
      id: randomUUID(), callId, agentStaffId: facts?.agentStaffId ?? null, callerNumber: facts?.callerNumber ?? null, queue: facts?.queue ?? null,
      supervisorUserId: user.userId, supervisorStaffId: user.staffId, mode,
    }, this.now());
    const log = this.deps.logger.child({ monitoringSessionId: session.id, callId, supervisorUserId: user.userId });
    await this.deps.store.create(session.snapshot(), user);
    session.ringing();
    let leg: MonitorLeg;
    // The call dropped the voice to listen while the leg was being placed (a hold during a barge's start): the answer says so.
    let forcedWhilePlacing: ForcedMode | null = null;
    const onModeForced = async (forced: ForcedMode): Promise<void> => {
      const run = this.running.get(session.id);
      if (run) await this.recordForcedMode(run, forced);
      else forcedWhilePlacing = forced;
    };
    try {
      leg = await placer.place({
        sessionId: session.id, callId, mode, supervisorStaffId: user.staffId, announce: this.deps.policy.announce === 'tone', onModeForced,
      });
    } catch (err) {
      session.end('failed', this.now(), isAppError(err) ? `${err.code}: ${err.message}` : String(err));
      log.warn({ err }, 'monitoring call not placed');
      await this.deps.store.save(session.snapshot(), 'ended', user);
      throw err;
    }
    session.answered(this.now());
    if (forcedWhilePlacing) session.changeMode((forcedWhilePlacing as ForcedMode).mode, this.now());
    this.running.set(session.id, { session, leg, log, finishing: null, modeSaves: Promise.resolve() });
    void leg.ended.then(
      (end) => this.finish(session.id, end),
      (err: unknown) => this.finish(session.id, { reason: 'failed', detail: String(err) }),
    );
    log.info({ mode }, 'monitoring started');
    try {
      await this.deps.store.save(session.snapshot(), 'answered', user);
    } catch (err) {
      // Nobody would know the session runs: the leg goes too, and the row says failed if it can.
      await this.finish(session.id, { reason: 'failed', detail: 'audit not written' }, user);
      throw err;
    }
    return this.view(session.id);
  }

  async changeMode(user: MonitoringUser, sessionId: string, mode: MonitorMode): Promise<MonitoringSessionListing> {
    const found = await this.ownSession(user, sessionId);
    const allowed = modesAllowedFor(user.role, this.deps.policy);
    if (!allowed.includes(mode)) throw new AppError('FORBIDDEN', `role ${user.role} may ${allowed.join(' or ')} only, not ${mode}`);
    const run = this.running.get(sessionId);
    if (!run || found.state !== 'active') throw new AppError('ILLEGAL_TRANSITION', `monitoring session ${sessionId} is not running in this process`);
    if (mode === run.session.mode) return this.view(sessionId);
    await run.leg.changeMode(mode);
    if (run.session.changeMode(mode, this.now())) {
      run.log.info({ mode }, 'monitoring mode changed');
      await this.saveMode(run, user);
    }
    return this.view(sessionId);
  }

  /** The call changed the mode by itself (a hold or transfer dropped the voice to listen): a 'mode' step by the system. */
  private async recordForcedMode(run: RunningSession, forced: ForcedMode): Promise<void> {
    if (run.finishing || run.session.state !== 'active' || !run.session.changeMode(forced.mode, this.now())) return;
    run.log.info({ mode: forced.mode, why: forced.why }, 'monitoring mode changed by the call');
    await this.saveMode(run, null);
  }

  private saveMode(run: RunningSession, by: MonitoringUser | null): Promise<void> {
    const snapshot = run.session.snapshot();
    const saved = run.modeSaves.then(() => this.deps.store.save(snapshot, 'mode', by));
    run.modeSaves = saved.catch(() => undefined);
    return saved;
  }

  /** Stops a session: its own supervisor, or an admin. A session already ended is answered as it is. */
  async stop(user: MonitoringUser, sessionId: string): Promise<MonitoringSessionListing> {
    const found = await this.ownSession(user, sessionId, { adminMayAct: true });
    if (found.state === 'ended') return found;
    if (this.running.has(sessionId)) {
      await this.finish(sessionId, { reason: 'stopped' }, user);
      return this.view(sessionId);
    }
    // A run leaves `running` only once its end is stored, so a row read now is final if it ended here meanwhile.
    const fresh = await this.view(sessionId);
    if (fresh.state === 'ended') return fresh;
    // The leg is not held here (this process restarted since, or another one carries it): the record is closed so it does not stay "running" for ever.
    const endedAt = this.now();
    await this.deps.store.save({
      ...fresh, state: 'ended', endedAt, endReason: 'stopped', endDetail: 'no monitoring leg in this process',
      durationMs: fresh.answeredAt === null ? 0 : Math.max(0, endedAt - fresh.answeredAt),
    }, 'ended', user);
    return this.view(sessionId);
  }

  /** Admins see every session; anyone else their own. Sessions a dead process left running are closed first (closeOrphans). */
  async list(user: MonitoringUser, filter: MonitoringSessionFilter): Promise<MonitoringSessionListing[]> {
    await this.closeOrphans();
    if (user.role !== 'admin') {
      if (filter.supervisorUserId !== undefined && filter.supervisorUserId !== user.userId) {
        throw new AppError('FORBIDDEN', 'only admins see other people\'s monitoring sessions');
      }
      return this.deps.store.list({ ...filter, supervisorUserId: user.userId });
    }
    return this.deps.store.list(filter);
  }

  /**
   * Closes the sessions a process that died left marked running, once their call has ended (its row says so), so
   * that the audit never shows a session running for ever. Run at start and before each listing; a failure here
   * is logged, never in the way of the listing.
   */
  async closeOrphans(): Promise<void> {
    try {
      const closed = await this.deps.store.closeSessionsOfEndedCalls(ORPHAN_GRACE_MS);
      if (closed > 0) this.deps.logger.warn({ closed }, 'monitoring sessions left running by a stopped process closed');
    } catch (err) {
      this.deps.logger.warn({ err }, 'closing monitoring sessions left running failed');
    }
  }

  /** Running sessions of this process, ended with reason `stopped` (shutdown): legs hung up, rows closed. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running.keys()].map((id) => this.finish(id, { reason: 'stopped', detail: 'shutdown' })));
  }

  /** Live sessions this process carries (tests check it returns to zero). */
  get runningCount(): number {
    return this.running.size;
  }

  /** Ends a running session once, whoever ends it first: the leg hung up, the row closed; later callers wait for that end. */
  private finish(sessionId: string, end: MonitorLegEnd, by: MonitoringUser | null = null): Promise<void> {
    const run = this.running.get(sessionId);
    if (!run) return Promise.resolve();
    run.finishing ??= this.finishNow(run, end, by);
    return run.finishing;
  }

  private async finishNow(run: RunningSession, end: MonitorLegEnd, by: MonitoringUser | null): Promise<void> {
    run.session.end(end.reason, this.now(), end.detail);
    try {
      await run.leg.stop();
    } catch (err) {
      run.log.warn({ err }, 'monitoring leg did not stop cleanly');
    } finally {
      try {
        // After any mode step still being written: the end is the row's last word.
        await run.modeSaves;
        await this.deps.store.save(run.session.snapshot(), 'ended', by);
      } catch (err) {
        run.log.error({ err }, 'monitoring session end not recorded');
      } finally {
        // Only now: a stop() that finds no run may trust the stored row.
        this.running.delete(run.session.id);
      }
      run.log.info({ reason: end.reason, durationMs: run.session.snapshot().durationMs }, 'monitoring ended');
    }
  }

  private async ownSession(user: MonitoringUser, sessionId: string, options: { adminMayAct?: boolean } = {}): Promise<MonitoringSessionListing> {
    const found = await this.deps.store.find(sessionId);
    if (!found) throw new AppError('NOT_FOUND', `no monitoring session ${sessionId}`);
    const mayAct = found.supervisorUserId === user.userId || (options.adminMayAct === true && user.role === 'admin');
    if (!mayAct) throw new AppError('FORBIDDEN', 'this monitoring session is someone else\'s');
    return found;
  }

  private async view(sessionId: string): Promise<MonitoringSessionListing> {
    const found = await this.deps.store.find(sessionId);
    if (!found) throw new AppError('NOT_FOUND', `no monitoring session ${sessionId}`);
    return found;
  }
}
