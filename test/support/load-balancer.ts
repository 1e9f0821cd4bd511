import net from 'node:net';

/**
 * The deployment's one public address in front of several nodes, as a TCP load balancer: every
 * connection keeps the public Host, and goes to the node the test chose last (`sendTo`), so a test
 * knows which node each socket is on. Start the nodes with PARLEY_PUBLIC_URL on `port` first.
 */
export interface LoadBalancer {
  sendTo(node: { app: { server: { address(): unknown } } }): void;
  close(): Promise<void>;
}

export async function startLoadBalancer(port: number): Promise<LoadBalancer> {
  const open = new Set<net.Socket>();
  let target = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: target });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => socket.destroy()).on('close', () => open.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    sendTo(node) {
      target = (node.app.server.address() as net.AddressInfo).port;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
