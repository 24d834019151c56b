/**
 * Readers of what sipvicious 0.3.3 (Debian `sipvicious`) prints: its result
 * tables (libs/pptable.py) and the log lines that say why a tool found
 * nothing. Pure, so the scan's verdict is unit-tested on captured output.
 */

/** The rows of the first result table in `text`, each as an object keyed by the table's header. */
export function readTable(text: string): Array<Record<string, string>> {
  const lines = text.split(/\r?\n/);
  const cells = (line: string): string[] => line.trim().slice(1, -1).split('|').map((c) => c.trim());
  const rows: Array<Record<string, string>> = [];
  let header: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) {
      // A table ends at the first line that is neither a row nor a border.
      if (header && !/^\+[-=+]*\+$/.test(trimmed)) break;
      continue;
    }
    if (!header) {
      header = cells(trimmed);
      continue;
    }
    const values = cells(trimmed);
    rows.push(Object.fromEntries(header.map((name, i) => [name, values[i] ?? ''])));
  }
  return rows;
}

/** The address a tool's socket was bound to, as the bind shim reports it (`sipvicious-bind: bound to 127.0.0.2:5071`). */
export function boundAddress(text: string): string | null {
  return /sipvicious-bind: bound to ([0-9a-f.:]+):\d+/i.exec(text)?.[1] ?? null;
}

export interface SvmapResult {
  devices: Array<{ device: string; userAgent: string }>;
}

export function parseSvmap(text: string): SvmapResult {
  return { devices: readTable(text).map((row) => ({ device: row['SIP Device'] ?? '', userAgent: row['User Agent'] ?? '' })) };
}

/**
 * How an svwar run ended: `scanned` (it went through its list), `unknown-challenged`
 * (it gave up because a made-up name is challenged like a real one, so
 * answers cannot tell names apart), `no-response` or `error`.
 */
export type SvwarOutcome = 'scanned' | 'unknown-challenged' | 'no-response' | 'error';

export interface SvwarResult {
  outcome: SvwarOutcome;
  /** What svwar reports as existing: each one a name the server gave away. */
  extensions: Array<{ extension: string; authentication: string }>;
  /** The names it sent (only printed with -vv). */
  tried: string[];
  detail: string;
}

export function parseSvwar(text: string): SvwarResult {
  const extensions = readTable(text).map((row) => ({ extension: row.Extension ?? '', authentication: row.Authentication ?? '' }));
  const tried = [...text.matchAll(/sending request for (\S+)/g)].map((m) => m[1] ?? '');
  const say = (outcome: SvwarOutcome, detail: string): SvwarResult => ({ outcome, extensions, tried, detail });
  if (/replied with an authentication request for an unknown extension/.test(text)) {
    return say('unknown-challenged', 'a made-up name is challenged like a real one: svwar cannot tell names apart and stops');
  }
  if (/No server response|are you sure that this PBX is listening/.test(text)) return say('no-response', 'no answer to its first request');
  if (/Traceback \(most recent call last\)|Unhandled exception|CRITICAL:/.test(text)) return say('error', firstLineMatching(text, /Error|CRITICAL/) ?? 'the tool failed');
  const stopped = firstLineMatching(text, /We got an unknown response|Protocol \/ interopability error|method not allowed/);
  return say('scanned', stopped ? `stopped early: ${stopped}` : `${tried.length} names tried`);
}

export interface SvcrackResult {
  /** Passwords it found: each one a finding. */
  cracked: Array<{ extension: string; password: string }>;
  /** The passwords it sent, in order (printed with -vv). */
  tried: string[];
  outcome: 'finished' | 'no-response' | 'error';
  detail: string;
}

export function parseSvcrack(text: string): SvcrackResult {
  const fromTable = readTable(text).map((row) => ({ extension: row.Extension ?? '', password: row.Password ?? '' }));
  // The log line too, in case the table is not printed (quiet mode, a crash after the find).
  const fromLog = [...text.matchAll(/The password for (\S+) is (.*)$/gm)].map((m) => ({ extension: m[1] ?? '', password: (m[2] ?? '').trim() }));
  const cracked = [...fromTable];
  for (const found of fromLog) if (!cracked.some((c) => c.extension === found.extension && c.password === found.password)) cracked.push(found);
  const tried = [...text.matchAll(/trying (.+)$/gm)].map((m) => (m[1] ?? '').trim());
  if (/no server response/i.test(text) && tried.length === 0) return { cracked, tried, outcome: 'no-response', detail: 'no answer to its first REGISTER' };
  if (/Traceback \(most recent call last\)|Unhandled exception/.test(text)) return { cracked, tried, outcome: 'error', detail: firstLineMatching(text, /Error/) ?? 'the tool failed' };
  return { cracked, tried, outcome: 'finished', detail: `${tried.length} passwords tried` };
}

function firstLineMatching(text: string, pattern: RegExp): string | null {
  return text.split(/\r?\n/).find((line) => pattern.test(line))?.trim() ?? null;
}
