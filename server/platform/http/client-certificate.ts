import { X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { type AddressList, parseAddressList } from './client-address.js';

/** Longest forwarded certificate header read: a certificate chain this size is already unusual. */
const MAX_HEADER_CHARS = 32_768;

/**
 * The client certificate behind a request, where Parley can trust it:
 * - Parley terminates TLS and the client sent one in the handshake (PARLEY_TLS_REQUEST_CLIENT_CERT):
 *   the handshake proved the client holds its private key;
 * - a TLS proxy from PARLEY_TRUSTED_PROXIES forwards the certificate it verified in the configured
 *   header (URL-encoded PEM, nginx's $ssl_client_escaped_cert). From any other address the header is
 *   ignored, so a client cannot claim a certificate by sending the header itself.
 * Null when there is none (or it does not parse).
 */
export function createClientCertificateReader(
  config: Pick<Config, 'clientCert' | 'trustedProxies'>,
): (request: FastifyRequest) => X509Certificate | null {
  const proxies: AddressList = parseAddressList(
    'PARLEY_TRUSTED_PROXIES',
    config.trustedProxies.join(','),
    [],
  );
  const header = config.clientCert.header;
  return (request) => {
    const socket = request.raw.socket;
    if (socket instanceof TLSSocket) {
      const peer = socket.getPeerCertificate();
      if (peer?.raw) return parse(peer.raw);
    }
    if (!header) return null;
    const remote = socket.remoteAddress;
    if (!remote || !proxies.has(remote)) return null;
    const value = request.headers[header];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_HEADER_CHARS) return null;
    try {
      return parse(decodeURIComponent(value));
    } catch {
      return null;
    }
  };
}

function parse(value: Buffer | string): X509Certificate | null {
  try {
    return new X509Certificate(value);
  } catch {
    return null;
  }
}
