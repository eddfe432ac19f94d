// `npm run bench:sync`: install what the benchmark needs (npm dependencies; Chromium and PostgreSQL from Debian
// when root), build the app, then run bench/sync/run.ts with the given arguments (e.g. --only=ours,stock).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureDebianPackages, ensureDependencies, run } from './lib/run.mjs';
import { findPostgresBin } from './lib/postgres.mjs';

process.chdir(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
await ensureDependencies();
const missing = [];
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
if (!findPostgresBin()) missing.push('postgresql');
ensureDebianPackages(missing);
const built = await run('npx', ['vite', 'build', '--logLevel', 'warn']);
if (built !== 0) process.exit(built);
process.exit(await run('npx', ['tsx', 'bench/sync/run.ts', ...process.argv.slice(2)]));
