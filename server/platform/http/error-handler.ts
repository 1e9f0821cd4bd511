import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorCode } from '../../../protocol/errors.js';
import { AppError } from '../../errors.js';
import { DecryptionError } from '../crypto/envelope.js';
import { isDatabaseUnavailable, isStorageFull } from '../db/unavailable.js';
import { emit } from '../metrics/signals.js';

/** A database back from a restart serves again within seconds; clients retry after this. */
const DATABASE_RETRY_AFTER_SECONDS = 5;
const STORAGE_FULL = 'The server’s storage is full, so nothing was saved. Try again later.';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_VALIDATION: 'invalid_request',
};

/** One handler maps every error to a stable code; 5xx are masked and logged once with a reference. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof DecryptionError)
      request.log.error({ reason: err.message }, 'stored data does not decrypt');
    if (isDatabaseUnavailable(err)) {
      // Not a bug and not the client's fault: logged without a stack (an outage makes many of these).
      emit('database.error', {});
      const full = isStorageFull(err);
      const code = (err as { code?: unknown }).code;
      if (full) request.log.error({ code }, 'storage is full: nothing was written');
      else request.log.warn({ code, reason: err.message }, 'database unavailable');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      const unavailable = new AppError('service_unavailable', full ? { message: STORAGE_FULL } : {});
      return reply.code(unavailable.status).send(unavailable.toBody());
    }
    // A file over the limit on an upload route is refused in the words of files, not of request bodies.
    const tooBigFile =
      request.routeOptions.config?.upload === true && err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const appError = tooBigFile ? new AppError('attachment_too_large') : toAppError(err);
    if (appError) {
      app.refusals.report({ code: appError.code, ip: request.ip, origin: request.headers.origin });
      if (appError.retryAfterSeconds !== undefined)
        reply.header('retry-after', String(Math.max(1, Math.ceil(appError.retryAfterSeconds))));
      // Limiters set the real wait; this is only the fallback for a refusal that did not say.
      else if (appError.code === 'rate_limited' && !reply.hasHeader('retry-after'))
        reply.header('retry-after', '1');
      return reply.code(appError.status).send(appError.toBody());
    }
    const ref = randomUUID();
    request.log.error({ err, ref }, 'unhandled error');
    const body = new AppError('internal_error').toBody();
    return reply.code(500).send({ error: { ...body.error, details: [`reference ${ref}`] } });
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(new AppError('not_found').toBody());
  });
}

function toAppError(err: FastifyError | AppError): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof DecryptionError) return new AppError('data_unreadable');
  if (isDatabaseUnavailable(err)) return new AppError('service_unavailable', { retryAfterSeconds: 2 });
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return new AppError(mapped);
  if (err instanceof SyntaxError && (err as FastifyError).statusCode === 400)
    return new AppError('invalid_json');
  const status = err.statusCode ?? 500;
  if (status === 429) return new AppError('rate_limited');
  if (status === 404) return new AppError('not_found');
  if (status === 405) return new AppError('method_not_allowed');
  if (status >= 400 && status < 500) return new AppError('invalid_request');
  return null;
}
