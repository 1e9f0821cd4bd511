import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';

/**
 * TLS 1.2 and 1.3 only. For TLS 1.2, only forward-secret AEAD suites (Mozilla's "intermediate"
 * list): no CBC, no static RSA key exchange. TLS 1.3 suites are all AEAD and stay at Node's defaults.
 */
export const TLS_MIN_VERSION = 'TLSv1.2' as const;
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
].join(':');

export function tlsServerOptions(
  tls: {
    certFile: string;
    keyFile: string;
  },
  requestClientCert = false,
): TlsOptions & SecureContextOptions {
  return {
    // Asked for, never required: browsers without a certificate connect as before, and API tokens
    // bound to a certificate are judged against what the handshake proved (client-certificate.ts).
    ...(requestClientCert ? { requestCert: true, rejectUnauthorized: false } : {}),
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    minVersion: TLS_MIN_VERSION,
    ciphers: TLS12_CIPHERS,
    // Clients pick among these; all are strong, and the client knows whether it has AES hardware.
    honorCipherOrder: false,
  };
}
