import { createHash, X509Certificate } from 'node:crypto';
import type { ApiTokensTable } from '../../platform/db/schema.js';

/** The SHA-256 of a certificate's DER, as lower-case hex without separators. */
export function certificateSha256(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** Accepts `AB:CD:…`, `ab cd …` or plain hex; null when it is not 32 bytes of hex. */
export function normalizeSha256(value: string): string | null {
  const hex = value.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

export function isBound(row: Pick<ApiTokensTable, 'client_cert_sha256' | 'client_ca_pem'>): boolean {
  return row.client_cert_sha256 !== null || row.client_ca_pem !== null;
}

/**
 * Whether the certificate a request came with satisfies the token's binding: exactly that
 * certificate (by SHA-256), or one the bound CA issued and signed, valid now. A token with no
 * binding accepts any request (and none). Pure: the caller decides what a refusal means.
 */
export function satisfiesBinding(
  row: Pick<ApiTokensTable, 'client_cert_sha256' | 'client_ca_pem'>,
  cert: X509Certificate | null,
  now: number,
): boolean {
  if (!isBound(row)) return true;
  if (!cert) return false;
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return false;
  if (row.client_cert_sha256 !== null && certificateSha256(cert) !== row.client_cert_sha256) return false;
  if (row.client_ca_pem !== null) {
    let ca: X509Certificate;
    try {
      ca = new X509Certificate(row.client_ca_pem);
    } catch {
      return false;
    }
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  }
  return true;
}
