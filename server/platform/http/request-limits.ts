import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { emit } from '../metrics/signals.js';
import { addressKey } from './client-address.js';
import { HEALTH_PATHS } from './health-routes.js';
import { RATE_LIMIT_RULES, type RateLimitName, type RateLimitRule, ruleFor } from './rate-limits.js';
import { createRefusalBudget } from './refusal-budget.js';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Applies RATE_LIMIT_RULES with @fastify/rate-limit's counters (Redis when REDIS_URL is set, so every
 * node counts against the same budget; memory otherwise). Per-address rules run at `onRequest`,
 * before authentication; per-agent rules at `preParsing`, once access control has found the session
 * and before any body is parsed or validated, so malformed requests count too.
 */
export async function registerRequestLimits(app: FastifyInstance, config: Config): Promise<void> {
  const redis = config.redisUrl ? await connectRedis(app, config.redisUrl) : null;
  await app.register(rateLimit, {
    global: false,
    // Several deployments may share one Redis; nodes of one deployment share its public host name.
    nameSpace: `parley:rl:${config.publicHost}:`,
    ...(redis ? { redis } : {}),
    // With Redis unreachable a request is let through rather than refused: pub/sub is down then too,
    // and refusing everything would turn a Redis outage into a full outage.
    skipOnError: true,
  });

  const limiters = new Map<RateLimitName, Limiter>();
  for (const rule of RATE_LIMIT_RULES) {
    const { max, windowSeconds } = config.rateLimits[rule.name];
    limiters.set(
      rule.name,
      app.createRateLimit({
        max,
        timeWindow: windowSeconds * 1000,
        keyGenerator: (request) => `${rule.name}:${subjectOf(rule, request)}`,
      }),
    );
  }

  const rules = new Map<string, RateLimitRule>();
  const ruleOf = (request: FastifyRequest): RateLimitRule => {
    const url = request.routeOptions.url ?? '';
    const id = `${request.method} ${url}`;
    let rule = rules.get(id);
    if (!rule) {
      rule = ruleFor({ method: request.method, url, access: request.routeOptions.config?.access });
      rules.set(id, rule);
    }
    return rule;
  };
  const enforce = async (rule: RateLimitRule, request: FastifyRequest, reply: FastifyReply) => {
    const result = await (limiters.get(rule.name) as Limiter)(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(Math.max(1, result.ttlInSeconds)));
    emit('limit.refused', { limit: rule.name });
    throw new AppError('rate_limited');
  };

  const refusals = createRefusalBudget({
    ...config.rateLimits.refused,
    redis,
    nameSpace: `parley:rf:${config.publicHost}:`,
    onError: (err) =>
      app.log.warn({ err: { message: (err as Error).message } }, 'refusal budget store error'),
  });
  const overBudget = new WeakSet<FastifyRequest>();

  app.addHook('onRequest', async (request, reply) => {
    const rule = ruleOf(request);
    const address = addressKey(request.ip);
    // Both stores answer in parallel: the refusal budget costs no extra round trip.
    const [verdict] = await Promise.all([
      HEALTH_PATHS.has(request.url) ? null : refusals.check(address),
      rule.per === 'ip' ? enforce(rule, request, reply) : null,
    ]);
    if (verdict?.blocked) {
      overBudget.add(request);
      emit('limit.refused', { limit: 'refused' });
      reply.header('retry-after', String(verdict.retryAfterSeconds));
      throw new AppError('rate_limited');
    }
  });
  // Counted once the answer is known; the budget's own refusals are not counted again.
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400 && reply.statusCode < 500 && !overBudget.has(request))
      await refusals.count(addressKey(request.ip));
  });
  app.addHook('preParsing', async (request, reply) => {
    const rule = ruleOf(request);
    if (rule.per === 'agent') await enforce(rule, request, reply);
  });
}

function subjectOf(rule: RateLimitRule, request: FastifyRequest): string {
  if (rule.per === 'agent' && request.agent) return `user:${request.agent.userId}`;
  return addressKey(request.ip);
}

async function connectRedis(app: FastifyInstance, url: string): Promise<Redis> {
  // No offline queue: while Redis is away a count fails at once instead of holding the request.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (err) => app.log.warn({ err: { message: err.message } }, 'rate-limit store error'));
  await redis.connect();
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}
