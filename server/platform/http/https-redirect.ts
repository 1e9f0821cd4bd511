import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Config } from '../../config.js';

/**
 * The optional plain-HTTP listener (PARLEY_HTTP_REDIRECT_PORT). It serves nothing: a request for
 * Parley's public host name is redirected to the same path on the https public URL (301 for GET and
 * HEAD, 308 for other methods so they are not silently turned into GETs); any other host name gets
 * 421, so the listener cannot be used to bounce visitors to arbitrary places or to probe the app.
 */
export function createRedirectServer(config: Pick<Config, 'publicUrl' | 'publicOrigin'>): Server {
  const publicHostname = new URL(config.publicUrl).hostname.toLowerCase();
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    if (hostnameOf(request.headers.host) !== publicHostname) {
      plain(response, 421, 'This server does not answer for that host name.');
    } else if (!path.startsWith('/') || path.startsWith('//')) {
      // Only origin-form targets ("/path?query"); an absolute or authority form is not ours to follow.
      plain(response, 400, 'The request target is not a path.');
    } else {
      const status = request.method === 'GET' || request.method === 'HEAD' ? 301 : 308;
      response.writeHead(status, {
        location: `${config.publicOrigin}${path}`,
        'cache-control': 'no-store',
        'content-length': '0',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      response.end();
    }
  });
  // Nothing here is worth a long-lived connection.
  server.keepAliveTimeout = 1000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return server;
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    connection: 'close',
  });
  response.end(text);
}

/** `Host` as a hostname, compared like URL.hostname: "Chat.Example.com:80" → "chat.example.com". */
function hostnameOf(host: string | undefined): string | null {
  if (!host) return null;
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Starts the listener on the configured address and port; resolves to a function that stops it. */
export async function startRedirectServer(
  config: Pick<Config, 'publicUrl' | 'publicOrigin' | 'host'> & { httpRedirectPort: number },
): Promise<() => Promise<void>> {
  const server = createRedirectServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.httpRedirectPort, config.host, () => resolve());
  });
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}
