import { limitVerdict, type LimitStep } from '../../../bench/floor/floor-limit';
import { summariseFloorRun } from '../../../bench/floor/floor-metrics';
import {
  FLOOR_REPORT_FILES, alignColumns, floorHtmlReport, floorLimitReport, floorReportDir, floorReportFiles, floorTextReport,
} from '../../../bench/floor/floor-report';
import { rollingServiceLevel, snapshotSeries } from '../../../bench/floor/floor-series';
import { escapeXml, lineChart, niceTicks } from '../../../bench/floor/floor-svg';
import type { FloorRun } from '../../../bench/floor/floor-run';
import { START, abandonedRow, answeredRow, floorRun, placed } from './floor-fixtures';

/** A run with something on every line: a lost row, a silent recording, an error line with markup in it, CPU, snapshots. */
function sampleRun(): FloorRun {
  const rows = [...Array.from({ length: 8 }, (_, i) => answeredRow(i, i * 1000)), abandonedRow(8, 30_000)];
  rows[2] = { ...rows[2]!, recording: { path: 'r.wav', callerRms: 2500, agentRms: 3 } };
  const run = floorRun(rows, {
    ringLatenciesMs: [12, 15, 30, 45, 20, 18, 16, 14],
    ivrAudioMs: [110, 120, 130, 140, 150, 160, 170, 180, 190],
    processes: [0, 5, 10, 15, 20].flatMap((s) => [
      { atMs: START + s * 1000, component: 'switchboard', cpuPercent: 30 + s, rssBytes: 200 * 1024 * 1024 },
      { atMs: START + s * 1000 + 3, component: 'rtpengine', cpuPercent: 50, rssBytes: 50 * 1024 * 1024 },
    ]),
    snapshots: [0, 10, 20, 30, 40, 50].map((s) => ({ atMs: START + s * 1000, waiting: s / 10, inIvr: 2, talking: 8, agentsReady: 6, agentsWrapUp: 0 })),
    agentTime: { talkingMs: 80_000, ringingMs: 4_000, wrapUpMs: 10_000, readyMs: 40_000, loggedInMs: 134_000 },
    logErrors: [{ message: 'INVITE failed <script>alert("x")</script> & more', count: 3 }],
  });
  run.placed.push(placed(9, { sipCallId: 'sip-lost' }));
  return run;
}

/** Checks that every tag is closed in order (HTML void elements and self-closed SVG elements aside); returns the problems. */
function tagProblems(html: string): string[] {
  const voids = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
  const stack: string[] = [];
  const problems: string[] = [];
  const body = html.replace(/^<!DOCTYPE html>/i, '').replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing && !voids.has(name!.toLowerCase())) stack.push(name!);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  // A stray < or > outside a tag is text that was not escaped.
  const text = body.replace(/<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g, '');
  if (/[<>]/.test(text)) problems.push(`unescaped < or > in text: ${text.match(/.{0,30}[<>].{0,30}/)?.[0]}`);
  return problems;
}

