// A 2G-like link on this machine: the server runs in its own network namespace behind a veth pair shaped by
// `tc tbf` (64 kbit/s each way), and a TCP proxy on the host adds 150 ms each way (RTT 300 ms), counts bytes
// and can cut connections. netem is not available in this kernel, hence the proxy for latency.
import { execFileSync } from 'node:child_process';
import net from 'node:net';

export const namespace = 'thbench';
export const hostAddress = '10.203.0.1';
export const serverAddress = '10.203.0.2';
/** A second, unshaped path into the namespace, for preparing state quickly (e.g. 1,000 app starts). */
export const fastServerAddress = '10.203.1.2';

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function setUpLink(rateKbit = 64) {
  tearDownLink();
  sh('ip', ['netns', 'add', namespace]);
  sh('ip', ['link', 'add', 'thb-host', 'type', 'veth', 'peer', 'name', 'thb-ns']);
  sh('ip', ['link', 'set', 'thb-ns', 'netns', namespace]);
  sh('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', 'thb-host']);
  sh('ip', ['link', 'set', 'thb-host', 'up']);
  sh('ip', ['netns', 'exec', namespace, 'ip', 'addr', 'add', `${serverAddress}/24`, 'dev', 'thb-ns']);
  sh('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', 'thb-ns', 'up']);
  sh('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up']);
  sh('ip', ['link', 'add', 'thb-fast', 'type', 'veth', 'peer', 'name', 'thb-fast-ns']);
  sh('ip', ['link', 'set', 'thb-fast-ns', 'netns', namespace]);
  sh('ip', ['addr', 'add', '10.203.1.1/24', 'dev', 'thb-fast']);
  sh('ip', ['link', 'set', 'thb-fast', 'up']);
  sh('ip', ['netns', 'exec', namespace, 'ip', 'addr', 'add', `${fastServerAddress}/24`, 'dev', 'thb-fast-ns']);
  sh('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', 'thb-fast-ns', 'up']);
  const tbf = ['root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', '1600', 'latency', '5s'];
  sh('tc', ['qdisc', 'add', 'dev', 'thb-host', ...tbf]);
  sh('ip', ['netns', 'exec', namespace, 'tc', 'qdisc', 'add', 'dev', 'thb-ns', ...tbf]);
}

export function tearDownLink() {
  for (const link of ['thb-host', 'thb-fast']) {
    try {
      sh('ip', ['link', 'del', link]);
    } catch {
      // Not there: nothing to remove.
    }
  }
  try {
    sh('ip', ['netns', 'del', namespace]);
  } catch {
    // Not there: nothing to remove.
  }
}

export type Proxy = {
  port: number;
  /** Bytes through the proxy since the last reset: up = client → server. */
  bytes: { up: number; down: number };
  connections: number;
  reset(): void;
  /** Cuts every open connection, as a dropped 2G link does. */
  drop(): void;
  close(): Promise<void>;
};

/** Listens on 127.0.0.1 and forwards to `host:port`, holding every chunk `oneWayMs` in each direction. */
export function startDelayProxy(host: string, port: number, oneWayMs = 150): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const proxy: Proxy = {
    port: 0,
    bytes: { up: 0, down: 0 },
    connections: 0,
    reset() {
      this.bytes = { up: 0, down: 0 };
      this.connections = 0;
    },
    drop() {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  };
  const pipe = (from: net.Socket, to: net.Socket, direction: 'up' | 'down') =>
    from.on('data', (chunk) => {
      proxy.bytes[direction] += chunk.length;
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, oneWayMs);
    });
  const server = net.createServer((client) => {
    proxy.connections++;
    const upstream = net.connect(port, host);
    sockets.add(client);
    sockets.add(upstream);
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
    const end = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      setTimeout(() => {
        client.destroy();
        upstream.destroy();
      }, oneWayMs);
    };
    for (const s of [client, upstream]) {
      s.on('close', end);
      s.on('error', end);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      proxy.port = (server.address() as net.AddressInfo).port;
      resolve(proxy);
    })
  );
}

/** Waits for `done`, cutting the link each time the download passes one of `dropAtBytes`; false on timeout. */
export async function untilWithDrops(proxy: Proxy, dropAtBytes: number[], done: () => boolean, timeoutMs: number, onDrop?: (bytes: number) => void) {
  let drops = 0;
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > timeoutMs) return { completed: false, drops };
    if (drops < dropAtBytes.length && proxy.bytes.down > dropAtBytes[drops]!) {
      drops++;
      onDrop?.(proxy.bytes.down);
      proxy.drop();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { completed: true, drops };
}
