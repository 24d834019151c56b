/**
 * The floor's people and their phones (issue 16), set up the way an admin
 * and the agents would: staff created through the REST API with SIP
 * accounts and queue memberships, the queues' wrap-up set (compressed),
 * the clients callers ring from created through the API, each agent's desk
 * phone REGISTERed, then set Ready through the API.
 *
 * Phones: one sipp UAS process serves `agentsPerPhone` agents on one UDP
 * port, each agent on its own Contact user part. The registrar pins a UDP
 * binding to the REGISTER's source address and port (issue 15), so every
 * agent of a process REGISTERs from that very port first (a short sipp run
 * each, one after the other), and the UAS is started on it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from '../../src/platform/managed-process';
import { trackChild, untrackChild } from '../lib/cleanup';
import { LOOPBACK } from '../lib/sipp';
import { freeMediaPort, sippListening } from '../../test/helpers/sipp';
import type { CallerKind, FloorSettings } from './floor-run';
import { agentCsv, agentDraws, type CallerNumbers, type FloorStaffing } from './floor-plan';
import { floorAgentScenario, parseSippLog, type SippLogLine } from './floor-scenarios';
import type { FloorSystem } from './floor-system';

const SIP_PASSWORD = 'floor-pass-1';
const REGISTER_FIXTURE = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'sipp', 'register.xml');

export type AgentRole = 'operator' | 'key_account_manager' | 'finance';

export interface FloorAgent {
  staffId: number;
  sipUsername: string;
  role: AgentRole;
}

interface Named {
  id: number;
  name?: string;
  code?: string;
  sipUsername?: string | null;
}

/** Creates the floor's staff (operators, key-account managers, finance) and sets the queues' compressed wrap-up. */
export async function createFloorStaff(system: FloorSystem, staffing: FloorStaffing, settings: FloorSettings, runTag: string): Promise<FloorAgent[]> {
  const departments = await system.api<Named[]>('GET', '/api/departments?limit=500');
  const queues = await system.api<Named[]>('GET', '/api/queues?limit=500');
  const department = (code: string): number => required(departments.find((d) => d.code === code)?.id, `department ${code}`);
  const queue = (name: string): number => required(queues.find((q) => q.name === name)?.id, `queue ${name}`);
  const wrapUpSeconds = Math.round(settings.wrapUpSeconds / settings.compression);
  for (const name of ['operators', 'regional', 'key_accounts', 'finance']) {
    await system.api('PATCH', `/api/queues/${queue(name)}`, { wrapUpSeconds, serviceLevelSeconds: Math.max(1, Math.round(settings.serviceLevelSeconds / settings.compression)) });
  }
  const groups: Array<{ role: AgentRole; count: number; prefix: string; department: string; queues: string[]; skills: Record<string, number> }> = [
    { role: 'operator', count: staffing.operators, prefix: 'op', department: 'wholesale_sales', queues: ['operators', 'regional'], skills: { orders: 3, regional: 3 } },
    { role: 'key_account_manager', count: staffing.keyAccountManagers, prefix: 'kam', department: 'wholesale_sales', queues: ['key_accounts'], skills: {} },
    { role: 'finance', count: staffing.finance, prefix: 'fin', department: 'finance', queues: ['finance'], skills: {} },
  ];
  const out: FloorAgent[] = [];
  for (const g of groups) {
    for (let i = 0; i < g.count; i++) {
      const sipUsername = `${g.prefix}${runTag}${String(i + 1).padStart(4, '0')}`;
      const created = await system.api<Named>('POST', '/api/staff', {
        fullName: `Floor ${g.role.replace(/_/g, ' ')} ${i + 1}`, role: g.role, departmentId: department(g.department), skills: g.skills, languages: ['ru'],
        sipUsername, sipPassword: SIP_PASSWORD, queueIds: g.queues.map(queue),
      });
      out.push({ staffId: created.id, sipUsername, role: g.role });
    }
  }
  return out;
}

/**
 * Clients for every caller kind (floor-plan DEFAULT_CALLER_MIX): market,
 * retail and regional ones with the demo operators as their managers (the
 * operators' rules need a manager), one key client per key-account manager,
 * debtors without a manager (so the debt rule's fallback, finance, takes
 * them), and numbers nobody has for the unknown callers.
 */