describe('floorTextReport', () => {
  const run = sampleRun();
  const summary = summariseFloorRun(run);
  const text = floorTextReport(summary, run, limitVerdict(summary, run));
  const lines = text.split('\n');
  const line = (start: string): string => lines.find((l) => l.startsWith(start)) ?? '';

  it('puts each figure next to its target, with whether it was met', () => {
    expect(line('ring latency p50')).toMatch(/16\.0 ms \/ 45\.0 ms \/ 45\.0 ms \/ 45\.0 ms \(8 rings\)\s+p99 < 100 ms\s+ok$/);
    expect(line('IVR audio')).toMatch(/p99 < 500 ms\s+ok$/);
    expect(line('lost call rows')).toMatch(/1\s+0\s+MISSED$/);
    expect(line('silent recordings')).toMatch(/1\s+0\s+MISSED$/);
    expect(line('rtpengine sessions left')).toMatch(/0\s+0\s+ok$/);
    expect(line('talk share while callers arrive')).toMatch(/55–66 %/);
    expect(line('service level A − Erlang C')).toMatch(/points \(noise: ±\d+\.\d at 2 binomial σ, more in truth\)\s+≥ −5 points\s+MISSED$/);
  });

  it('aligns the columns: every target starts where the header\'s does', () => {
    const targetColumn = line('figure').indexOf('target');
    for (const start of ['ring latency p50', 'lost call rows', 'rtpengine sessions left']) expect(line(start).indexOf(line(start).slice(targetColumn).trim())).toBe(targetColumn);
  });

  it('shows SL, ASA and AHT in real time with the run\'s own beside them, latencies unscaled', () => {
    const compressed = { ...run, settings: { ...run.settings, compression: 10 } };
    const out = floorTextReport(summariseFloorRun(compressed), compressed);
    expect(out).toMatch(/service-level threshold T\s+20\.0 s real \(2\.0 s of run\)/);
    expect(out).toMatch(/ring latency p50 \/ p95 \/ p99 \/ max\s+16\.0 ms/);
  });

  it('says which bounds broke, and lists what stands behind the counts', () => {
    expect(text).toContain('within the issue\'s bounds: NO — lost call rows 1 (limit 0); silent recordings 1 (limit 0)');
    expect(text).toContain('lost rows, by SIP Call-ID (1): sip-lost');
    expect(text).toContain('silent recordings (1): sip-2');
    expect(text).toContain('log error ×3: INVITE failed <script>');
  });

  it('a CPU table per component and for the machine', () => {
    expect(line('switchboard')).toMatch(/^switchboard\s+40 %\s+50 %\s+50 %\s+200 MiB\s+5$/);
    // Summed at each sample instant: 30 before rtpengine's first sample, then 80, 85, 85 … 100.
    expect(line('machine')).toMatch(/^machine\s+85 %\s+100 %\s+100 %\s+250 MiB\s+10$/);
  });
});

describe('floorHtmlReport', () => {
  const run = sampleRun();
  const summary = summariseFloorRun(run);
  const html = floorHtmlReport(summary, run, { verdict: limitVerdict(summary, run) });

  it('is well formed: every tag closed in order, no unescaped text', () => {
    expect(tagProblems(html)).toEqual([]);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
  });

  it('the checker itself catches an unclosed tag, a misnested one and raw markup', () => {
    expect(tagProblems('<div><p></div>')).not.toEqual([]);
    expect(tagProblems('<table><tr><td>x</tr></table>')).not.toEqual([]);
    expect(tagProblems('<p>a < b</p>')).not.toEqual([]);
  });

  it('escapes the run\'s text: a log line with markup stays text', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('INVITE failed &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
  });

  it('is self-contained: no script, stylesheet, font or image from elsewhere', () => {
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=|href=/i);
    // The only address is SVG's namespace name, which nothing fetches.
    expect([...html.matchAll(/https?:\/\/[^"\s]+/g)].map((m) => m[0]).every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('draws one chart each for service level, waiting callers, concurrent calls and CPU', () => {
    expect(html.match(/<svg /g)).toHaveLength(4);
    for (const title of ['Service level A, rolling', 'Waiting callers', 'Concurrent calls', 'CPU per component']) expect(html).toContain(`<title>${title}`);
    expect(html).toContain('<title>rtpengine</title>');
    expect(html).toContain('<title>in the IVR</title>');
  });

  it('adds the limit search when given one', () => {
    const step = limitStepFixture(true);
    const withLimit = floorHtmlReport(summary, run, { limitHistory: [step] });
    expect(withLimit).toContain('<h2>Limit search</h2>');
    expect(tagProblems(withLimit)).toEqual([]);
    expect(html).not.toContain('Limit search');
  });
});

function limitStepFixture(ok: boolean, rate = 2, agents = 50): LimitStep {
  return {
    load: { arrivalsPerSecond: rate, agents },
    verdict: ok ? { ok, broken: [], saturated: null } : { ok, broken: [{ bound: 'ring latency p99, ms', measured: 180, limit: 100 }], saturated: 'rtpengine <x>' },
    callsPerSecond: rate, concurrentAnsweredMean: agents * 0.6, concurrentAnsweredPeak: agents,
    ringP99Ms: ok ? 20 : 180, ivrAudioP99Ms: 150, serviceLevel: 0.9, erlangServiceLevel: 0.91, lostRows: 0, silentRecordings: 0,
  };
}

describe('floorLimitReport', () => {
  it('a line per run and the last good load in concurrent answered calls and calls per second', () => {
    const history = [limitStepFixture(true, 2, 50), limitStepFixture(true, 4, 100), limitStepFixture(false, 8, 200), limitStepFixture(true, 6, 150)];
    const text = floorLimitReport(history);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^run\s+calls\/s\s+agents/);
    expect(lines.filter((l) => /^\s*\d+\s+\d+\.\d\d\s+\d+/.test(l))).toHaveLength(4);
    expect(text).toContain('limit: the last good load: 6.00 calls/s with 150 agents, 90.0 concurrent answered calls (peak 150); '
      + 'first broken at 8.00 calls/s (ring latency p99, ms); saturated first there: rtpengine <x>');
  });

  it('says so when nothing held or nothing broke', () => {
    expect(floorLimitReport([limitStepFixture(false)])).toContain('limit: no load stayed within the bounds');
    expect(floorLimitReport([limitStepFixture(true)])).toContain('no load broke a bound');
  });
});

describe('report helpers', () => {
  it('writes under artifacts/floor/<UTC timestamp> without colons', () => {
    expect(floorReportDir(new Date('2026-12-06T17:20:13.456Z'))).toBe('artifacts/floor/2026-12-06T17-20-13Z');
    expect(Object.values(FLOOR_REPORT_FILES)).toEqual(['floor-report.txt', 'floor-report.html', 'floor-summary.json', 'floor-limit.txt']);
  });

  it('gives every file of a report by name; the limit table only with a search', () => {
    const run = sampleRun();
    const summary = summariseFloorRun(run);
    const files = floorReportFiles(summary, run);
    expect(Object.keys(files)).toEqual(['floor-report.txt', 'floor-report.html', 'floor-summary.json']);
    expect(JSON.parse(files['floor-summary.json']!)).toMatchObject({ rows: { placed: 10, written: 9 } });
    expect(files['floor-report.txt']).toBe(`${floorTextReport(summary, run)}\n`);
    expect(Object.keys(floorReportFiles(summary, run, { limitHistory: [limitStepFixture(true)] }))).toContain('floor-limit.txt');
  });

  it('aligns columns, right-aligning the ones asked for, leaving the last unpadded', () => {
    expect(alignColumns([['a', '1', 'x'], ['bbb', '22', 'yy']], [1])).toEqual(['a     1  x', 'bbb  22  yy']);
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('round axis ticks', () => {
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0)).toEqual([0]);
  });

  it('a fixed x range places points on the run\'s timeline, and the y axis reaches past the highest point', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', xRange: [0, 100], series: [{ name: 's', points: [[50, 7], [100, 6]] }] });
    // The plot spans x 56…704: second 50 of 100 is its middle; 7 sits below the top tick (8), 6 lower still.
    const [first, second] = /points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => p.split(',').map(Number));
    expect(first![0]).toBe(380);
    expect(second![0]).toBe(704);
    expect(first![1]).toBeLessThan(second![1]!);
    expect(svg).toContain('>8</text>');
  });

  it('a chart with no data says so instead of drawing nothing', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [] }] });
    expect(svg).toContain('no data');
    expect(tagProblems(svg)).toEqual([]);
  });
});

