/**
 * The script a host page includes: `<script src="PARLEY/widget.js" data-parley-widget="ID" async>`.
 * It adds a launcher button and, on first click, the chat iframe (Parley's origin). It injects no
 * markup, inline script or style element: every style is set through the CSSOM (`style.setProperty`),
 * which a host CSP that forbids inline style still allows. It holds no credential; the iframe keeps its own.
 * See docs/PROTOCOL.md §3.
 */

type Styles = Record<string, string>;

const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SVG_NS = 'http://www.w3.org/2000/svg';
const BRAND = '#4f46e5';
// `important` so that a host stylesheet rule such as `button { … }` or `iframe { … }` cannot restyle us.
const css = (el: HTMLElement | SVGElement, styles: Styles): void => {
  for (const k in styles) el.style.setProperty(k, styles[k] as string, 'important');
};
const warn = (code: string): void => console.warn(`[parley] chat widget not loaded: ${code}`);

const attrs = (el: Element, values: Styles): void => {
  for (const k in values) el.setAttribute(k, values[k] as string);
};

function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  const path = document.createElementNS(SVG_NS, 'path');
  attrs(svg, { viewBox: '0 0 24 24', width: '28', height: '28', 'aria-hidden': 'true', focusable: 'false' });
  attrs(path, {
    d,
    fill: 'none',
    stroke: '#fff',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
  });
  svg.append(path);
  css(svg, { display: 'block', 'pointer-events': 'none' });
  return svg;
}

/** The site's signed-in user, vouched for by its backend (docs/PROTOCOL.md §2.6), or null. */
type Identity = { userId: string; userHash: string } | null;

function identityOf(script: HTMLScriptElement): Identity {
  const userId = script.getAttribute('data-parley-user-id');
  const userHash = script.getAttribute('data-parley-user-hash');
  if (userId === null && userHash === null) return null;
  if (!userId || !userHash || !/^[0-9a-fA-F]{64}$/.test(userHash)) {
    warn('identity_incomplete');
    return null;
  }
  return { userId, userHash };
}

