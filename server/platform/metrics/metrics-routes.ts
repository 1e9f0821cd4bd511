import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { bearerMatches } from './metrics-token.js';

/**
 * `/metrics` on the main listener: only when PARLEY_METRICS_TOKEN is set and no metrics port is
 * (config.ts refuses a metrics port equal to the public one), and only to a caller with the token.
 * The answer to a wrong token is the same 401 as to none.
 */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const metrics = app.config.metrics;
  if (!metrics || metrics.port !== null || metrics.token === null) return;
  const token = metrics.token;
  app.get(
    '/metrics',
    {
      config: { access: { kind: 'public' } },
      schema: { response: { 200: Type.String({ description: 'Prometheus text exposition format' }) } },
    },
    async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="parley-metrics"');
        throw new AppError('unauthenticated');
      }
      const body = await app.metrics.registry.metrics();
      return reply.type(app.metrics.registry.contentType).send(body);
    },
  );
}
