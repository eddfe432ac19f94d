// `npm start`: install dependencies if missing, build the app if needed, then run the whole system.
// Uses only Node's own modules, so it runs on a fresh clone before `npm ci`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies, run } from './lib/run.mjs';

process.chdir(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
await ensureDependencies();

/** Newest modification time of the app's sources, to rebuild only when something changed. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}
const sources = Math.max(newest('app'), newest('static'), newest('packages'), statSync('svelte.config.js').mtimeMs, statSync('package-lock.json').mtimeMs);
if (!existsSync('build/handler.js') || statSync('build/handler.js').mtimeMs < sources) {
  console.log('Building the app (vite build)…');
  const code = await run('npx', ['vite', 'build', '--logLevel', 'warn']);
  if (code !== 0) process.exit(code);
}

const server = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