function mount(origin: string, widgetId: string, identity: Identity): void {
  if (document.getElementById('parley-launcher')) return; // the snippet was pasted twice
  const launcher = document.createElement('button');
  const chatIcon = icon('M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z');
  const closeIcon = icon('M6 6l12 12M18 6L6 18');
  const badge = document.createElement('span');
  let frame: HTMLIFrameElement | null = null;
  let open = false;

  attrs(launcher, {
    type: 'button',
    id: 'parley-launcher',
    'aria-label': 'Open chat',
    'aria-expanded': 'false',
  });
  css(launcher, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    width: '56px',
    height: '56px',
    margin: '0',
    padding: '0',
    border: '0',
    'border-radius': '50%',
    background: BRAND,
    'box-shadow': '0 4px 14px rgba(0,0,0,.25)',
    cursor: 'pointer',
    display: 'flex',
    'align-items': 'center',
    'justify-content': 'center',
    'z-index': '2147483000',
    outline: 'none',
  });
  // A visible focus ring for keyboard users; a host reset stylesheet often removes the default one.
  launcher.addEventListener('focus', () => {
    if (launcher.matches(':focus-visible'))
      css(launcher, { outline: `3px solid ${BRAND}`, 'outline-offset': '3px' });
  });
  launcher.addEventListener('blur', () => css(launcher, { outline: 'none' }));
  css(closeIcon, { display: 'none' });
  css(badge, {
    position: 'absolute',
    top: '-4px',
    right: '-4px',
    'min-width': '20px',
    height: '20px',
    padding: '0 5px',
    'box-sizing': 'border-box',
    'border-radius': '10px',
    background: '#dc2626',
    color: '#fff',
    font: '600 12px/20px system-ui,sans-serif',
    'text-align': 'center',
    display: 'none',
  });
  launcher.append(chatIcon, closeIcon, badge);

  const narrow = matchMedia('(max-width: 480px)');
  const layout = (): void => {
    if (!frame) return;
    css(
      frame,
      narrow.matches
        ? {
            inset: '0',
            width: '100%',
            height: '100%',
            'max-width': 'none',
            'max-height': 'none',
            'border-radius': '0',
          }
        : {
            inset: 'auto 20px 88px auto',
            width: '370px',
            height: '560px',
            'max-width': 'calc(100vw - 40px)',
            'max-height': 'calc(100vh - 108px)',
            'border-radius': '16px',
          },
    );
  };
  narrow.addEventListener('change', layout);

  const show = (visible: boolean): void => {
    open = visible;
    launcher.setAttribute('aria-expanded', `${visible}`);
    css(chatIcon, { display: visible ? 'none' : 'block' });
    css(closeIcon, { display: visible ? 'block' : 'none' });
    if (frame) css(frame, { display: visible ? 'block' : 'none' });
    if (visible) frame?.focus();
  };

  const createFrame = (): HTMLIFrameElement => {
    const f = document.createElement('iframe');
    // The frame is cross-origin to the host, so allow-scripts + allow-same-origin cannot lift its
    // own sandbox; allow-same-origin keeps Parley's origin, which its localStorage (the visitor
    // credential) and same-origin API calls need. What the sandbox still takes away matters: no
    // top-level navigation of the host page, no downloads, no modals. Popups (escaping the sandbox)
    // let links in messages open normally in a new tab.
    attrs(f, {
      id: 'parley-frame',
      title: 'Chat',
      referrerpolicy: 'origin',
      sandbox: 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox',
      src: `${origin}/w/${widgetId}`,
    });
    css(f, {
      position: 'fixed',
      border: '0',
      margin: '0',
      padding: '0',
      background: '#fff',
      'color-scheme': 'light',
      'box-shadow': '0 8px 32px rgba(0,0,0,.25)',
      'z-index': '2147483001',
    });
    // Only Parley's origin can receive this: the identity and the page never reach another frame.
    // Said again on history navigation, so the iframe can report the page the visitor is on now.
    const hello = (): void =>
      f.contentWindow?.postMessage(
        { parley: 'hello', v: 1, identity, page: location.href, ref: document.referrer },
        origin,
      );
    f.addEventListener('load', hello);
    addEventListener('popstate', hello);
    return f;
  };

  launcher.addEventListener('click', () => {
    if (!frame) {
      frame = createFrame();
      layout();
      document.body.append(frame);
      launcher.setAttribute('aria-controls', frame.id);
    }
    show(!open);
  });

  addEventListener('message', (event) => {
    if (!frame || event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data as { parley?: unknown; count?: unknown } | null;
    if (!data || typeof data !== 'object') return;
    if (data.parley === 'ready') {
      if (open) frame.focus();
    } else if (data.parley === 'close') {
      show(false);
      launcher.focus();
    } else if (data.parley === 'unread') {
      const n = Number.isInteger(data.count) ? (data.count as number) : 0;
      badge.textContent = n > 99 ? '99+' : `${n}`;
      css(badge, { display: n > 0 ? 'block' : 'none' });
      launcher.setAttribute('aria-label', n > 0 ? `Open chat (${n} unread)` : 'Open chat');
    }
  });

  document.body.append(launcher);
}

async function init(script: HTMLScriptElement): Promise<void> {
  const widgetId = script.getAttribute('data-parley-widget') ?? '';
  let origin: string;
  try {
    origin = new URL(script.src).origin;
  } catch {
    return warn('invalid_script_src');
  }
  if (!ID_RE.test(widgetId)) return warn('invalid_widget_id');
  let cspBlocked = false;
  const onViolation = (e: SecurityPolicyViolationEvent): void => {
    if (e.blockedURI.startsWith(origin)) cspBlocked = true;
  };
  document.addEventListener('securitypolicyviolation', onViolation);
  let code = 'network_error';
  let ok = false;
  try {
    const res = await fetch(`${origin}/api/v1/widgets/${widgetId}/public`, {
      mode: 'cors',
      credentials: 'omit',
    });
    ok = res.ok;
    if (!ok) {
      code = `http_${res.status}`;
      const body = (await res.json()) as { error?: { code?: unknown } };
      if (typeof body.error?.code === 'string') code = body.error.code;
    }
  } catch {
    // Unreachable, refused by CORS (origin not allowed), or blocked by the page's own CSP. The
    // violation event is queued separately from the rejection: give it a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  document.removeEventListener('securitypolicyviolation', onViolation);
  // A page whose CSP has no connect-src for Parley (e.g. `default-src 'self'` with only script-src
  // and frame-src allowing Parley) cannot ask: show the launcher anyway. It is safe: the iframe is
  // only rendered where its frame-ancestors allow it, and the session checks the host origin.
  if (!ok && !cspBlocked) return warn(code);
  const identity = identityOf(script);
  const run = (): void => mount(origin, widgetId, identity);
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run);
}

const self = (document.currentScript ??
  document.querySelector('script[data-parley-widget]')) as HTMLScriptElement | null;
if (self) void init(self);