describe('time series for the charts', () => {
  it('rolling service level: definition A over the calls queued in the trailing window', () => {
    // T = 20 s; calls queued at 0..9 s, the first five answered at once, the last five after 30 s.
    const rows = Array.from({ length: 10 }, (_, i) => answeredRow(i, i < 5 ? 0 : 30_000));
    const run = floorRun(rows, { endedAtMs: START + 10_000 });
    const points = rollingServiceLevel(run, summariseFloorRun(run), { windowMs: 5000, stepMs: 5000 });
    // Window (0, 5 s] holds calls 1–5 (call 0 sits on the open edge): 4 of 5 in time; (5, 10 s] calls 6–9: none.
    expect(points).toEqual([[5, 80], [10, 0]]);
  });

  it('leaves out windows without calls and calls of other queues', () => {
    const run = floorRun([answeredRow(1, 0, 1000, { queue: 'finance' })], { endedAtMs: START + 10_000 });
    expect(rollingServiceLevel(run, summariseFloorRun(run), { windowMs: 5000, stepMs: 5000 })).toEqual([]);
  });

  it('snapshots in seconds since the start, in time order', () => {
    const snap = (s: number, waiting: number) => ({ atMs: START + s * 1000, waiting, inIvr: 0, talking: 0, agentsReady: 0, agentsWrapUp: 0 });
    expect(snapshotSeries(floorRun([], { snapshots: [snap(2, 5), snap(1, 3)] }), 'waiting')).toEqual([[1, 3], [2, 5]]);
  });
});
