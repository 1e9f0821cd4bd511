import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlertDelivery {
  body: string;
  signature: string;
}

/** A site's alert webhook receiver: records every delivery, answers 204. */
export async function alertReceiver(): Promise<{
  server: Server;
  url: string;
  got: AlertDelivery[];
  /** The parsed bodies of one rule's alerts. */
  alerts: (rule: string) => Array<Record<string, any>>;
  close: () => void;
}> {
  const got: AlertDelivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      got.push({ body, signature: String(req.headers['x-parley-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/hooks/parley`,
    got,
    alerts: (rule) => got.map((g) => JSON.parse(g.body)).filter((b) => b.rule === rule),
    close: () => server.close(),
  };
}
