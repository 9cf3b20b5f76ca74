// A TCP proxy on loopback in front of a real server, for tests of slow and stalling networks: it forwards bytes
// unchanged (TLS passes through end to end), and can delay them, hold them (a stall: nothing is lost, nothing
// arrives), let only so many more bytes through from the server, or cut every connection.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** `https://127.0.0.1:<port>`: the server URL for a kubeconfig that goes through the proxy. */
  url: string;
  /** Delays every chunk by `ms`, both ways, keeping their order. */
  setLatency(ms: number): void;
  /** Holds every byte both ways, on open and new connections (which are accepted, then hear nothing). */
  stall(): void;
  /** Lets `bytes` more bytes through from the server on each connection (new ones too), then holds the rest. */
  stallAfter(bytes: number): void;
  /** Forwards again, held bytes first. */
  resume(): void;
  /** Destroys every open connection, as a network cut would; new connections are served. */
  cut(): void;
  /** Connections open now. */
  connections(): number;
  /** Bytes received and held back, both ways, over the open connections. */
  heldBytes(): number;
  close(): Promise<void>;
}

/** One direction of one connection. */
class Pipe {
  private readonly queue: { data: Buffer; due: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly to: net.Socket, public budget: number, private readonly latency: () => number) {}

  push(data: Buffer): void {
    this.queue.push({ data, due: Date.now() + this.latency() });
    this.pump();
  }

  held(): number {
    return this.queue.reduce((sum, chunk) => sum + chunk.data.length, 0);
  }

  pump(): void {
    if (this.timer) return;
    while (this.queue.length && this.budget > 0 && !this.to.destroyed) {
      const next = this.queue[0]!;
      const wait = next.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => { this.timer = undefined; this.pump(); }, wait);
        return;
      }
      const part = next.data.length <= this.budget ? next.data : next.data.subarray(0, this.budget);
      this.to.write(part);
      this.budget -= part.length;
      if (part.length === next.data.length) this.queue.shift();
      else next.data = next.data.subarray(part.length);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue.length = 0;
  }
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  let latency = 0;
  let upBudget = Infinity;
  let downBudget = Infinity;
  const open = new Set<{ client: net.Socket; upstream: net.Socket; up: Pipe; down: Pipe }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    const pair = { client, upstream, up: new Pipe(upstream, upBudget, () => latency), down: new Pipe(client, downBudget, () => latency) };
    open.add(pair);
    client.on('data', (data: Buffer) => pair.up.push(data));
    upstream.on('data', (data: Buffer) => pair.down.push(data));
    const end = () => {
      if (!open.delete(pair)) return;
      pair.up.dispose();
      pair.down.dispose();
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  const setBudgets = (up: number, down: number) => {
    upBudget = up;
    downBudget = down;
    for (const pair of open) {
      pair.up.budget = up;
      pair.down.budget = down;
      pair.up.pump();
      pair.down.pump();
    }
  };
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    setLatency: (ms) => { latency = ms; },
    stall: () => setBudgets(0, 0),
    stallAfter: (bytes) => setBudgets(Infinity, bytes),
    resume: () => setBudgets(Infinity, Infinity),
    cut: () => {
      for (const pair of [...open]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    connections: () => open.size,
    heldBytes: () => [...open].reduce((sum, pair) => sum + pair.up.held() + pair.down.held(), 0),
    close: () => new Promise<void>((resolve) => {
      for (const pair of [...open]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      server.close(() => resolve());
    }),
  };
}
