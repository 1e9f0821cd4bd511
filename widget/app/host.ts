/**
 * The iframe's side of the loader handshake (docs/PROTOCOL.md §3). The host page's origin is learned
 * from the browser-set `event.origin` of the loader's hello, never from anything the page could forge
 * (a URL parameter, document.referrer); every message back is posted to exactly that origin.
 */

import type { VisitorIdentity } from '../../protocol/identity.js';
import { LIMITS } from '../../protocol/limits.js';
import { MAX_URL_CHARS } from '../../protocol/safe-link.js';

export type HostMessage = { parley: 'ready' } | { parley: 'close' } | { parley: 'unread'; count: number };

/** The page the visitor is on, as the loader saw it: cleaned, or null when it was not usable. */
export interface HostPage {
  pageUrl: string;
  referrer: string | null;
}

/** What the loader's hello tells the iframe: the page's origin and, if the site vouches for one, its user. */
export interface HostHello {
  origin: string;
  identity: VisitorIdentity | null;
  page: HostPage | null;
  /** The chat panel is open on the page (after a reload it may come back closed). */
  shown: boolean;
  /** Put back by a reload, not opened by the visitor: the chat must not take the page's focus. */
  quiet: boolean;
}

const ORIGIN_RE = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;
let hostOrigin: string | null = null;
let pageListener: ((page: HostPage) => void) | null = null;
let shownListener: ((shown: boolean) => void) | null = null;

export function isEmbedded(): boolean {
  return window.parent !== window;
}

/**
 * Resolves with the host page's origin (and identity, and page) once the parent window has said
 * hello. The loader says hello again when the page's history changes: `onPageChange` hears those.
 */
export function waitForHost(): Promise<HostHello> {
  return new Promise((resolve) => {
    window.addEventListener('message', (event) => {
      if (event.source !== window.parent || !isEmbedded()) return;
      const data = event.data as Record<string, unknown> | null;
      if (!data || typeof data !== 'object') return;
      if (data.parley === 'shown' && hostOrigin !== null && event.origin === hostOrigin) {
        shownListener?.(data.open === true);
        return;
      }
      if (data.parley !== 'hello' || data.v !== 1) return;
      // A sandboxed or file:// host has origin "null": it cannot be an allowed origin, so wait on.
      if (hostOrigin !== null ? event.origin !== hostOrigin : !ORIGIN_RE.test(event.origin)) return;
      const page = pageOf(event.origin, data);
      if (hostOrigin !== null) {
        if (page) pageListener?.(page);
        return;
      }
      hostOrigin = event.origin;
      postToHost({ parley: 'ready' });
      resolve({
        origin: hostOrigin,
        identity: identityOf(data.identity),
        page,
        shown: data.open !== false,
        quiet: data.quiet === true,
      });
    });
  });
}

/** The loader opened (`true`) or closed the chat panel. */
export function onShownChange(listener: (shown: boolean) => void): void {
  shownListener = listener;
}

export function onPageChange(listener: (page: HostPage) => void): void {
  pageListener = listener;
}

/**
 * Passed on only if well-formed; the server verifies the hash either way. The loader hands over the
 * tag's two attributes as they are (null when absent): one without the other is the site's mistake,
 * said on the console as the loader says its own.
 */
function identityOf(value: unknown): VisitorIdentity | null {
  if (!value || typeof value !== 'object') return null;
  const { userId, userHash } = value as { userId?: unknown; userHash?: unknown };
  if (!userId !== !userHash)
    console.warn('[parley] identity_incomplete: data-parley-user-id and data-parley-user-hash go together');
  if (typeof userId !== 'string' || typeof userHash !== 'string') return null;
  if (!userId || userId.length > LIMITS.maxUserIdChars || !/^[0-9a-fA-F]{64}$/.test(userHash)) return null;
  return { userId, userHash };
}

/**
 * The page must be on the origin the browser vouched for (a script on the page could claim any
 * URL, but only for its own site); the referrer may be anywhere. Both lose credentials and the
 * fragment, and anything too long or not http(s) is dropped.
 */
function pageOf(origin: string, data: { page?: unknown; ref?: unknown }): HostPage | null {
  const pageUrl = cleanUrl(data.page);
  if (!pageUrl || new URL(pageUrl).origin !== origin) return null;
  return { pageUrl, referrer: cleanUrl(data.ref) };
}

export function cleanUrl(value: unknown): string | null {
  if (typeof value !== 'string' || !value || value.length > MAX_URL_CHARS) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.username = '';
  url.password = '';
  url.hash = '';
  const href = url.href;
  return href.length <= MAX_URL_CHARS ? href : null;
}

export function postToHost(message: HostMessage): void {
  if (hostOrigin !== null) window.parent.postMessage(message, hostOrigin);
}
