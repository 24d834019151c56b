/**
 * What a bench started, so that one `finally` (or a signal) stops all of it:
 * clean-up steps run newest first, child processes are killed first.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];
const children = new Set<ChildProcess>();

/** Registers a clean-up step; it runs before every step registered earlier. */
export function onCleanUp(name: string, run: () => Promise<void> | void): void {
  cleanups.push({ name, run });
}

/** How many steps are registered now: pass it to `cleanUp` to undo only what came after. */
export function cleanUpMark(): number {
  return cleanups.length;
}

/** A child that must not outlive the bench; forget it with `untrackChild` once it has exited. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
}

export function untrackChild(child: ChildProcess): void {
  children.delete(child);
}

/** Kills tracked children, then runs clean-up steps newest first down to `downTo`. A failing step is reported, the rest still run. */
export async function cleanUp(downTo = 0): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  while (cleanups.length > downTo) {
    const step = cleanups.pop()!;
    try {
      await step.run();
    } catch (err) {
      console.error(`clean-up of ${step.name} failed: ${(err as Error).message}`);
    }
  }
}

/** A fresh temp directory, removed at clean-up. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanUp(`temp dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** On SIGINT/SIGTERM: everything the bench started is stopped, then the process exits 130. */
export function cleanUpOnSignals(): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping everything the bench started…`);
      void cleanUp(0).finally(() => process.exit(130));
    });
  }
}
