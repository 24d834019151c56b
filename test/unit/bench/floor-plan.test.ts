import {
  FULL_DEFAULTS, QUICK_DEFAULTS, SEED_PEAK_PER_SECOND, agentCsv, agentDraws, arrivalOffsets, callIdOf, callIdPattern, callerCsv, drawDigits, floorSettings, floorStaffing,
  loadDerivation, parseFloorArgs, parseRate, planCalls, PlanRandom, seedRateFor, type CallerNumbers,
} from '../../../bench/floor/floor-plan';
import { DIGIT_BRANCHES } from '../../../bench/floor/floor-scenarios';

const numbers: CallerNumbers = {
  market: ['+74952000001', '+74952000002'], retail: ['+74953000001'], regional: ['+74954000001'], key: ['+74955000001'], debtor: ['+74956000001'], unknown: ['+74958000001'],
};

describe('floor plan: options', () => {
  it('defaults to the tripled seed peak: 3 × 1.5 × 16,000 / 86,400 ≈ 0.83 calls/s for 250 agents, ~150 Erlangs at 180 s', () => {
    expect(SEED_PEAK_PER_SECOND).toBeCloseTo(0.8333, 3);
    const options = parseFloorArgs([]);
    expect(options).toMatchObject({ agents: 250, compression: 10, quick: false, findLimit: false });
    expect(options.ratePerSecond * 180).toBeCloseTo(150, 0);
    expect(loadDerivation(options).join('\n')).toContain('150.0 Erlangs offered to 250 agents (60 % occupancy');
  });

  it('--quick is 50 agents at the same occupancy, few impatient callers; later options override it', () => {
    expect(parseFloorArgs(['--quick'])).toMatchObject({ agents: 50, minutes: QUICK_DEFAULTS.minutes, impatientShare: 0.05, quick: true });
    expect(parseFloorArgs(['--quick']).ratePerSecond).toBeCloseTo(seedRateFor(50), 9);
    expect(parseFloorArgs(['--quick', '--agents', '20', '--minutes', '1']).agents).toBe(20);
  });

  it('takes the rate in calls per second or per hour, both real time, and refuses nonsense', () => {
    expect(parseRate('0.5')).toBe(0.5);
    expect(parseRate('3600/h')).toBe(1);
    expect(parseFloorArgs(['--rate', '1800/h']).ratePerSecond).toBe(0.5);
    expect(() => parseRate('fast')).toThrow(/--rate/);
    expect(() => parseFloorArgs(['--agents', '0'])).toThrow(/--agents needs a number ≥ 1/);
    expect(() => parseFloorArgs(['--bogus'])).toThrow(/unknown option --bogus/);
  });

  it('compresses: the run-time arrival rate is multiplied by the compression, times stay in real seconds in the settings', () => {
    const settings = floorSettings({ ...FULL_DEFAULTS, compression: 10, ratePerSecond: 0.8 });
    expect(settings.arrivalsPerSecond).toBeCloseTo(8, 9);
    expect(settings).toMatchObject({ talkMeanSeconds: 180, wrapUpSeconds: 30, serviceLevelSeconds: 20, compression: 10 });
    expect(Object.values(settings.callerMix).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(floorSettings({ ...FULL_DEFAULTS, impatientShare: 0 }).patienceMeanSeconds).toBeNull();
  });

  it('staffs key-account managers and finance in proportion, never fewer than two', () => {
    expect(floorStaffing(250)).toEqual({ operators: 250, keyAccountManagers: 10, finance: 10, agentsPerPhone: 25 });
    expect(floorStaffing(10)).toMatchObject({ keyAccountManagers: 2, finance: 2 });
  });
});

describe('floor plan: draws', () => {
  it('Poisson arrivals: the count over a long window is near rate × time and the gaps have the exponential mean', () => {
    const offsets = arrivalOffsets(new PlanRandom(7), 2, 5000);
    expect(offsets.length).toBeGreaterThan(9600);
    expect(offsets.length).toBeLessThan(10400);
    const gaps = offsets.slice(1).map((t, i) => t - offsets[i]!);
    // The mean gap is 1/rate; its standard error over ~10,000 gaps is 5 ms.
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(meanGap).toBeGreaterThan(480);
    expect(meanGap).toBeLessThan(520);
    // Exponential: about e^-1 of the gaps exceed the mean.
    expect(gaps.filter((g) => g > 500).length / gaps.length).toBeCloseTo(Math.exp(-1), 1);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
  });

  it('the same seed gives the same calls; another seed others', () => {
    const settings = floorSettings(QUICK_DEFAULTS);
    expect(planCalls(settings, numbers, 'a')).toEqual(planCalls(settings, numbers, 'a'));
    expect(planCalls({ ...settings, seed: 99 }, numbers, 'a')).not.toEqual(planCalls(settings, numbers, 'a'));
  });

  it('calls follow the mix, take numbers of their kind, press digits the scenario has a branch for, and carry the Call-ID sipp will give them', () => {
    const settings = { ...floorSettings({ ...FULL_DEFAULTS, minutes: 30 }) };
    const calls = planCalls(settings, numbers, 'r7');
    expect(calls.length).toBeGreaterThan(10_000);
    const share = (kind: string): number => calls.filter((c) => c.kind === kind).length / calls.length;
    expect(share('market')).toBeCloseTo(0.35, 1);
    expect(share('key')).toBeCloseTo(0.05, 1);
    for (const c of calls.slice(0, 500)) {
      expect(numbers[c.kind]).toContain(c.callerNumber);
      expect(DIGIT_BRANCHES).toContain(c.digits);
      if (c.kind === 'debtor') expect(c.digits).toBe('1');
    }
    expect(calls[4]!.sipCallId).toBe(callIdOf('r7', 4));
    expect(callIdPattern('r7').replace('%u', '5')).toBe(calls[4]!.sipCallId);
  });

  it('only the impatient share has a patience, compressed and at least a second', () => {
    const settings = floorSettings({ ...FULL_DEFAULTS, minutes: 30, impatientShare: 0.2, compression: 10, patienceMeanSeconds: 120 });
    const calls = planCalls(settings, numbers, 'x');
    const impatient = calls.filter((c) => c.patienceMs !== null);
    expect(impatient.length / calls.length).toBeCloseTo(0.2, 1);
    const mean = impatient.reduce((s, c) => s + c.patienceMs!, 0) / impatient.length;
    expect(mean).toBeGreaterThan(10_000);
    expect(mean).toBeLessThan(14_000);
    expect(Math.min(...impatient.map((c) => c.patienceMs!))).toBeGreaterThanOrEqual(1000);
    expect(planCalls(floorSettings({ ...FULL_DEFAULTS, impatientShare: 0 }), numbers, 'x').every((c) => c.patienceMs === null)).toBe(true);
  });

  it('agents ring 2–6 s and talk around 180 s, both divided by the compression; each phone draws its own', () => {
    const settings = floorSettings({ ...FULL_DEFAULTS, compression: 10 });
    const draws = agentDraws(settings, 0, 5000);
    expect(Math.min(...draws.map((d) => d.ringMs))).toBeGreaterThanOrEqual(200);
    expect(Math.max(...draws.map((d) => d.ringMs))).toBeLessThanOrEqual(600);
    const meanTalk = draws.reduce((s, d) => s + d.talkMs, 0) / draws.length;
    expect(meanTalk).toBeGreaterThan(16_000);
    expect(meanTalk).toBeLessThan(20_000);
    expect(agentDraws(settings, 1, 10)).not.toEqual(agentDraws(settings, 0, 10));
  });

  it('digits: 1 to order, 2 then a topic, 0 for an operator', () => {
    const random = new PlanRandom(1);
    const seen = new Set(Array.from({ length: 400 }, () => drawDigits(random, 'market')));
    expect([...seen].sort()).toEqual(['0', '1', '21', '22', '23']);
  });
});

describe('floor plan: injection files', () => {
  it('callers: one line per call in order, patience 0 for the patient, - for no digits', () => {
    const csv = callerCsv([
      { index: 0, kind: 'market', callerNumber: '+7495', digits: '1', dueAtMs: 120, patienceMs: null, sipCallId: 'x' },
      { index: 1, kind: 'key', callerNumber: '+7496', digits: '', dueAtMs: 900, patienceMs: 4000, sipCallId: 'y' },
    ]);
    expect(csv).toBe('SEQUENTIAL\n0;+7495;120;1;0\n1;+7496;900;-;4000\n');
  });

  it('callers: each waits its due time less the moment sipp creates it (call n at n ÷ rate), never less than 0', () => {
    const call = (index: number, dueAtMs: number) => ({ index, kind: 'market' as const, callerNumber: '+7', digits: '1', dueAtMs, patienceMs: null, sipCallId: String(index) });
    expect(callerCsv([call(0, 100), call(1000, 150), call(2000, 5000)], 5000)).toBe('SEQUENTIAL\n0;+7;100;1;0\n1000;+7;0;1;0\n2000;+7;4600;1;0\n');
  });

  it('phones: ring and talk per incoming call', () => {
    expect(agentCsv([{ ringMs: 300, talkMs: 18000 }])).toBe('SEQUENTIAL\n300;18000\n');
  });
});
