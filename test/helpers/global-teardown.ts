import { rmSync } from 'node:fs';
import path from 'node:path';
import type { RunningService } from '../../src/platform/managed-process';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __switchboardPostgres?: Array<RunningService & { dataDir: string }> };
  const servers = holder.__switchboardPostgres ?? [];
  holder.__switchboardPostgres = [];
  for (const server of servers) {
    try {
      await server.stop();
    } finally {
      // dataDir is <tmp root>/pg/pg<major>
      rmSync(path.resolve(server.dataDir, '..', '..'), { recursive: true, force: true });
    }
  }
}
