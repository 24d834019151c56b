import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const WORKER = path.join(__dirname, 'fixtures', 'acd-worker.ts');

export interface WorkerMessage {
  type: string;
  [key: string]: unknown;
}

/** A real child process running fixtures/acd-worker.ts under tsx. kill() in a finally. */
export class WorkerProcess {
  private readonly messages: WorkerMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly child: ChildProcess;

  constructor(config: object) {
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ACD_WORKER_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.on('message', (message: WorkerMessage) => {
      this.messages.push(message);
      for (const wake of [...this.waiters]) wake();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        for (const wake of [...this.waiters]) wake();
        resolve({ code, signal });
      });
    });
  }

  /** The first message of `type`, waiting up to `timeoutMs`. */
  async message(type: string, timeoutMs: number): Promise<WorkerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.type === type);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`worker exited (${this.child.exitCode ?? this.child.signalCode}) before sending ${type}:\n${this.stderr}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} message from worker within ${timeoutMs} ms:\n${this.stderr}`);
      let wake: () => void = () => undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.waiters.add(wake);
          timer = setTimeout(resolve, left);
        });
      } finally {
        this.waiters.delete(wake);
        clearTimeout(timer);
      }
    }
  }

  get errorOutput(): string {
    return this.stderr;
  }

  /** Kills the process (if still running) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