export async function createFloorClients(system: FloorSystem, agents: readonly FloorAgent[], runTag: string): Promise<CallerNumbers> {
  const staff = await allStaff(system);
  const demo = (login: string): number => required(staff.find((s) => s.sipUsername === login)?.id, `demo staff ${login}`);
  const tag = Number(runTag.replace(/\D/g, '') || '0') % 90;
  const number = (block: number, i: number): string => `+7495${String(block).padStart(1, '0')}${String(tag).padStart(2, '0')}${String(i).padStart(4, '0')}`;
  const numbers: Record<CallerKind, string[]> = { market: [], retail: [], regional: [], key: [], debtor: [], unknown: [] };
  const make = async (kind: CallerKind, block: number, count: number, body: (i: number) => Record<string, unknown>): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const phone = number(block, i);
      await system.api('POST', '/api/clients', { name: `Floor ${kind} client ${runTag}-${i + 1}`, phones: [{ number: phone }], ...body(i) });
      numbers[kind].push(phone);
    }
  };
  await make('market', 2, 20, () => ({ type: 'market', managerId: demo('anna'), region: 'Moscow' }));
  await make('retail', 3, 20, () => ({ type: 'retail', managerId: demo('olga'), region: 'Moscow' }));
  await make('regional', 4, 20, () => ({ type: 'regional', managerId: demo('ion'), region: 'Tver' }));
  const kams = agents.filter((a) => a.role === 'key_account_manager');
  await make('key', 5, kams.length, (i) => ({ type: 'key', managerId: kams[i]!.staffId, region: 'Moscow', creditLimit: 2_000_000, balance: 100_000 }));
  await make('debtor', 6, 10, () => ({ type: 'market', managerId: null, region: 'Moscow', overdueDebt: 15_000, creditLimit: 50_000, balance: 62_000 }));
  for (let i = 0; i < 50; i++) numbers.unknown.push(number(8, i));
  return numbers;
}

/** The agents' phones: their sipp processes, and what each logged. */
export interface FloorPhones {
  processes: number;
  /** Lines the phones' <log> actions wrote (invite / answered / hung-up with Switchboard's call id). */
  logLines(): SippLogLine[];
  stop(): Promise<void>;
}

/** REGISTERs `user` from 127.0.0.1:`port` (digest, the test kit's fixture) for an hour; resolves with sipp's exit code. */
function registerFrom(target: string, port: number, user: string): Promise<number | null> {
  const child = spawn('sipp', [target, '-sf', REGISTER_FIXTURE, '-m', '1', '-i', LOOPBACK, '-p', String(port), '-au', user, '-ap', SIP_PASSWORD, '-key', 'user', user, '-key', 'contact_user', user, '-key', 'expires', '3600', '-nostdin', '-timeout', '10s', '-timeout_error'], { cwd: os.tmpdir(), stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/**
 * Registers every agent and starts the phone processes: agents in groups of
 * `perPhone`, each group registering from its port and then answered there by
 * one UAS playing `tonePcap`, with ring and talk times drawn per phone.
 */
export async function startFloorPhones(options: { system: FloorSystem; agents: readonly FloorAgent[]; perPhone: number; settings: FloorSettings; dir: string; tonePcap: string; callsPerPhone: number }): Promise<FloorPhones> {
  const groups: FloorAgent[][] = [];
  for (let i = 0; i < options.agents.length; i += options.perPhone) groups.push(options.agents.slice(i, i + options.perPhone));
  const scenarioFile = path.join(options.dir, 'agent.xml');
  writeFileSync(scenarioFile, floorAgentScenario(options.tonePcap));
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  await Promise.all(groups.map(async (group, g) => {
    const port = await freeTcpPort();
    for (const agent of group) {
      const code = await registerFrom(options.system.sipTarget, port, agent.sipUsername);
      if (code !== 0) throw new Error(`REGISTER of ${agent.sipUsername} from port ${port} failed (sipp exit ${code})`);
    }
    const csv = path.join(options.dir, `phone-${g}.csv`);
    writeFileSync(csv, agentCsv(agentDraws(options.settings, g, options.callsPerPhone)));
    const logFile = path.join(options.dir, `phone-${g}.log`);
    logs.push(logFile);
    const mediaPort = await freeMediaPort();
    // -aa: in-dialog OPTIONS (Switchboard's dialog keepalive), INFO, NOTIFY, UPDATE answered 200 as a phone does.
    const child = spawn('sipp', ['-sf', scenarioFile, '-inf', csv, '-i', LOOPBACK, '-p', String(port), '-mp', String(mediaPort), '-nostdin', '-aa', '-trace_logs', '-log_file', logFile, '-trace_err', '-error_file', path.join(options.dir, `phone-${g}.err`)], { cwd: options.dir, stdio: 'ignore' });
    trackChild(child);
    children.push(child);
    await sippListening(LOOPBACK, port);
  }));
  return {
    processes: groups.length,
    logLines: () => logs.flatMap((file) => (existsSync(file) ? parseSippLog(readFileSync(file, 'utf8')) : [])),
    async stop() {
      await Promise.all(children.map(async (child) => {
        if (child.exitCode === null && child.signalCode === null) {
          const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await gone;
          clearTimeout(killer);
        }
        untrackChild(child);
      }));
    },
  };
}

/** Sets every agent Ready through the API, as each would on their softphone. */
export async function setAgentsReady(system: FloorSystem, agents: readonly FloorAgent[]): Promise<void> {
  for (const agent of agents) await system.api('POST', `/api/agents/${agent.staffId}/state`, { state: 'ready' });
}

/** Every staff member, page by page: from 500 agents on (--find-limit) one page no longer holds the demo staff. */
async function allStaff(system: FloorSystem): Promise<Named[]> {
  const PAGE = 500;
  const all: Named[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await system.api<Named[]>('GET', `/api/staff?limit=${PAGE}&offset=${offset}`);
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} not found`);
  return value;
}
