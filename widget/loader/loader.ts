/**
 * The script a host page includes: `<script src="PARLEY/widget.js" data-parley-widget="ID" async>`.
 * It adds a launcher button and, on first click, the chat iframe (Parley's origin). It injects no
 * markup, inline script or style element: every style is in one constructed style sheet the document
 * adopts (CSSOM), which a host CSP that forbids inline style still allows (browsers since 2023:
 * Chrome 99, Firefox 101, Safari 16.4). It holds no credential; the iframe keeps its own.
 * See docs/PROTOCOL.md §3. Every host page pays for this file: widget/loader/loader-size.test.ts holds
 * it to a gzip budget, and whatever the iframe can do instead is done there.
 */

import type { TipHandover } from './tip.js';

/** The widget's id goes into URLs: a UUID's characters only (the server checks the rest). */
const ID_RE = /^[\da-f-]{36}$/;
/** `document`, named once: the minifier can shorten a local name, not a global one. */
const doc = document;
const SVG_NS = 'http://www.w3.org/2000/svg';
const HEX = /^#[\da-f]{6}$/i;
const warn = (code: string): void => console.warn(`[parley] chat widget not loaded: ${code}`);

// Attributes are written `name:value;name:value`: shorter in the shipped file than objects.
const attrs = (el: Element, list: string): void => {
  for (const d of list.split(';')) {
    const i = d.indexOf(':');
    el.setAttribute(d.slice(0, i), d.slice(i + 1));
  }
};
/** Set on its own: the server's words may hold any character, `attrs`' separators included. */
const label = (el: Element, text: string): void => el.setAttribute('aria-label', text);

const CHAT_ICON = 'M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z';
const CLOSE_ICON = 'M6 6l12 12M18 6L6 18';

/**
 * How the launcher looks (protocol/branding.ts PublicLauncher), from Parley's answer. The colours must
 * be `#rrggbb` to reach CSS at all; offsets become integers; the label is only ever text (textContent)
 * and the icon an SVG path's `d` attribute. Without an answer (a CSP without connect-src), the defaults.
 */
interface Launcher {
  color: string;
  ink: string;
  position: string;
  offsetX: number;
  offsetY: number;
  icon: string;
  label: string;
}

/**
 * Every style of the launcher, its badge and the chat's frame, as one constructed style sheet adopted
 * by the document (CSSOM, like `style.setProperty`): a host CSP without 'unsafe-inline' allows it, as
 * it allows no <style> element or style attribute, and none is made. Rules name our ids, and every
 * declaration is `!important` (each `;` becomes `!important;`), so that a host rule such as
 * `button { … }` or `iframe { … }` cannot restyle us. The sheet, not script, switches the frame
 * between a corner panel and full screen (≤ 480 px), shows the focus ring for keyboard users (a host
 * reset often removes the default one), hides the badge while it is empty and the frame while the
 * launcher says the chat is closed. Values interpolated here are checked colours and integers only.
 */
function sheet(
  look: Partial<Launcher>,
  brand: string,
  ink: string,
  side: string,
  x: number,
  y: number,
): void {
  const css = new CSSStyleSheet();
  const l = '#parley-launcher';
  const f = '#parley-frame';
  css.replaceSync(
    `${l},${f},#parley-tip{position:fixed;inset:auto;${side}:${x}px;bottom:${y}px;margin:0;padding:0;border:0;box-shadow:0 4px 14px #0004;z-index:2147483000;}${l}{min-width:56px;height:56px;padding:0 ${look.label ? '20px 0 14px' : 0};gap:8px;white-space:nowrap;border-radius:28px;background:${brand};color:${ink};font:600 15px/1 system-ui;cursor:pointer;display:flex;align-items:center;justify-content:center;outline:0;}${l}:focus-visible{outline:3px solid ${brand};outline-offset:3px;}${l} svg{width:28px;height:28px;pointer-events:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;}${l} span{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:600 12px/20px system-ui;text-align:center;}${l} span:empty,${l}[aria-expanded=false]~${f}{display:none;}${f}{bottom:${y + 68}px;width:min(370px,100vw - 40px);height:min(560px,100vh - ${y + 88}px);border-radius:16px;background:#fff;color-scheme:light;box-shadow:0 8px 32px #0004;z-index:2147483001;}@media(max-width:480px){${f}{inset:0;width:100%;height:100%;border-radius:0;}}`.replace(
      /;/g,
      '!important;',
    ),
  );
  doc.adoptedStyleSheets.push(css);
}

