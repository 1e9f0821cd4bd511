import type { Socket } from 'node:net';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { contentSecurityPolicy, fixedHeaders } from './security-headers.js';

/**
 * The headers of an answer written outside Fastify's reply (and so outside its onSend hook): the
 * same security headers as every other response, for an API error.
 */
export function refusalHeaders(config: Config): Record<string, string> {
  return {
    ...fixedHeaders(config),
    'content-security-policy': contentSecurityPolicy(config, 'api'),
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
  };
}

/**
 * Requests too broken to reach Fastify's routing (bad request line, oversized headers, a client that
 * stalls) are answered here, on the raw socket. They still get the stable error shape and the same
 * security headers as every other response, instead of Fastify's bare default.
 */
export function clientErrorHandler(config: Config) {
  const headers: Record<string, string> = { ...refusalHeaders(config), connection: 'close' };
  return (err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, error] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', new AppError('invalid_request', { message: 'The request took too long.' })]
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', new AppError('payload_too_large')]
          : [400, 'Bad Request', new AppError('invalid_request')];
    const body = JSON.stringify(error.toBody());
    const lines = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) }).map(
      ([name, value]) => `${name}: ${value}`,
    );
    // An answer to HEAD has no body: a client would read one as the start of a broken next response.
    // The packet starts the request when it arrived in one piece (over TLS a long one may not).
    const raw = err.rawPacket;
    const head = Buffer.isBuffer(raw) && raw.subarray(0, 5).toString('latin1') === 'HEAD ';
    if (socket.writable)
      socket.write(`HTTP/1.1 ${status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${head ? '' : body}`);
    socket.destroy();
  };
}
