// Bundles the browser apps (softphone, admin) with esbuild into dist/web/<app>/
// and prints each bundle's size. `npm run build:web`; also run by the start and
// test commands. Pass --watch to rebuild on change while developing.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, context, type BuildOptions } from 'esbuild';
import { WEB_APPS, WEB_OUTPUT_DIR } from '../src/api/web-apps';

const root = path.resolve(__dirname, '..');

function htmlPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="main.css">
</head>
<body>
<div id="app"></div>
<script src="main.js"></script>
</body>
</html>
`;
}

function optionsFor(app: (typeof WEB_APPS)[number], production: boolean): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: { main: app.entry },
    outdir: path.join(WEB_OUTPUT_DIR, app.name),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: production,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: 'src/web/tsconfig.json',
    loader: { '.wav': 'file', '.svg': 'text' },
  };
}

function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

export async function buildWebApps(options: { production?: boolean; quiet?: boolean } = {}): Promise<void> {
  const production = options.production ?? true;
  for (const app of WEB_APPS) {
    const outDir = path.join(root, WEB_OUTPUT_DIR, app.name);
    mkdirSync(outDir, { recursive: true });
    await build(optionsFor(app, production));
    writeFileSync(path.join(outDir, 'index.html'), htmlPage(app.title));
    if (!options.quiet) {
      const sizes = ['main.js', 'main.css']
        .map((file) => path.join(outDir, file))
        .filter((file) => { try { return statSync(file).isFile(); } catch { return false; } })
        .map((file) => {
          const bytes = readFileSync(file);
          return `${path.basename(file)} ${formatKb(bytes.length)} (gzip ${formatKb(gzipSync(bytes).length)})`;
        });
      console.log(`web: ${app.name.padEnd(10)} ${sizes.join(', ')}`);
    }
  }
}

async function watch(): Promise<void> {
  for (const app of WEB_APPS) {
    const outDir = path.join(root, WEB_OUTPUT_DIR, app.name);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'index.html'), htmlPage(app.title));
    const ctx = await context(optionsFor(app, false));
    await ctx.watch();
    console.log(`web: watching ${app.name}`);
  }
}

if (require.main === module) {
  const run = process.argv.includes('--watch') ? watch() : buildWebApps();
  run.catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
