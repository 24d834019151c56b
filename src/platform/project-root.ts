import { existsSync } from 'node:fs';
import path from 'node:path';

let cached: string | null = null;

/** The folder holding package.json, config/ and migrations/, whether running from src/ (tsx) or dist/ (node). */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!(existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'config')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = parent;
  }
  cached = dir;
  return dir;
}
