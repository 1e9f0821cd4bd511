/**
 * The iframe's side of the loader handshake (docs/PROTOCOL.md §3). The host page's origin is learned
 * from the browser-set `event.origin` of the loader's hello, never from anything the page could forge
 * (a URL parameter, document.referrer); every message back is posted to exactly that origin.
 */

export type HostMessage = { parley: 'ready' } | { parley: 'close' } | { parley: 'unread'; count: number };

const ORIGIN_RE = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;
let hostOrigin: string | null = null;

export function isEmbedded(): boolean {
  return window.parent !== window;
}

/** Resolves with the host page's origin once the parent window has said hello. */
export function waitForHost(): Promise<string> {
  return new Promise((resolve) => {
    window.addEventListener('message', (event) => {
      if (event.source !== window.parent || !isEmbedded()) return;
      const data = event.data as { parley?: unknown; v?: unknown } | null;
      if (!data || typeof data !== 'object' || data.parley !== 'hello' || data.v !== 1) return;
      // A sandboxed or file:// host has origin "null": it cannot be an allowed origin, so wait on.
      if (hostOrigin !== null ? event.origin !== hostOrigin : !ORIGIN_RE.test(event.origin)) return;
      hostOrigin = event.origin;
      postToHost({ parley: 'ready' });
      resolve(hostOrigin);
    });
  });
}

export function postToHost(message: HostMessage): void {
  if (hostOrigin !== null) window.parent.postMessage(message, hostOrigin);
}
