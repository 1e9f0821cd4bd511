import net from 'node:net';

/**
 * A TCP relay between a node and a service (PostgreSQL, Redis) that a test can break and mend, as a
 * stopped server or a broken network would, without touching the service itself (other tests keep
 * using it). `cut()` ends every open connection and refuses new ones; `blackhole()` ends them and
 * holds new ones open without an answer, like packets dropped on the way; `restore()` relays again.
 * `turns()` counts the client's turns to speak: each time it sends after the service has answered (or
 * first), over every connection, which is the number of round trips it waited for.
 */
export interface TcpProxy {
  readonly port: number;
  cut(): void;
  blackhole(): void;
  restore(): void;
  turns(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let mode: 'relay' | 'cut' | 'blackhole' = 'relay';
  let turns = 0;
  const server = net.createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    open.add(client);
    client.on('error', () => client.destroy()).on('close', () => open.delete(client));
    if (mode === 'blackhole') return;
    const upstream = net.connect(target);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(upstream);
    };
    client.on('close', end);
    upstream.on('error', end).on('close', end);
    let answered = true;
    client.on('data', () => {
      if (answered) turns += 1;
      answered = false;
    });
    upstream.on('data', () => {
      answered = true;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const dropAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      mode = 'cut';
      dropAll();
    },
    blackhole() {
      mode = 'blackhole';
      dropAll();
    },
    restore() {
      mode = 'relay';
    },
    turns: () => turns,
    async close() {
      mode = 'cut';
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
