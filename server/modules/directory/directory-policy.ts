import { X509Certificate } from 'node:crypto';
import type { DirectorySettingsBody } from '../../../protocol/directory.js';
import { AppError } from '../../errors.js';

/**
 * What a directory's settings must satisfy before they are saved or tested: an encrypted way to the
 * server (ldaps://, or ldap:// with StartTLS; plain only where the host allows it), a CA that is a
 * certificate, and a search password for a new directory. Pure: no I/O.
 */
export function checkDirectorySettings(
  body: DirectorySettingsBody,
  o: { allowPlain: boolean; hasSavedPassword: boolean },
): void {
  const secure = body.url.startsWith('ldaps://');
  if (secure && body.startTls)
    throw new AppError('invalid_request', {
      message: 'StartTLS is for ldap:// addresses; an ldaps:// address is encrypted from the start.',
      details: ['body/startTls: must be false with ldaps://'],
    });
  if (!secure && !body.startTls && !o.allowPlain) throw new AppError('plain_ldap_refused');
  if (body.caPem !== null && !isCertificate(body.caPem))
    throw new AppError('invalid_request', {
      message: 'The CA certificate is not a PEM certificate (-----BEGIN CERTIFICATE----- …).',
      details: ['body/caPem: not a PEM certificate'],
    });
  if (!body.bindPassword && !o.hasSavedPassword)
    throw new AppError('invalid_request', {
      message: 'Enter the search account’s password.',
      details: ['body/bindPassword: required for a new directory'],
    });
}

function isCertificate(pem: string): boolean {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return false;
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

/** Whether these settings reach the directory without encryption (the start log and the screen warn). */
export function isPlain(url: string, startTls: boolean): boolean {
  return url.startsWith('ldap://') && !startTls;
}
