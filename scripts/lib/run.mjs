// Small process helpers shared by the start and test commands.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Runs a command with inherited output; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(`cannot run ${command}: ${err.message}`);
      resolve(127);
    });
  });
}

/** Runs a command with its output (stdout and stderr, interleaved) kept; resolves with its exit code and the output. */
export function runCaptured(command, args, options = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8') }));
    child.on('error', (err) => resolve({ code: 127, output: `cannot run ${command}: ${err.message}\n` }));
  });
}

/** npm dependencies are missing or older than the lockfile. */
export function dependenciesStale() {
  const marker = 'node_modules/.package-lock.json';
  if (!existsSync(marker)) return true;
  return statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
}

export async function ensureDependencies() {
  if (!dependenciesStale()) return;
  console.log('Installing npm dependencies (npm ci)…');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  if (code !== 0) {
    console.error('npm ci failed');
    process.exit(code);
  }
}

export const isRoot = process.getuid?.() === 0;

/** Installs Debian packages when root (retrying while another apt holds the lock); otherwise says what to run. */
export function ensureDebianPackages(missing) {
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!isRoot) {
    console.error(`Missing system packages: ${missing.join(', ')}.\nInstall them as root, then run this again:\n  sudo sh -c '${command}'`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get…`);
  for (let attempt = 1; attempt <= 5; attempt++) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
    if (install && install.status === 0) return;
    console.log(`apt-get failed (attempt ${attempt} of 5); another apt may hold the lock, retrying in 10 s`);
    spawnSync('sleep', ['10']);
  }
  console.error(`Could not install ${missing.join(', ')}: run "${command}" by hand.`);
  process.exit(1);
}

/** Whether an executable of this name is on PATH. */
export function commandOnPath(name) {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      return dir !== '' && (statSync(path.join(dir, name)).mode & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}

/**
 * Installs an optional Debian package when root and it is missing; never stops the caller. False when it is still
 * missing (not root, no network, apt busy): the caller goes on without it.
 */
export function tryDebianPackage(name, why) {
  if (commandOnPath(name)) return true;
  if (!isRoot) {
    console.log(`${name} is not installed: ${why}. To add it: sudo apt-get install -y ${name}`);
    return false;
  }
  console.log(`Installing ${name} with apt-get (${why}; SFU=off skips this)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { stdio: 'inherit', env, timeout: 180_000 };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', name], opts).status === 0;
  if (install() || (spawnSync('apt-get', ['update', '-qq'], opts).status === 0 && install())) return true;
  console.log(`Could not install ${name}; going on without it (${why}).`);
  return false;
}

/** Newest modification time under a directory. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

/** Builds the app (vite build) when build/ is missing or older than the sources. */
export async function buildIfStale() {
  const sources = Math.max(newest('app'), newest('static'), newest('packages'), statSync('svelte.config.js').mtimeMs, statSync('package-lock.json').mtimeMs);
  if (existsSync('build/handler.js') && statSync('build/handler.js').mtimeMs >= sources) return;
  console.log('Building the app (vite build)…');
  const code = await run('npx', ['vite', 'build', '--logLevel', 'warn']);
  if (code !== 0) process.exit(code);
}
