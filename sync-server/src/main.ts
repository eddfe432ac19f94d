// Process entry point: read config, start the system, print the demo logins, stop cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { demoLogins } from './demo-seed';
import { startSystem } from './system';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const log = createLogger(config.logLevel);
const system = await startSystem(config, log);

const lines = [
  '',
  `  Telehealth xã is running at ${system.url}`,
  `  Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`}`
];
if (config.seedDemo) {
  lines.push('', '  Demo logins (tên đăng nhập / mật khẩu):');
  for (const l of demoLogins) lines.push(`    ${l.role.padEnd(15)} ${l.username.padEnd(14)} ${l.password.padEnd(20)} ${l.displayName}`);
}
if (system.setup?.code) {
  lines.push(
    '',
    '  No account exists yet. Create the first admin at:',
    `    ${system.url}/setup`,
    `  with the one-time setup code ${system.setup.code}`,
    `  (also in ${system.setup.file}, readable only by this user; it is deleted once the admin exists).`
  );
}
lines.push('', '  Press Ctrl-C to stop.', '');
process.stdout.write(lines.join('\n') + '\n');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('server.stopping', { signal });
  try {
    await system.stop();
    process.exit(0);
  } catch (err) {
    log.error('server.stop_failed', { error: String(err) });
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
