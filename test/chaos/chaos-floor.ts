import { freeTcpPort } from '../../src/platform/managed-process';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, registerPhone, runSipp, startSippPhone, type SippResult } from '../helpers/sipp';
import { sessionCallerScenario, type SessionCallerStep } from '../e2e/call-session-kit';
import type { ChaosSite } from './chaos-site';

/** A market client: the routing sends them to the operators' queue after the IVR's key 1. */
export const MARKET_CLIENT = '+74951000001';
export const DEMO_PASSWORD = 'demo-pass-1';

/** An operator with a registered sipp desk phone that answers (and answers in-dialog OPTIONS, as real phones do). */
export interface FloorAgent {
  readonly username: string;
  readonly staffId: number;
  readonly token: string;
  /** The desk phone's SIP port: the same for every phone the agent gets, so that each REGISTER replaces the last binding. */
  readonly phonePort: number;
  phone: { done: Promise<number | null>; stop: () => void } | null;
}

/** A caller dialled in by sipp; `result` settles when sipp ends. */
export interface FloorCaller {
  readonly from: string;
  readonly result: Promise<SippResult>;
}

/** The operators and callers of one fault scenario, driven through whichever Switchboard process is up. */
export class ChaosFloor {
  constructor(private readonly site: ChaosSite) {}

  /** An app that is running, to talk to its API. */
  private app(): { baseUrl: string } {
    const app = this.site.apps.find((a) => a.running);
    if (!app) throw new Error('no Switchboard process is running');
    return app;
  }

  async api<T = Record<string, unknown>>(method: string, p: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.app().baseUrl}${p}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async login(username: string): Promise<string> {
    const { status, body } = await this.api<{ token: string }>('POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD });
    if (status !== 200) throw new Error(`login ${username}: ${status}`);
    return body.token;
  }

  async agent(username: string): Promise<FloorAgent> {
    const { rows } = await this.site.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [username]);
    return { username, staffId: rows[0]!.staff_id, token: await this.login(username), phonePort: await freeTcpPort(), phone: null };
  }

  /** Registers a fresh answering desk phone for the agent and makes them Ready. */
  async readyWithPhone(agent: FloorAgent, timeoutSeconds = 180): Promise<void> {
    agent.phone?.stop();
    await agent.phone?.done;
    const port = agent.phonePort;
    const registered = await registerPhone({ target: this.site.sipTarget, port, user: agent.username, password: DEMO_PASSWORD });
    if (registered !== 0) throw new Error(`${agent.username}'s phone did not register (sipp ${registered})`);
    agent.phone = startSippPhone({ scenario: 'uas', port, mediaPort: await freeMediaPort(), timeoutSeconds, autoAnswer: true });
    await this.setState(agent, 'ready');
  }

  async setState(agent: FloorAgent, state: 'ready' | 'not_ready'): Promise<void> {
    // The ACD refuses a move to the state one is in (ready → ready): the scenario before may have left it so.
    if ((await this.agentState(agent)) === state) return;
    const { status, body } = await this.api('POST', `/api/agents/${agent.staffId}/state`, agent.token, state === 'ready' ? { state } : { state, reason: 'break' });
    if (status !== 200) throw new Error(`${agent.username} → ${state}: ${status} ${JSON.stringify(body)} (was ${await this.agentState(agent)})`);
  }

  /** The agent's state as the ACD has it now, through whichever process is up. */
  async agentState(agent: FloorAgent): Promise<string> {
    const { body } = await this.api<{ state: string }>('GET', `/api/agents/${agent.staffId}`, agent.token);
    return body.state;
  }

  /** A caller from `from`: the IVR, key 1 after the greeting, then `steps`; sipp answers in-dialog requests by itself. */
  async call(from: string, steps: SessionCallerStep[], timeoutSeconds = 180): Promise<FloorCaller> {
    const result = runSipp({
      scenario: sessionCallerScenario({ from, steps }),
      target: this.site.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds, extraArgs: ['-aa'],
    });
    return { from, result };
  }

  async waitForState(agent: FloorAgent, wanted: (state: string) => boolean, timeoutMs = 30_000): Promise<string> {
    return eventually(() => this.agentState(agent), wanted, timeoutMs, 200);
  }

  /** Stops every phone (their calls are over or abandoned by the scenario). */
  stopPhones(agents: FloorAgent[]): void {
    for (const agent of agents) {
      agent.phone?.stop();
      agent.phone = null;
    }
  }
}
