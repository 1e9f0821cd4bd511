import { createServer, type ServerResponse } from 'node:http';
import type { MetricsConfig } from '../../config-operations.js';
import { bearerMatches } from './metrics-token.js';
import type { Metrics } from './registry.js';

/**
 * The metrics listener of its own (PARLEY_METRICS_PORT), bound to PARLEY_METRICS_HOST (loopback
 * unless a token is set; config.ts refuses anything else). It answers GET /metrics and nothing else.
 * Returns the function that closes it.
 */
export async function startMetricsServer(
  config: MetricsConfig & { port: number },
  metrics: Metrics,
  onError: (err: Error) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') return plain(response, 404, 'Not found.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'Use GET.');
    if (config.token !== null && !bearerMatches(request.headers.authorization, config.token)) {
      response.setHeader('www-authenticate', 'Bearer realm="parley-metrics"');
      return plain(response, 401, 'A bearer token is required.');
    }
    metrics.registry.metrics().then(
      (body) => {
        response.writeHead(200, {
          'content-type': metrics.registry.contentType,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (err: Error) => {
        onError(err);
        plain(response, 500, 'Metrics could not be collected.');
      },
    );
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : config.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}
