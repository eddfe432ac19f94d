// One browser test on its own (`npm run e2e:story`, `npm run e2e:calls`): installs what it needs, builds the app if
// its sources changed, and runs Playwright against the whole system on a free port (embedded database).
// Screenshots land in e2e/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale, commandOnPath, ensureDebianPackages, ensureDependencies, run } from './run.mjs';
import { freePort } from './postgres.mjs';

/**
 * Runs `npx playwright test <args>` (plus the command line's own arguments) and exits with its code; `after`, a
 * further command (`[command, args, debianPackages]`), runs when the browser tests passed, and its code counts too.
 */
export async function runAlone(args, { passed, failed, after }) {
  process.chdir(path.dirname(path.dirname(path.dirname(new URL(import.meta.url).pathname))));
  await ensureDependencies();
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) ensureDebianPackages(['chromium']);
  await buildIfStale();
  mkdirSync('e2e/screenshots', { recursive: true });
  const port = process.env.E2E_PORT ?? String(await freePort());
  let code = await run('npx', ['playwright', 'test', ...args, ...process.argv.slice(2)], { env: { ...process.env, E2E_PORT: port } });
  if (code === 0 && after) {
    const [command, commandArgs, packages = []] = after;
    ensureDebianPackages(packages.filter((p) => !commandOnPath(p)));
    code = await run(command, commandArgs);
  }
  console.log(code === 0 ? `\n${passed}` : `\n${failed}`);
  process.exit(code);
}
