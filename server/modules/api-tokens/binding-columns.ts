import { X509Certificate } from 'node:crypto';
import type { CertificateBindingBody } from '../../../protocol/api-tokens.js';
import { AppError } from '../../errors.js';
import { normalizeSha256 } from './certificate-binding.js';

/** Checks a binding as typed and turns it into the token's columns; a clear message for each mistake. */
export function bindingColumns(body: CertificateBindingBody | undefined): {
  client_cert_sha256: string | null;
  client_ca_pem: string | null;
} {
  if (!body) return { client_cert_sha256: null, client_ca_pem: null };
  if (body.sha256 !== null && body.caPem !== null)
    throw new AppError('invalid_request', {
      message: 'Bind the token to one certificate (its SHA-256) or to a CA, not both.',
      details: ['body/certificate: sha256 and caPem are exclusive'],
    });
  const sha256 = body.sha256 === null ? null : normalizeSha256(body.sha256);
  if (body.sha256 !== null && sha256 === null)
    throw new AppError('invalid_request', {
      message: 'The fingerprint must be the certificate’s SHA-256: 64 hexadecimal digits, colons allowed.',
      details: ['body/certificate/sha256: not a SHA-256 fingerprint'],
    });
  let caPem: string | null = null;
  if (body.caPem !== null) {
    try {
      const ca = new X509Certificate(body.caPem);
      if (!ca.ca) throw new Error('not a CA');
      caPem = ca.toString();
    } catch {
      throw new AppError('invalid_request', {
        message: 'The CA must be a CA certificate in PEM (-----BEGIN CERTIFICATE----- …).',
        details: ['body/certificate/caPem: not a PEM CA certificate'],
      });
    }
  }
  return { client_cert_sha256: sha256, client_ca_pem: caPem };
}
