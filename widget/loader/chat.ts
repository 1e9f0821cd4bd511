/**
 * The chat's frame (docs/PROTOCOL.md §3): a second classic script, `widget-chat.js`, that the loader
 * adds only when the chat is needed: the visitor points at, focuses or clicks the launcher, or a
 * reload puts back a chat this tab had. Pages where nobody reaches for the chat never download it.
 * It comes from the loader's origin (the host CSP's `script-src` that admits widget.js admits it)
 * and, like the loader, makes no markup, inline script or style element: its styles are one
 * constructed style sheet the document adopts, every declaration `!important`. The loader hands it
 * what it needs on its own <script> element (`parley`), never through a global of the host page.
 *
 * From then on it owns the launcher's clicks: it makes the iframe, shows and hides it, keeps the
 * open/closed flag and carries the messages between the host page and the iframe.
 */

/** What the loader hands over (widget/loader/loader.ts). */
export interface ChatHandover {
  origin: string;
  widgetId: string;
  /** The loader's own tag, whose attributes name the site's signed-in user (PROTOCOL §2.6). */
  script: HTMLScriptElement;
  words: { region: string; open: string; unread: string };
  calls: boolean;
  /** The launcher's bottom offset; the frame sits above it. */
  y: number;
  /** The launcher's icon (an SVG path), drawn again when the chat closes. */
  icon: string;
  /** Set once the chat must be shown (`true`) or put back hidden (`false`); unset: not yet. */
  open?: boolean;
  /** A chat put back after a reload does not take the focus; one the visitor opens does. */
  quiet: boolean;
}

const doc = document;
const chat = (doc.currentScript as (HTMLScriptElement & { parley?: ChatHandover }) | null)?.parley;
const launcher = doc.getElementById('parley-launcher');

if (chat && launcher) {
  const { origin, widgetId, words, y } = chat;
  const key = `parley:${widgetId}`;
  const l = '#parley-launcher';
  const f = '#parley-frame';
  const css = new CSSStyleSheet();
  // The frame is a corner panel, full screen at ≤ 480 px, hidden while the launcher says the chat is
  // closed; the badge (unread messages, which only the frame reports) is hidden while empty.
  css.replaceSync(
    `${l} span{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:600 12px/20px system-ui;text-align:center;}${l} span:empty,${l}[aria-expanded=false]~${f}{display:none;}${f}{bottom:${y + 68}px;width:min(370px,100vw - 40px);height:min(560px,100vh - ${y + 88}px);border-radius:16px;background:#fff;color-scheme:light;box-shadow:0 8px 32px #0004;z-index:2147483001;}@media(max-width:480px){${f}{inset:0;width:100%;height:100%;border-radius:0;}}`.replace(
      /;/g,
      '!important;',
    ),
  );
  doc.adoptedStyleSheets.push(css);

  const path = launcher.querySelector('path');
  const badge = doc.createElement('span');
  launcher.append(badge);
  const frame = doc.createElement('iframe');
  let open = false;

  const say = (n: number): void =>
    launcher.setAttribute('aria-label', n > 0 ? words.unread.replace('{n}', `${n}`) : words.open);

  // Open or closed, remembered for this tab only (sessionStorage of the host page, under Parley's
  // prefix): a reload puts the chat back as it was. Storage blocked: nothing is remembered.
  const show = (visible: boolean): void => {
    if (!frame.isConnected) {
      launcher.parentElement?.append(frame);
      launcher.setAttribute('aria-controls', frame.id);
    }
    open = visible;
    launcher.setAttribute('aria-expanded', `${visible}`);
    path?.setAttribute('d', visible ? 'M6 6l12 12M18 6L6 18' : chat.icon);
    if (visible && !chat.quiet) frame.focus();
    try {
      sessionStorage.setItem(key, `${+visible}`);
    } catch {}
    // The chat counts unread messages only while it is closed: it is told, to Parley's origin only.
    frame.contentWindow?.postMessage({ parley: 'shown', open: visible }, origin);
  };

  // The frame is cross-origin to the host, so allow-scripts + allow-same-origin cannot lift its own
  // sandbox; allow-same-origin keeps Parley's origin, which its localStorage (the visitor credential)
  // and same-origin API calls need. What the sandbox still takes away matters: no top-level
  // navigation of the host page, no modals. Popups (escaping the sandbox) let links in messages open
  // normally in a new tab. Downloads are the conversation's own files, fetched with the frame's
  // partitioned cookie: only from here can they be saved (a new tab has no cookie).
  frame.id = 'parley-frame';
  frame.referrerPolicy = 'origin';
  frame.setAttribute(
    'sandbox',
    'allow-forms allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads allow-same-origin',
  );
  frame.src = `${origin}/w/${widgetId}`;
  frame.title = words.region;
  // Camera and microphone only for a widget with calls on; otherwise the frame cannot even ask.
  if (chat.calls) frame.allow = 'camera;microphone';
  // Only Parley's origin can receive this: the identity and the page never reach another frame.
  // Said again on history navigation, so the iframe can report the page the visitor is on now.
  // The site's signed-in user (docs/PROTOCOL.md §2.6) is passed as the tag's two attributes: the
  // iframe checks their form and says when one is missing (widget/app/host.ts), the server the HMAC.
  const hello = (): void =>
    frame.contentWindow?.postMessage(
      {
        parley: 'hello',
        v: 1,
        identity: { userId: chat.script.dataset.parleyUserId, userHash: chat.script.dataset.parleyUserHash },
        page: location.href,
        ref: doc.referrer,
        open,
        quiet: chat.quiet,
      },
      origin,
    );
  frame.addEventListener('load', hello);
  addEventListener('popstate', hello);

  launcher.onclick = () => {
    chat.quiet = false;
    show(!open);
  };

  addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data as { parley?: unknown; count?: unknown } | null;
    if (!data || typeof data !== 'object') return;
    if (data.parley === 'ready') {
      if (open && !chat.quiet) frame.focus();
    } else if (data.parley === 'close') {
      show(false);
      launcher.focus();
    } else if (data.parley === 'unread') {
      const n = (data.count as number) | 0; // anything but a number counts as none
      // None: no text, and the sheet hides the empty badge.
      badge.textContent = n > 99 ? '99+' : n > 0 ? `${n}` : '';
      say(n);
    }
  });

  // Clicked while this script was on its way, or put back after a reload.
  if (chat.open !== undefined) show(chat.open);
}
