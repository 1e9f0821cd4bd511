import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * The visitor credential's home in a browser: a cookie of Parley's origin, one per widget, that is
 * HttpOnly (no script, not even the widget's, can read it), Secure, SameSite=None (the iframe is a
 * third-party context) and Partitioned (CHIPS): the browser keys it to the embedding site, so it is
 * sent only inside frames on that site and survives third-party-cookie blocking.
 */
export function visitorCookieName(widgetId: string): string {
  return `__Host-parley_visitor_${widgetId}`;
}

export function visitorCookieOptions(expiresAt: string): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'none',
    partitioned: true,
    expires: new Date(expiresAt),
  };
}
