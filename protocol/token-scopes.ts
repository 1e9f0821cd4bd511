// No schema library here: the dashboard and the widget import these values at run time.

/**
 * API tokens: how a site's backend calls the REST API. A token looks like
 * `prt_<8 characters>_<43 characters>`; the part after `prt_` up to the second `_` is its public id
 * (shown in the dashboard, safe to log), the rest is the secret. See docs/PROTOCOL.md §2.5.
 */
export const API_TOKEN_PREFIX = 'prt_';
export const API_TOKEN_PATTERN = /^prt_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** What a token may be used for. Each route that accepts tokens names the one scope it needs. */
export const API_TOKEN_SCOPES = [
  'conversations:read',
  'messages:write',
  'visitors:read',
  'visitors:erase',
] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const API_TOKEN_LIMITS = {
  maxNameChars: 80,
  maxExpiryDays: 730,
  /** A CA certificate in PEM, for a token bound to the certificates it issues. */
  maxCaPemChars: 20_000,
} as const;
