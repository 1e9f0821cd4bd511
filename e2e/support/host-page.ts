import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  origin: string;
  /** Pages the server answers, by path: HTML body and the CSP it is served with. */
  set(path: string, html: string, csp?: string): void;
  close(): Promise<void>;
}

/** A customer's website: a plain HTTP server on its own origin that serves pages we give it. */
export async function startHostPage(): Promise<HostPage> {
  const pages = new Map<string, { html: string; csp?: string }>();
  const server: Server = createServer((req, res) => {
    const page = pages.get(req.url ?? '/');
    if (!page) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(page.csp ? { 'content-security-policy': page.csp } : {}),
    });
    res.end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    set: (path, html, csp) => pages.set(path, { html, ...(csp ? { csp } : {}) }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function shopPage(snippet: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>Welcome to the shop</h1><p>Browse our products.</p>
${snippet}
</body></html>`;
}
