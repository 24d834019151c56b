import { spawn } from 'node:child_process';
import path from 'node:path';

const CHILD = path.join(__dirname, 'fixtures', 'redis-lifecycle-child.ts');

/** Runs the child and measures how long it lives on after saying "stopped". */
function lingerAfterStop(): Promise<{ code: number | null; lingerMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stoppedAt: number | null = null;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stoppedAt === null && chunk.toString('utf8').includes('stopped')) stoppedAt = Date.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, lingerMs: stoppedAt === null ? Infinity : Date.now() - stoppedAt, stderr }));
  });
}

describe('the test redis-server the ACD suites run on', () => {
  it('leaves nothing behind once stopped: a process that only starts and stops it exits at once', async () => {
    const { code, lingerMs, stderr } = await lingerAfterStop();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The readiness probe used to leave ioredis' 2 s disconnect timer armed after every refused
    // attempt, which is what kept jest from exiting.
    expect(lingerMs).toBeLessThan(500);
  });
});
