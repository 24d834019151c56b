/**
 * Runs the sipvicious tools (Debian `sipvicious`) through sipvicious-shim.py,
 * which binds them to the scan's source address (svwar and svcrack 0.3.3
 * ignore -b) and gives svcrack a usable Contact. Each run gets its own local
 * port, so that a retransmission meant for one run is never read by the next.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../../src/platform/managed-process';

export const SIPVICIOUS_TOOLS = ['svmap', 'svwar', 'svcrack'] as const;
export type SipviciousTool = (typeof SIPVICIOUS_TOOLS)[number];

const SHIM = path.join(__dirname, 'sipvicious-shim.py');

/** The tools missing from PATH (empty: all there). */
export function missingSipvicious(): string[] {
  return SIPVICIOUS_TOOLS.filter((tool) => findExecutable(tool) === null);
}

/** The Python the tool's own first line names (the Debian package's /usr/bin/python3, not a pyenv one without its modules). */
function interpreterOf(toolPath: string): string {
  const first = readFileSync(toolPath, 'utf8').split('\n', 1)[0] ?? '';
  return /^#!\s*(\S+)/.exec(first)?.[1] ?? 'python3';
}

export interface ToolRun {
  command: string;
  output: string;
  exitCode: number | null;
}

/** Runs `tool` from `bindAddress` with `args`; gives up (SIGKILL) after `timeoutMs`. */
export async function runSipvicious(tool: SipviciousTool, bindAddress: string, args: readonly string[], timeoutMs = 120_000): Promise<ToolRun> {
  const toolPath = findExecutable(tool);
  if (!toolPath) throw new Error(`${tool} is not installed (Debian package sipvicious)`);
  const python = interpreterOf(toolPath);
  const argv = [SHIM, bindAddress, toolPath, ...args];
  const child = spawn(python, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      output += `\n${err.message}`;
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  return { command: `${tool} ${args.join(' ')}`, output, exitCode };
}
