import { execFile } from 'node:child_process';
import path from 'node:path';
import { eventually } from '../../helpers/eventually';

/** Whether a process with this pid is still running (kill 0 sends nothing, it only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Switchboard's components run detached (a process group of their own), so a
 * Switchboard process that exits without stopping them — its shutdown
 * watchdog firing, a fatal error — must not leave them running as orphans
 * that hold their ports and data directories (issue 14).
 */
describe('services started by a process that exits without stopping them', () => {
  it('are killed when that process exits', async () => {
    const script = path.join(__dirname, 'fixtures', 'exit-with-child.ts');
    const output = await new Promise<string>((resolve) => {
      execFile(process.execPath, [require.resolve('tsx/cli'), script], { cwd: path.resolve(__dirname, '..', '..', '..') }, (_err, stdout) => resolve(stdout));
    });
    const pid = Number(output.trim());
    expect(pid).toBeGreaterThan(1);
    await expect(eventually(() => alive(pid), (running) => !running, 5_000)).resolves.toBe(false);
  }, 30_000);
});
