/**
 * What a `bench:floor` run will do, decided before anything starts (issue
 * 16): the options from the command line with their defaults, the settings
 * they make, and every random draw of the run — arrival times, caller kinds,
 * IVR digits, patience, agents' ring delays and talk times — from one seed,
 * so that a run can be repeated. Pure: no I/O, no clock.
 */
import { SeededRandom } from '../../test/helpers/seeded-random';
import type { CallerKind, FloorSettings, PlacedCall } from './floor-run';

/** The seeds' busiest case (design §1): 16,000 calls a day, around the clock. */
export const SEED_CALLS_PER_DAY = 16_000;
/** The peak hour against the day's average hour. */
export const PEAK_HOUR_FACTOR = 1.5;
/** Load triples in reporting periods. */
export const REPORTING_PERIOD_FACTOR = 3;
/** Calls per second of real time at the tripled seed peak: 3 × 1.5 × 16,000 / 86,400 ≈ 0.83. */
export const SEED_PEAK_PER_SECOND = (REPORTING_PERIOD_FACTOR * PEAK_HOUR_FACTOR * SEED_CALLS_PER_DAY) / 86_400;

/**
 * Who calls (design §1 and the routing of DESIGN.md / default-routing-config):
 * market, retail and regional clients go to the operators (regional ones to
 * the regional queue, which the operators also serve); key clients to their
 * own key-account manager (another one, then the operators when busy);
 * debtors who order hear the debt notice and go to finance; numbers the
 * directory does not know go to the wholesale head, who is not logged in,
 * so the routing's last resort — the operators' queue — takes them.
 */
export const DEFAULT_CALLER_MIX: Record<CallerKind, number> = { market: 0.35, retail: 0.25, regional: 0.2, key: 0.05, debtor: 0.03, unknown: 0.12 };

export interface FloorOptions {
  agents: number;
  /** Arrivals per second of real (uncompressed) time. */
  ratePerSecond: number;
  /** Minutes of this run during which callers arrive (run time, already compressed). */
  minutes: number;
  compression: number;
  seed: number;
  quick: boolean;
  findLimit: boolean;
  /** Mean patience of an impatient caller, seconds before compression. */
  patienceMeanSeconds: number;
  /** Share of callers who give up when not answered within their patience (the others wait as long as it takes). */
  impatientShare: number;
}

export const FULL_DEFAULTS: FloorOptions = {
  agents: 250,
  ratePerSecond: SEED_PEAK_PER_SECOND,
  minutes: 5,
  compression: 10,
  seed: 16,
  quick: false,
  findLimit: false,
  patienceMeanSeconds: 120,
  impatientShare: 0.2,
};

/** `--quick`: the CI run — 50 agents, 2 minutes of arrivals (3 with the drain), compressed, few give up. */
export const QUICK_DEFAULTS: FloorOptions = {
  ...FULL_DEFAULTS,
  agents: 50,
  minutes: 2,
  quick: true,
  impatientShare: 0.05,
};

export const USAGE = `npm run bench:floor -- [options]
  --agents N          operators logged in, each with a registered sipp phone (default ${FULL_DEFAULTS.agents}; quick ${QUICK_DEFAULTS.agents})
  --rate R            arrivals in REAL time: calls per second (e.g. 0.83), or per hour with /h (e.g. 3000/h);
                      default: the tripled seed peak scaled to the agents (${SEED_PEAK_PER_SECOND.toFixed(3)}/s for 250)
  --minutes M         minutes of arrivals in this run (run time, compressed; default ${FULL_DEFAULTS.minutes}; quick ${QUICK_DEFAULTS.minutes})
  --compression C     time compression: talk, ring, wrap-up and patience divided by C, arrivals multiplied by C (default ${FULL_DEFAULTS.compression})
  --seed S            seed of every random draw (default ${FULL_DEFAULTS.seed})
  --impatient P       share of callers who abandon after an exponential patience (default ${FULL_DEFAULTS.impatientShare}; quick ${QUICK_DEFAULTS.impatientShare})
  --patience S        mean patience of those callers, real seconds (default ${FULL_DEFAULTS.patienceMeanSeconds})
  --quick             the CI run: ${QUICK_DEFAULTS.agents} agents, ${QUICK_DEFAULTS.minutes} min of arrivals, compression ${QUICK_DEFAULTS.compression}, few abandon
  --find-limit        run after run, agents and rate raised together (doubling, then bisecting: floor-limit nextLoad)
                      until a bound breaks; prints the last good load and the component that saturated first`;

/** The rate that keeps the seeds' occupancy with `agents` operators: the tripled peak scaled from 250 operators. */
export function seedRateFor(agents: number): number {
  return (SEED_PEAK_PER_SECOND * agents) / FULL_DEFAULTS.agents;
}

