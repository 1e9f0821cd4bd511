import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { refusalHeaders } from './client-error.js';

/**
 * Requests the router refuses before any route or hook runs: a path that is not valid
 * percent-encoded UTF-8, or a path parameter over the router's length limit. Fastify would answer
 * them with its own shape and none of the security headers (no onSend hook runs without a route),
 * so they are written here with the stable error shape and the same headers as every answer.
 */
export function frameworkErrorHandler(config: Config) {
  const headers = refusalHeaders(config);
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const detail =
      err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? `url: a path segment is longer than ${MAX_PARAM_LENGTH} characters`
        : 'url: the path is not valid percent-encoded UTF-8';
    const error = new AppError('invalid_request', { details: [detail] });
    const body = JSON.stringify(error.toBody());
    reply.raw.writeHead(error.status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    reply.raw.end(body);
  };
}

/** Fastify's default; ids are 36 characters, so no route of Parley needs more. */
export const MAX_PARAM_LENGTH = 100;
