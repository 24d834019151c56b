import WebSocket from 'ws';
import type { Acd } from '../../../src/acd';
import type { FloorSnapshot } from '../../../src/supervisor/floor-snapshot';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { ticketUrl } from '../../helpers/url-ticket';

/** A wallboard connection that keeps every snapshot it receives. */
class Wallboard {
  readonly snapshots: Array<FloorSnapshot & { receivedAt: number }> = [];
  private waiters: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.snapshots.push({ ...(JSON.parse(data.toString()) as FloorSnapshot), receivedAt: Date.now() });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string): Promise<Wallboard> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const board = new Wallboard(socket);
      socket.once('open', () => resolve(board));
      socket.once('error', reject);
    });
  }

  /** The first snapshot from now on (or already received after `since`) that satisfies `done`. */
  async until(done: (s: FloorSnapshot) => boolean, timeoutMs: number, since = 0): Promise<FloorSnapshot & { receivedAt: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.snapshots.find((s) => s.receivedAt >= since && done(s));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching snapshot within ${timeoutMs} ms; last: ${JSON.stringify(this.snapshots.at(-1))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

describe('wallboard live feed (real HTTP + WebSocket, real ACD in Redis, Postgres, demo data)', () => {
  let h: ApiHarness;
  let acd: Acd;
  let wsBase: string;
  const staff = new Map<string, number>();
  let sadovod: number;
  const boards: Wallboard[] = [];

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true });
    acd = h.acd!;
    wsBase = h.baseUrl.replace(/^http/, 'ws');
    for (const s of (await h.call('GET', '/api/staff?limit=1000', { token: h.tokens.admin })).body as Array<{ id: number; fullName: string }>) staff.set(s.fullName, s.id);
    sadovod = ((await h.call('GET', `/api/clients?q=${encodeURIComponent('Sadovod')}`, { token: h.tokens.admin })).body as Array<{ id: number }>)[0]!.id;
    // A supervisor sets the finance queue's targets through the queue API: alert after 5 s of waiting (the default is 60 s), 85 % target.
    const finance = ((await h.call('GET', '/api/queues?limit=100', { token: h.tokens.admin })).body as Array<{ id: number; name: string }>).find((q) => q.name === 'finance')!;
    const patched = await h.call('PATCH', `/api/queues/${finance.id}`, { token: h.tokens.admin, body: { longWaitAlertSeconds: 5, serviceLevelTargetPercent: 85 } });
    expect(patched.body).toMatchObject({ longWaitAlertSeconds: 5, serviceLevelTargetPercent: 85 });
  });
  afterAll(async () => {
    await Promise.all(boards.map((b) => b.close()));
    await h.close();
  });

  const open = async (token: string): Promise<Wallboard> => {
    const board = await Wallboard.open(await ticketUrl(h.baseUrl, token, '/api/floor/live', 'socket'));
    boards.push(board);
    return board;
  };

  it('refuses the live feed and the snapshot to operators and to anonymous callers', async () => {
    await expect(Wallboard.open(await ticketUrl(h.baseUrl, h.tokens.operator, '/api/floor/live', 'socket'))).rejects.toThrow(/Unexpected server response: 403/);
    await expect(Wallboard.open(`${wsBase}/api/floor/live`)).rejects.toThrow(/Unexpected server response: 401/);
    expect((await h.call('GET', '/api/floor', { token: h.tokens.operator })).status).toBe(403);
  });

  it('sends the floor at once: every queue with its target, every agent, nobody waiting', async () => {
    const board = await open(h.tokens.supervisor);
    const first = await board.until(() => true, 5000);
    expect(first.type).toBe('floor');
    const operators = first.queues.find((q) => q.name === 'operators');
    expect(operators).toMatchObject({
      label: 'Operators (orders and enquiries)', waiting: 0, longestWaitMs: 0, serviceLevelToday: null, serviceLevel30m: null,
      slTarget: { percent: 90, seconds: 20 }, answeredToday: 0, abandonedToday: 0,
      agents: { ready: 0, talking: 0, ringing: 0, wrapUp: 0, notReady: 0, offline: 3 },
    });
    expect(first.queues.find((q) => q.name === 'finance')?.slTarget).toEqual({ percent: 85, seconds: 20 });
    expect(first.queues.map((q) => q.name)).toContain('direct');
    expect(first.waitingCalls).toEqual([]);
    expect(first.alerts).toEqual([]);
    const anna = first.agents.find((a) => a.name === 'Anna Petrova');
    expect(anna).toMatchObject({ staffId: staff.get('Anna Petrova'), state: 'offline', acdState: 'logged_out', currentCallId: null });
    expect(anna?.queues).toEqual(expect.arrayContaining(['operators', 'direct']));
    // The HTTP snapshot says the same thing.
    const http = await h.call('GET', '/api/floor', { token: h.tokens.admin });
    expect(http.status).toBe(200);
    expect(http.body.queues.map((q: { name: string }) => q.name)).toEqual(first.queues.map((q) => q.name));
  });

  it('shows a caller in line within the feed\'s one-second rhythm, then the agent talking once the ACD connects them', async () => {
    const board = await open(h.tokens.admin);
    await board.until(() => true, 5000);
    const annaId = String(staff.get('Anna Petrova'));

    const enqueuedAt = Date.now();
    const queued = await acd.enqueue({ callId: 'floor-call-1', queueId: 'operators', priority: 7, callerNumber: '+74951000001', meta: { clientId: sadovod, reason: 'market client' } });
    expect(queued.outcome).toBe('queued');
    // Event-driven: well before the 5 s keep-alive (the allowance covers a busy 2-core machine).
    const seen = await board.until((s) => s.waitingCalls.some((c) => c.callId === 'floor-call-1'), 2000, enqueuedAt);
    const call = seen.waitingCalls.find((c) => c.callId === 'floor-call-1');
    expect(call).toMatchObject({ queue: 'operators', clientId: sadovod, clientName: 'Sadovod market, stall 14', clientType: 'market', position: 1, priority: 7, kind: 'call' });
    expect(call!.waitMs).toBeGreaterThanOrEqual(0);
    expect(seen.queues.find((q) => q.name === 'operators')).toMatchObject({ waiting: 1 });

    // Anna becomes ready: the ACD reserves the waiting call for her; this process rings and she answers.
    const ready = await h.call('POST', `/api/agents/${annaId}/state`, { token: h.tokens.supervisor, body: { state: 'ready' } });
    expect(ready.status).toBe(200);
    const reservation = await acd.getCall('floor-call-1');
    expect(reservation).toMatchObject({ state: 'reserved', agentId: annaId });
    await acd.markOffered('floor-call-1', annaId);
    const answeredAt = Date.now();
    await acd.answer('floor-call-1', annaId);

    const talking = await board.until((s) => s.agents.some((a) => a.staffId === Number(annaId) && a.state === 'talking'), 2000, answeredAt);
    expect(talking.waitingCalls.find((c) => c.callId === 'floor-call-1')).toBeUndefined();
    expect(talking.queues.find((q) => q.name === 'operators')).toMatchObject({
      waiting: 0, answeredToday: 1, serviceLevelToday: 100, serviceLevel30m: 100, agents: { talking: 1, offline: 2 },
    });
    expect(talking.agents.find((a) => a.staffId === Number(annaId))).toMatchObject({ acdState: 'on_call', currentCallId: 'floor-call-1' });

    // Pushes are at most one per second.
    const times = board.snapshots.map((s) => s.at);
    for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
  });

  it('raises a service-level alert after an abandon and a long-wait alert for a caller past the queue\'s threshold', async () => {
    const board = await open(h.tokens.supervisor);
    await board.until(() => true, 5000);
    // Nobody serves finance: callers wait. One gives up at once (counts against the service level).
    await acd.enqueue({ callId: 'floor-fin-1', queueId: 'finance' });
    await acd.abandon('floor-fin-1');
    const slAlert = await board.until((s) => s.alerts.some((a) => a.kind === 'service_level' && a.queue === 'finance'), 3000);
    expect(slAlert.queues.find((q) => q.name === 'finance')).toMatchObject({ serviceLevel30m: 0, abandonedToday: 1 });
    expect(slAlert.alerts.find((a) => a.kind === 'service_level')?.message).toMatch(/Finance service: 0 % answered within 20 s .* under the 85 % target/);

    const startedWaiting = Date.now();
    await acd.enqueue({ callId: 'floor-fin-2', queueId: 'finance' });
    // Past 5 s of waiting; the 5 s keep-alive pushes even though nothing else happens.
    const longWait = await board.until((s) => s.alerts.some((a) => a.kind === 'long_wait' && a.queue === 'finance'), 12_000);
    const alert = longWait.alerts.find((a) => a.kind === 'long_wait')!;
    expect(alert.message).toMatch(/Finance service: 1 caller waiting over 5 s \(longest \d+ s\)/);
    expect(alert.since).toBeGreaterThanOrEqual(startedWaiting + 5000 - 50);
    expect(longWait.waitingCalls.find((c) => c.callId === 'floor-fin-2')).toMatchObject({ clientName: null, clientType: null, queue: 'finance' });
    // The service-level alert keeps the time it began.
    expect(longWait.alerts.find((a) => a.kind === 'service_level')?.since).toBe(slAlert.alerts.find((a) => a.kind === 'service_level')?.since);
  }, 30_000);
});