/** Parses `--rate`: a number of calls per second, or `N/h` calls per hour. */
export function parseRate(text: string): number {
  const perHour = /^\s*([0-9.]+)\s*\/\s*h\s*$/i.exec(text);
  const value = perHour ? Number(perHour[1]) / 3600 : Number(text.replace(/\/s$/i, ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--rate must be a positive number of calls per second, or N/h per hour; got ${JSON.stringify(text)}`);
  return value;
}

/** The command line's options over their defaults. Throws with a readable message on a bad one. */
export function parseFloorArgs(argv: readonly string[]): FloorOptions {
  const quick = argv.includes('--quick');
  const options: FloorOptions = { ...(quick ? QUICK_DEFAULTS : FULL_DEFAULTS) };
  let rateGiven = false;
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number ≥ ${min}; got ${JSON.stringify(value)}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case '--quick':
        break;
      case '--find-limit':
        options.findLimit = true;
        break;
      case '--agents':
        options.agents = Math.floor(number(flag, value, 1));
        i++;
        break;
      case '--rate':
        if (value === undefined) throw new Error(`--rate needs a value\n${USAGE}`);
        options.ratePerSecond = parseRate(value);
        rateGiven = true;
        i++;
        break;
      case '--minutes':
        options.minutes = number(flag, value, 0.1);
        i++;
        break;
      case '--compression':
        options.compression = number(flag, value, 1);
        i++;
        break;
      case '--seed':
        options.seed = Math.floor(number(flag, value, 0));
        i++;
        break;
      case '--impatient':
        options.impatientShare = number(flag, value, 0);
        if (options.impatientShare > 1) throw new Error('--impatient is a share between 0 and 1');
        i++;
        break;
      case '--patience':
        options.patienceMeanSeconds = number(flag, value, 1);
        i++;
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!rateGiven) options.ratePerSecond = seedRateFor(options.agents);
  return options;
}

/** The settings a run records (FloorSettings), from its options. */
export function floorSettings(options: FloorOptions): FloorSettings {
  return {
    agents: options.agents,
    arrivalsPerSecond: options.ratePerSecond * options.compression,
    arrivalSeconds: options.minutes * 60,
    compression: options.compression,
    talkMeanSeconds: 180,
    ringDelaySeconds: { min: 2, max: 6 },
    wrapUpSeconds: 30,
    patienceMeanSeconds: options.impatientShare > 0 ? options.patienceMeanSeconds : null,
    serviceLevelSeconds: 20,
    callerMix: { ...DEFAULT_CALLER_MIX },
    seed: options.seed,
    impatientShare: options.impatientShare,
  };
}

/** The printed derivation of the default load, so that a reader can check it. */
export function loadDerivation(options: FloorOptions): string[] {
  const erlangs = options.ratePerSecond * 180;
  return [
    `load: seeds' busiest case ${SEED_CALLS_PER_DAY.toLocaleString('en-US')} calls/day, 24/7, peak hour ${PEAK_HOUR_FACTOR}× the average hour, ×${REPORTING_PERIOD_FACTOR} in reporting periods`,
    `      → ${REPORTING_PERIOD_FACTOR} × ${PEAK_HOUR_FACTOR} × ${SEED_CALLS_PER_DAY} / 86,400 s = ${SEED_PEAK_PER_SECOND.toFixed(3)} calls/s real time for 250 operators`,
    `      this run: ${options.ratePerSecond.toFixed(3)} calls/s real (${Math.round(options.ratePerSecond * 3600)}/h) × 180 s talk = ${erlangs.toFixed(1)} Erlangs offered to ${options.agents} agents (${((100 * erlangs) / options.agents).toFixed(0)} % occupancy if all were operator work; seeds: operators talk 55–66 %)`,
    `      compression ${options.compression}: ${(options.ratePerSecond * options.compression).toFixed(2)} calls/s of run time, talk mean ${(180 / options.compression).toFixed(1)} s, wrap-up ${(30 / options.compression).toFixed(1)} s, ring 2–6 s / ${options.compression}; the IVR's prompts are not compressed`,
  ];
}

// ---------------------------------------------------------------- random draws

/** The tests' seeded mulberry32, with the draws a simulated floor needs. */
export class PlanRandom extends SeededRandom {

  /** Exponential with this mean (inverse transform). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [key, w] of entries) {
      x -= w;
      if (x < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}

/** Poisson arrivals: offsets (ms) of a process of `perSecond` over `seconds`, from exponential gaps. */
export function arrivalOffsets(random: PlanRandom, perSecond: number, seconds: number): number[] {
  const out: number[] = [];
  let t = random.exponential(1 / perSecond);
  while (t < seconds) {
    out.push(Math.round(t * 1000));
    t += random.exponential(1 / perSecond);
  }
  return out;
}

/**
 * What a caller presses in the shipped menu (src/ivr/default-flow.ts): 1 to
 * order, 2 then 1/2/3 for prices, assortment or delivery, 0 for an operator.
 * Debtors order (the debt rule applies to orders). Nobody presses 3
 * (other matter: the client's manager), 4 (complaint) or 5 (second line):
 * those are not the operators' floor.
 */
export function drawDigits(random: PlanRandom, kind: CallerKind): string {
  if (kind === 'debtor') return '1';
  const choice = random.weighted({ order: 0.6, enquiry: 0.25, operator: 0.15 });
  if (choice === 'order') return '1';
  if (choice === 'operator') return '0';
  return `2${random.weighted({ '1': 1, '2': 1, '3': 1 })}`;
}

/** Phone numbers of each caller kind, as the bench created them (unknown: numbers nobody has). */
export type CallerNumbers = Record<CallerKind, readonly string[]>;

/** The `-cid_str` the callers' sipp runs with, and the Call-ID it gives call number `n` (1-based, in order of the injection file). */
export function callIdPattern(runTag: string): string {
  return `floor-${runTag}-%u@bench`;
}
export function callIdOf(runTag: string, index: number): string {
  return `floor-${runTag}-${index + 1}@bench`;
}

/** Every caller of a run, in order of arrival. */
export function planCalls(settings: FloorSettings, numbers: CallerNumbers, runTag: string): PlacedCall[] {
  const random = new PlanRandom(settings.seed);
  const offsets = arrivalOffsets(random, settings.arrivalsPerSecond, settings.arrivalSeconds);
  const impatient = settings.impatientShare ?? (settings.patienceMeanSeconds === null ? 0 : 1);
  return offsets.map((dueAtMs, index) => {
    const kind = random.weighted(settings.callerMix);
    const pool = numbers[kind];
    const callerNumber = pool[Math.floor(random.next() * pool.length)];
    if (callerNumber === undefined) throw new Error(`no ${kind} caller numbers`);
    const digits = drawDigits(random, kind);
    const patient = settings.patienceMeanSeconds === null || !(random.next() < impatient);
    const patienceMs = patient ? null : Math.max(1000, Math.round((random.exponential(settings.patienceMeanSeconds!) * 1000) / settings.compression));
    return { index, kind, callerNumber, digits, dueAtMs, patienceMs, sipCallId: callIdOf(runTag, index) };
  });
}

/** One answered call as an agent's phone plays it: ring this long, then talk this long, then hang up. */
export interface AgentDraw {
  ringMs: number;
  talkMs: number;
}

/**
 * Draws for one phone process's incoming calls (read in order, one per call):
 * ring delay uniform, talk exponential around the seeds' 180 s mean, kept
 * between 10 s and 15 min so that no single draw dominates a short run,
 * both compressed.
 */
export function agentDraws(settings: FloorSettings, phoneIndex: number, count: number): AgentDraw[] {
  const random = new PlanRandom((settings.seed * 7919 + phoneIndex * 104729 + 1) >>> 0);
  const out: AgentDraw[] = [];
  for (let i = 0; i < count; i++) {
    const ring = random.uniform(settings.ringDelaySeconds.min, settings.ringDelaySeconds.max);
    const talk = Math.min(900, Math.max(10, random.exponential(settings.talkMeanSeconds)));
    out.push({ ringMs: Math.round((ring * 1000) / settings.compression), talkMs: Math.round((talk * 1000) / settings.compression) });
  }
  return out;
}

// ---------------------------------------------------------------- sipp injection files

/**
 * The callers' injection file: index;caller number;wait ms;digits;patience ms
 * (0: waits as long as it takes). One line per call, read in order. sipp
 * creates call n at about n ÷ `createPerSecond` s after its start and the
 * call then waits its `wait`: the due time less that creation offset, so the
 * INVITE goes out at the due time itself.
 */
export function callerCsv(calls: readonly PlacedCall[], createPerSecond = Infinity): string {
  const wait = (c: PlacedCall): number => Math.max(0, c.dueAtMs - Math.floor((c.index * 1000) / createPerSecond));
  return ['SEQUENTIAL', ...calls.map((c) => `${c.index};${c.callerNumber};${wait(c)};${c.digits === '' ? '-' : c.digits};${c.patienceMs ?? 0}`)].join('\n') + '\n';
}

/** A phone process's injection file: ring ms;talk ms per incoming call. */
export function agentCsv(draws: readonly AgentDraw[]): string {
  return ['SEQUENTIAL', ...draws.map((d) => `${d.ringMs};${d.talkMs}`)].join('\n') + '\n';
}

// ---------------------------------------------------------------- staffing

/** Who is on the floor: operators (the --agents), key-account managers and finance, each with a phone. */
export interface FloorStaffing {
  operators: number;
  keyAccountManagers: number;
  finance: number;
  /** Agents per sipp phone process. */
  agentsPerPhone: number;
}

/**
 * Key clients are 5 % of calls (≈ 7.5 Erlangs at the default load): one
 * key-account manager per 25 operators keeps them near 75 % busy; debtors
 * (3 %) get one finance agent per 25 operators too.
 */
export function floorStaffing(agents: number): FloorStaffing {
  return { operators: agents, keyAccountManagers: Math.max(2, Math.round(agents / 25)), finance: Math.max(2, Math.round(agents / 25)), agentsPerPhone: 25 };
}
