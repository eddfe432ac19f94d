// `npm start`: install dependencies if missing, build the app if needed, then run the whole system.
// `npm run demo` (= `npm start -- --demo`): the same with the demo units and accounts, their logins printed; only
// on a loopback address (the server refuses demo accounts anywhere else).
// Uses only Node's own modules, so it runs on a fresh clone before `npm ci`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfStale, ensureDependencies, tryDebianPackage } from './lib/run.mjs';

process.chdir(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
await ensureDependencies();

// The SFU (Janus) for multi-party video: installed when missing and run as root, unless SFU=off; without it the
// server runs on with 1:1 calls only. SFU=required makes the server refuse to start without it.
if (process.env.SFU !== 'off') tryDebianPackage('janus', 'multi-party video calls use it');

await buildIfStale();

const demo = process.argv.includes('--demo');
const env = demo ? { ...process.env, SEED_DEMO: 'true' } : process.env;
const server = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
