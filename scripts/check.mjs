// Type checks: svelte-check (zero warnings) for the app and browser tests, tsc for the service worker and each workspace.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { run } from './lib/run.mjs';

process.chdir(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
const workspaces = ['packages/domain', 'packages/protocol', 'packages/catalogs', 'packages/sync-client', 'packages/signing', 'packages/fhir', 'sync-server', 'sfu'].filter((w) => existsSync(`${w}/tsconfig.json`));
// `--no-sync`: the caller ran `svelte-kit sync` already (the test command, which lints at the same time).
const steps = [
  ...(process.argv.includes('--no-sync') ? [] : [['npx', ['svelte-kit', 'sync']]]),
  ['npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']],
  ['npx', ['tsc', '-p', 'tsconfig.sw.json']],
  ...workspaces.map((w) => ['npx', ['tsc', '-p', `${w}/tsconfig.json`]])
];
let failed = 0;
for (const [command, args] of steps) {
  console.log(`$ ${command} ${args.join(' ')}`);
  if ((await run(command, args)) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