/**
 * The launcher's names in the visitor's language, as the server composed them (PublicWidget.words):
 * `open` when nothing is unread, `unread` with `{n}`; both already begin with a visible label if the
 * widget has one (what a voice-control user says).
 */
type Labels = { lang: string; region: string; open: string; unread: string };
/** The proactive message rule (protocol/proactive.ts PublicProactive), in the visitor's language. */
type Tip = Omit<TipHandover, 'key' | 'y'>;
const ENGLISH: Labels = { lang: 'en', region: 'Chat', open: 'Open chat', unread: 'Open chat ({n} unread)' };

function mount(
  origin: string,
  widgetId: string,
  script: HTMLScriptElement,
  look: Partial<Launcher>,
  words: Labels,
  calls: boolean,
  tip?: Tip,
): void {
  if (doc.getElementById('parley-launcher')) return; // the snippet was pasted twice
  const brand = HEX.test(look.color as string) ? (look.color as string) : '#4f46e5';
  const side = look.position === 'left' ? 'left' : 'right';
  const chatIcon = look.icon || CHAT_ICON;
  const y = (look.offsetY ?? 20) | 0;
  sheet(
    look,
    brand,
    HEX.test(look.ink as string) ? (look.ink as string) : '#fff',
    side,
    (look.offsetX ?? 20) | 0,
    y,
  );
  const launcher = doc.createElement('button');
  // The launcher's icon: one path, drawn as the widget's icon or, while the chat is open, a cross.
  const svg = doc.createElementNS(SVG_NS, 'svg');
  const path = doc.createElementNS(SVG_NS, 'path');
  attrs(svg, 'viewBox:0 0 24 24;aria-hidden:true');
  path.setAttribute('d', chatIcon);
  svg.append(path);
  const badge = doc.createElement('span');
  // One labelled landmark holds the launcher and the chat, so assistive technology lists the chat
  // among the host page's regions instead of finding a stray button outside all of them.
  const region = doc.createElement('aside');
  region.id = 'parley-chat';
  label(region, words.region);
  region.lang = words.lang;
  let frame: HTMLIFrameElement | null = null;
  let open = false;
  // Open or closed, remembered for this tab only (sessionStorage of the host page, under Parley's
  // prefix): a reload puts the chat back as it was. Nothing else: no id, no message, no count.
  const key = `parley:${widgetId}`;
  // Storage blocked by the browser: nothing is remembered, the chat starts closed as on a first visit.
  const store = (value?: number): unknown => {
    try {
      return value === undefined ? sessionStorage[key] : sessionStorage.setItem(key, `${value}`);
    } catch {}
  };
  const was = store();
  // A chat put back after a reload does not take the focus; one the visitor opens does.
  let quiet = false;

  const say = (n: number): void => label(launcher, n > 0 ? words.unread.replace('{n}', `${n}`) : words.open);
  attrs(launcher, 'type:button;id:parley-launcher;aria-expanded:false');
  say(0);
  // The label is text (a text node), never markup.
  launcher.append(svg, look.label || '', badge);

  // Shows or hides the chat; the first time, the frame is made (on a click, or put back after a reload).
  const show = (visible: boolean): void => {
    if (!frame) {
      frame = createFrame();
      region.append(frame);
      launcher.setAttribute('aria-controls', frame.id);
    }
    open = visible;
    launcher.setAttribute('aria-expanded', `${visible}`);
    path.setAttribute('d', visible ? CLOSE_ICON : chatIcon);
    if (visible && !quiet) frame.focus();
    store(+visible);
    // The chat counts unread messages only while it is closed: it is told, to Parley's origin only.
    frame.contentWindow?.postMessage({ parley: 'shown', open: visible }, origin);
  };

  const createFrame = (): HTMLIFrameElement => {
    const f = doc.createElement('iframe');
    // The frame is cross-origin to the host, so allow-scripts + allow-same-origin cannot lift its
    // own sandbox; allow-same-origin keeps Parley's origin, which its localStorage (the visitor
    // credential) and same-origin API calls need. What the sandbox still takes away matters: no
    // top-level navigation of the host page, no modals. Popups (escaping the sandbox) let links in
    // messages open normally in a new tab. Downloads are the conversation's own files, fetched with
    // the frame's partitioned cookie: only from here can they be saved (a new tab has no cookie).
    // The tokens' order is the one that gzips shortest.
    attrs(
      f,
      `id:parley-frame;referrerpolicy:origin;sandbox:allow-forms allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads allow-same-origin;src:${origin}/w/${widgetId}`,
    );
    f.title = words.region;
    // Camera and microphone only for a widget with calls on; otherwise the frame cannot even ask.
    if (calls) f.allow = 'camera;microphone';
    // Only Parley's origin can receive this: the identity and the page never reach another frame.
    // Said again on history navigation, so the iframe can report the page the visitor is on now.
    // The site's signed-in user (docs/PROTOCOL.md §2.6) is passed as the tag's two attributes: the
    // iframe checks their form and says when one is missing (widget/app/host.ts), the server the HMAC.
    const hello = (): void =>
      f.contentWindow?.postMessage(
        {
          parley: 'hello',
          v: 1,
          identity: { userId: script.dataset.parleyUserId, userHash: script.dataset.parleyUserHash },
          page: location.href,
          ref: doc.referrer,
          open,
          quiet,
        },
        origin,
      );
    f.addEventListener('load', hello);
    addEventListener('popstate', hello);
    return f;
  };

  launcher.addEventListener('click', () => {
    quiet = false;
    show(!open);
  });

  addEventListener('message', (event) => {
    if (!frame || event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data as { parley?: unknown; count?: unknown } | null;
    if (!data || typeof data !== 'object') return;
    if (data.parley === 'ready') {
      if (open && !quiet) frame.focus();
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

  region.append(launcher);
  doc.body.append(region);
  // The proactive message is a script of its own (widget/loader/tip.ts), fetched only for a widget
  // whose rule is on and a chat not put back after a reload: the rule rides on its <script> element.
  if (tip && !was) {
    const s = doc.createElement('script') as HTMLScriptElement & { parley: TipHandover };
    s.parley = { ...tip, key, y };
    s.src = `${origin}/widget-tip.js`;
    doc.body.append(s);
  }
  // The visitor chatted in this tab before the reload: the frame comes back (hidden if the chat was
  // closed), so it reconnects and the badge shows what is unread.
  if (was) {
    quiet = true;
    show(was === '1');
  }
}

async function init(script: HTMLScriptElement): Promise<void> {
  const widgetId = script.dataset.parleyWidget ?? '';
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
  doc.addEventListener('securitypolicyviolation', onViolation);
  let code = 'network_error';
  let ok = false;
  let look: Partial<Launcher> = {};
  let words = ENGLISH;
  let calls = false;
  let tip: Tip | undefined;
  try {
    const res = await fetch(`${origin}/api/v1/widgets/${widgetId}/public`, { credentials: 'omit' });
    ok = res.ok;
    const body = (await res.json()) as {
      launcher?: Launcher;
      words?: Labels;
      calls?: boolean;
      proactive?: Tip;
      error?: { code?: string };
    };
    if (ok) {
      look = body.launcher ?? look;
      words = body.words ?? words;
      calls = body.calls === true;
      tip = body.proactive;
    }
    // Parley's own answer names the problem (origin_not_allowed, widget_not_found…).
    else code = body.error?.code ?? `http_${res.status}`;
  } catch {
    // Unreachable, refused by CORS (origin not allowed), or blocked by the page's own CSP. The
    // violation event is queued separately from the rejection: give it a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  doc.removeEventListener('securitypolicyviolation', onViolation);
  // A page whose CSP has no connect-src for Parley (e.g. `default-src 'self'` with only script-src
  // and frame-src allowing Parley) cannot ask: show the launcher anyway. It is safe: the iframe is
  // only rendered where its frame-ancestors allow it, and the session checks the host origin.
  if (!ok && !cspBlocked) return warn(code);
  const run = (): void => mount(origin, widgetId, script, look, words, calls, tip);
  if (doc.body) run();
  else doc.addEventListener('DOMContentLoaded', run);
}

const self = (doc.currentScript ??
  doc.querySelector('script[data-parley-widget]')) as HTMLScriptElement | null;
if (self) void init(self);
