import { API_TOKEN_PATTERN } from '../../../protocol/api-tokens.js';

/**
 * The API token in an `Authorization: Bearer prt_…` header, or undefined. Only the exact token
 * shape counts: a visitor credential (43 characters) can never be mistaken for one, even if it
 * happens to begin with `prt_`.
 */
export function apiTokenFromHeader(header: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  const candidate = match?.[1];
  return candidate && API_TOKEN_PATTERN.test(candidate) ? candidate : undefined;
}
