// `npm test`: install what the tests need, start a throwaway PostgreSQL, run every check and test,
// and end with one summary line. `.ci/run` calls exactly this.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandOnPath, ensureDebianPackages, ensureDependencies, run, runCaptured } from './lib/run.mjs';
import { findPostgresBin, freePort, startThrowawayPostgres } from './lib/postgres.mjs';

process.chdir(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
const started = Date.now();

await ensureDependencies();
const missing = [];
if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) missing.push('chromium');
if (!findPostgresBin()) missing.push('postgresql');
// The SFU's tests (sync-server/test/sfu.test.ts) run the real Janus.
if (!commandOnPath('janus')) missing.push('janus');
// Signed minutes: the tests make their signers' PKCS#12 files with openssl and check the signed PDFs with pdfsig.
if (!commandOnPath('openssl')) missing.push('openssl');
if (!commandOnPath('pdfsig')) missing.push('poppler-utils');
ensureDebianPackages(missing);

const results = [];
const record = (name, passed, failed) => {
  results.push({ name, passed, failed });
  console.log(`\n── ${name}: ${passed} passed, ${failed} failed\n`);
};
/** A check that is one pass or one fail. */
async function step(name, command, args, env = {}) {
  console.log(`\n── ${name}: ${[command, ...args].join(' ')}`);
  const code = await run(command, args, { env: { ...process.env, ...env } });
  record(name, code === 0 ? 1 : 0, code === 0 ? 0 : 1);
  return code === 0;
}
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const pg = await startThrowawayPostgres();
const reports = mkdtempSync(path.join(tmpdir(), 'telehealth-reports-'));
const stopAll = () => {
  pg.stop();
  rmSync(reports, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

try {
  const env = { TEST_DATABASE_URL: pg.url };
  // Types and lint are each mostly one core's work: on a 2-core machine they run side by side (their output is kept
  // and printed whole, one after the other), after one `svelte-kit sync` both read.
  await run('npx', ['svelte-kit', 'sync']);
  const parallel = [
    ['types', 'node', ['scripts/check.mjs', '--no-sync']],
    ['lint', 'npm', ['run', '--silent', 'lint']]
  ];
  const outcomes = await Promise.all(parallel.map(([, command, args]) => runCaptured(command, args)));
  parallel.forEach(([name, command, args], i) => {
    console.log(`\n── ${name}: ${[command, ...args].join(' ')}`);
    process.stdout.write(outcomes[i].output);
    record(name, outcomes[i].code === 0 ? 1 : 0, outcomes[i].code === 0 ? 0 : 1);
  });
  const built = await step('build', 'npx', ['vite', 'build', '--logLevel', 'warn']);

  const vitestReport = path.join(reports, 'vitest.json');
  // Both lanes (vite.config.ts's projects `unit` and `integration`) in one run: one JSON report counts them all.
  console.log('\n── unit and integration tests: vitest run (projects unit, integration)');
  const vitestCode = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`], {
    env: { ...process.env, ...env }
  });
  const v = readJson(vitestReport);
  record('vitest', v?.numPassedTests ?? 0, v ? v.numFailedTests + (vitestCode !== 0 && v.numFailedTests === 0 ? 1 : 0) : 1);

  if (built) {
    const playwrightReport = path.join(reports, 'playwright.json');
    console.log('\n── browser tests: playwright test');
    const pwCode = await run('npx', ['playwright', 'test', '--reporter=list,json'], {
      env: {
        ...process.env,
        ...env,
        E2E_DATABASE_URL: await freshDatabase(pg.url, 'e2e'),
        E2E_PORT: String(await freePort()),
        PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport
      }
    });
    const s = readJson(playwrightReport)?.stats;
    record('playwright', s ? s.expected + s.flaky : 0, s ? s.unexpected + (pwCode !== 0 && s.unexpected === 0 ? 1 : 0) : 1);
  } else {
    record('playwright (needs the build)', 0, 1);
  }
  // Media through the SFU and a call recorded with consent: two Chromium pages in a network namespace (Janus
  // gathers no candidate on loopback), so it needs root, as the system packages above do.
  await step('calls through the SFU, recorded with consent (e2e/sfu-media.ts)', 'npx', ['tsx', 'e2e/sfu-media.ts'], { TEST_DATABASE_URL: await freshDatabase(pg.url, 'sfumedia') });
} finally {
  stopAll();
}

/** A new database on the throwaway server, so the browser tests start from an empty one. */
async function freshDatabase(url, name) {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\nSummary by step:');
for (const r of results) console.log(`  ${r.failed ? '✗' : '✓'} ${r.name.padEnd(30)} ${r.passed} passed, ${r.failed} failed`);
console.log(`  took ${Math.round((Date.now() - started) / 1000)} s\n`);
console.log(`Summary: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
