import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../platform/project-root';

const REPO_ROOT = projectRoot();
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations');

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Runs node-pg-migrate (an ES module, so in its own process; that also keeps
 * its advisory lock and connection out of ours). Several Switchboard processes
 * starting together wait for each other instead of racing.
 */
export function runMigrations(databaseUrl: string, direction: 'up' | 'down', count?: number): Promise<string> {
  const cli = path.join(REPO_ROOT, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
  const args = [cli, direction, ...(count === undefined ? [] : [String(count)]), '--migrations-dir', MIGRATIONS_DIR, '--advisory-lock-mode', 'wait', '--no-verbose'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', (err) => reject(new MigrationError(`cannot run migrations: ${err.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new MigrationError(`migrations ${direction} failed:\n${output}`))));
  });
}
