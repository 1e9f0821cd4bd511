/**
 * The iframe's side of the loader handshake (docs/PROTOCOL.md §3). The host page's origin is learned
 * from the browser-set `event.origin` of the loader's hello, never from anything the page could forge
 * (a URL parameter, document.referrer); every message back is posted to exactly that origin.
 */

import type { VisitorIdentity } from '../../protocol/identity.js';
import { LIMITS } from '../../protocol/limits.js';

export type HostMessage = { parley: 'ready' } | { parley: 'close' } | { parley: 'unread'; count: number };

/** What the loader's hello tells the iframe: the page's origin and, if the site vouches for one, its user. */
export interface HostHello {
  origin: string;
  identity: VisitorIdentity | null;
}

const ORIGIN_RE = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;
let hostOrigin: string | null = null;

export function isEmbedded(): boolean {
  return window.parent !== window;
}

/** Resolves with the host page's origin (and identity) once the parent window has said hello. */
export function waitForHost(): Promise<HostHello> {
  return new Promise((resolve) => {
    window.addEventListener('message', (event) => {
      if (event.source !== window.parent || !isEmbedded()) return;
      const data = event.data as { parley?: unknown; v?: unknown; identity?: unknown } | null;
      if (!data || typeof data !== 'object' || data.parley !== 'hello' || data.v !== 1) return;
      // A sandboxed or file:// host has origin "null": it cannot be an allowed origin, so wait on.
      if (hostOrigin !== null ? event.origin !== hostOrigin : !ORIGIN_RE.test(event.origin)) return;
      hostOrigin = event.origin;
      postToHost({ parley: 'ready' });
      resolve({ origin: hostOrigin, identity: identityOf(data.identity) });
    });
  });
}

/** Passed on only if well-formed; the server verifies the hash either way. */
function identityOf(value: unknown): VisitorIdentity | null {
  if (!value || typeof value !== 'object') return null;
  const { userId, userHash } = value as { userId?: unknown; userHash?: unknown };
  if (typeof userId !== 'string' || typeof userHash !== 'string') return null;
  if (!userId || userId.length > LIMITS.maxUserIdChars || !/^[0-9a-fA-F]{64}$/.test(userHash)) return null;
  return { userId, userHash };
}

export function postToHost(message: HostMessage): void {
  if (hostOrigin !== null) window.parent.postMessage(message, hostOrigin);
}
