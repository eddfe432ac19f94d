// `npm run e2e:calls`: the consultation call test (e2e/calls.test.ts, Playwright project `calls`) on its own —
// installs what it needs, builds the app if needed, and runs it against the whole system on a free port (embedded
// database). Screenshots of the call on a phone land in e2e/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale, ensureDebianPackages, ensureDependencies, run } from './lib/run.mjs';
import { freePort } from './lib/postgres.mjs';

process.chdir(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
await ensureDependencies();
if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) ensureDebianPackages(['chromium']);
await buildIfStale();
mkdirSync('e2e/screenshots', { recursive: true });
const port = process.env.E2E_PORT ?? String(await freePort());
const code = await run('npx', ['playwright', 'test', '--project', 'calls', ...process.argv.slice(2)], { env: { ...process.env, E2E_PORT: port } });
console.log(code === 0 ? '\nCalls passed; screenshots in e2e/screenshots/call-*.png' : '\nCalls failed; see test-results/');
process.exit(code);
