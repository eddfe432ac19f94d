// Runs Janus as a child of the server: finds the Debian install, writes its configuration, starts it, says it is up
// only once it answers `info` on its API, logs its lines, and stops it cleanly (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { loadOrCreateSecrets, writeJanusConfig, type JanusSecrets, type JanusSettings } from './janus-config';
import { JanusSocket } from './janus-socket';

export type SfuLog = {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
};

export type JanusInstall = { bin: string; libDir: string };

export type RunningJanus = {
  /** The API's address, on loopback: only the server talks to it. */
  url: string;
  secrets: JanusSecrets;
  pid: number;
  stop(): Promise<void>;
};

/** The Janus binary on PATH and its module folder (`/usr/lib/<arch>/janus`), or undefined when it is not installed. */
export function findJanus(pathVar = process.env.PATH ?? '', libRoots = ['/usr/lib', '/usr/local/lib']): JanusInstall | undefined {
  const bin = pathVar
    .split(':')
    .filter(Boolean)
    .map((dir) => path.join(dir, 'janus'))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!bin) return undefined;
  for (const root of libRoots) {
    const candidates = [path.join(root, 'janus'), ...safeList(root).map((d) => path.join(root, d, 'janus'))];
    const libDir = candidates.find((dir) => existsSync(path.join(dir, 'plugins', 'libjanus_videoroom.so')));
    if (libDir) return { bin, libDir };
  }
  return undefined;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A free TCP port on loopback (Janus's WebSocket port; a few milliseconds pass before Janus binds it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export type StartOptions = {
  install: JanusInstall;
  /** The SFU's data folder (`<DATA_DIR>/sfu`): secrets.json and conf/. */
  dataDir: string;
  rtpPorts: readonly [number, number];
  iceEnforceList?: string;
  publicIp?: string;
  debugLevel?: number;
  /** How long Janus may take to answer `info`. */
  startTimeoutMs?: number;
  log: SfuLog;
};

/**
 * A server killed outright (SIGKILL, a power cut of its process) leaves its Janus running, holding media ports: the
 * next start of the same data folder stops it. Only a process whose command line names this folder's configuration
 * is stopped, never another program that took the pid since.
 */
function reapOrphan(dataDir: string, jcfg: string, log: SfuLog) {
  const pidFile = path.join(dataDir, 'janus.pid');
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    return;
  }
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Gone: nothing to stop.
  }
  if (Number.isInteger(pid) && pid > 1 && cmdline.split('\0').includes(jcfg)) {
    try {
      process.kill(pid, 'SIGKILL');
      log.warn('sfu.orphan_stopped', { pid });
    } catch {
      // It ended meanwhile.
    }
  }
  rmSync(pidFile, { force: true });
}

/** Starts Janus with a freshly generated configuration and resolves once its API answers. */
export async function startJanus(options: StartOptions): Promise<RunningJanus> {
  const { install, log } = options;
  const secrets = loadOrCreateSecrets(options.dataDir);
  const wsPort = await freeLoopbackPort();
  const settings: JanusSettings = {
    configDir: path.join(options.dataDir, 'conf'),
    libDir: install.libDir,
    wsPort,
    rtpPorts: options.rtpPorts,
    iceEnforceList: options.iceEnforceList,
    publicIp: options.publicIp,
    debugLevel: options.debugLevel ?? 4
  };
  const jcfg = writeJanusConfig(settings, secrets, readdirSync);
  reapOrphan(options.dataDir, jcfg, log);
  const child = spawn(install.bin, ['--config', jcfg, '--configs-folder', settings.configDir, '--disable-colors'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lastLines: string[] = [];
  const onLine = (line: string) => {
    if (!line.trim()) return;
    lastLines.push(line);
    if (lastLines.length > 20) lastLines.shift();
    if (/\[(ERR|FATAL)\]|error/i.test(line)) log.warn('sfu.janus', { line });
    else log.debug('sfu.janus', { line });
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
    log.info('sfu.exited', { code, pid: child.pid });
  });
  child.once('error', (err) => log.warn('sfu.spawn_failed', { error: String(err) }));
  if (child.pid) writeFileSync(path.join(options.dataDir, 'janus.pid'), String(child.pid));

  const url = `ws://127.0.0.1:${wsPort}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    if (exitCode !== undefined) throw new Error(`Janus exited (code ${exitCode}) before answering; its last lines:\n${lastLines.join('\n')}`);
    const version = await answersInfo(url);
    if (version) {
      log.info('sfu.started', { pid: child.pid, url, version });
      break;
    }
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`Janus did not answer "info" on ${url} within ${options.startTimeoutMs ?? 15_000} ms; its last lines:\n${lastLines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, secrets, pid: child.pid!, stop: () => stopChild(child, exited).finally(() => rmSync(path.join(options.dataDir, 'janus.pid'), { force: true })) };
}

/** Janus's version string when it answers `info` at `url`, else undefined. */
async function answersInfo(url: string): Promise<string | undefined> {
  let socket: JanusSocket | undefined;
  try {
    socket = await JanusSocket.open(url, { timeoutMs: 1_000 });
    const info = await socket.request({ janus: 'info' }, { timeoutMs: 1_000 });
    return typeof info.version_string === 'string' ? info.version_string : 'unknown';
  } catch {
    return undefined;
  } finally {
    socket?.close();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
