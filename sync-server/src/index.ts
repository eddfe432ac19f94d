// @telehealth/sync-server: what tests and tools import to run the server in-process.
export { loadConfig, ConfigError, type Config } from './config';
export { createLogger, type Logger } from './log';
export { startSystem, type RunningSystem } from './system';
export { demoLogins, demoUnits } from './demo-seed';
