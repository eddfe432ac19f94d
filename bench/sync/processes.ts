// Starting and stopping the servers under test (inside the link's network namespace or on loopback).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { namespace } from './link';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export type Started = { child: ChildProcess; stop(): Promise<void> };

/** Runs `node <args>` inside the namespace (or on the host when `inNamespace` is false) and waits for `readyUrl`. */
export async function startNode(args: string[], env: Record<string, string>, readyUrl: string, inNamespace = true): Promise<Started> {
  const [cmd, cmdArgs] = inNamespace ? ['ip', ['netns', 'exec', namespace, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd as string, cmdArgs as string[], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    if (await fetch(readyUrl).then((r) => r.status < 500, () => false)) break;
    await sleep(100);
    if (i === 599) throw new Error(`${readyUrl} never answered`);
  }
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      })
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) return false;
    await sleep(pollMs);
  }
  return true;
}
