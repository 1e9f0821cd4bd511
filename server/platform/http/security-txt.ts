import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SecurityTxtConfig } from '../../config-operations.js';
import { AppError } from '../../errors.js';

const DEFAULT_VALIDITY_MS = 180 * 86_400_000;

/**
 * `/.well-known/security.txt` (RFC 9116): where to report a vulnerability in this deployment. Only the
 * people running Parley know that address, so nothing is served until PARLEY_SECURITY_CONTACT names
 * one (404 until then): a file pointing at nobody, or at the Parley project for someone's private
 * installation, would send reports where they cannot be acted on.
 */
export async function securityTxtRoute(app: FastifyInstance): Promise<void> {
  const settings = app.config.securityTxt;
  // Without a configured expiry the file is valid for 180 days from this node's start.
  const expires = settings?.expires ?? new Date(Date.now() + DEFAULT_VALIDITY_MS);
  const body = settings ? securityTxt(settings, expires, app.config.publicUrl) : '';
  app.get(
    '/.well-known/security.txt',
    {
      config: { access: { kind: 'public' } },
      schema: { response: { 200: Type.String({ description: 'RFC 9116 security.txt' }) } },
    },
    async (_request, reply) => {
      if (!settings) throw new AppError('not_found');
      return reply
        .header('cache-control', 'public, max-age=86400')
        .type('text/plain; charset=utf-8')
        .send(body);
    },
  );
}

export function securityTxt(s: SecurityTxtConfig, expires: Date, publicUrl: string): string {
  const lines = [
    ...s.contacts.map((c) => `Contact: ${c}`),
    `Expires: ${expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    ...(s.policy ? [`Policy: ${s.policy}`] : []),
    `Preferred-Languages: ${s.languages.join(', ')}`,
    `Canonical: ${publicUrl}/.well-known/security.txt`,
  ];
  return `${lines.join('\n')}\n`;
}
