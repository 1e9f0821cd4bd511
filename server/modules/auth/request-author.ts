import type { FastifyRequest } from 'fastify';
import type { Author } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import '../api-tokens/principal.js';

/**
 * Who writes when a route accepts both agents and API tokens: the signed-in agent, or the token
 * itself (author kind `api`, named as the administrator named the token).
 */
export function requestAuthor(request: FastifyRequest): Author {
  if (request.apiToken) return { kind: 'api', id: request.apiToken.tokenId, name: request.apiToken.name };
  if (request.agent) return { kind: 'agent', id: request.agent.userId, name: request.agent.name };
  throw new AppError('unauthenticated');
}
