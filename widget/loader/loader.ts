/**
 * The script a host page includes: `<script src="PARLEY/widget.js" data-parley-widget="ID" async>`.
 * It adds a launcher button and, when the chat is needed, widget-chat.js (widget/loader/chat.ts), which
 * makes the chat iframe (Parley's origin); for a proactive message, widget-tip.js. It injects no
 * markup, inline script or style element: every style is in one constructed style sheet the document
 * adopts (CSSOM), which a host CSP that forbids inline style still allows (browsers since 2023:
 * Chrome 99, Firefox 101, Safari 16.4). It holds no credential; the iframe keeps its own.
 * See docs/PROTOCOL.md §3. Every host page pays for this file: widget/loader/loader-size.test.ts holds
 * it to a gzip budget, and whatever the iframe can do instead is done there.
 */

import type { ChatHandover } from './chat.js';
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
 * Every style of the launcher (and where the frame and the proactive card sit, beside it; the rest of
 * their styles are their scripts'), as one constructed style sheet adopted by the document (CSSOM, like `style.setProperty`): a host CSP without 'unsafe-inline' allows it, as
 * it allows no <style> element or style attribute, and none is made. Rules name our ids, and every
 * declaration is `!important` (each `;` becomes `!important;`), so that a host rule such as
 * `button { … }` or `iframe { … }` cannot restyle us. The sheet shows the focus ring for keyboard
 * users (a host reset often removes the default one). Values interpolated here are checked colours
 * and integers only.
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
  css.replaceSync(
    `${l},#parley-frame,#parley-tip{position:fixed;inset:auto;${side}:${x}px;bottom:${y}px;margin:0;padding:0;border:0;box-shadow:0 4px 14px #0004;z-index:2147483000;}${l}{min-width:56px;height:56px;padding:0 ${look.label ? '20px 0 14px' : 0};gap:8px;white-space:nowrap;border-radius:28px;background:${brand};color:${ink};font:600 15px/1 system-ui;cursor:pointer;display:flex;align-items:center;justify-content:center;outline:0;}${l}:focus-visible{outline:3px solid ${brand};outline-offset:3px;}${l} svg{width:28px;height:28px;pointer-events:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;}`.replace(
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
  // One labelled landmark holds the launcher and the chat, so assistive technology lists the chat
  // among the host page's regions instead of finding a stray button outside all of them.
  const region = doc.createElement('aside');
  region.id = 'parley-chat';
  label(region, words.region);
  region.lang = words.lang;
  // Open (`1`) or closed (`0`) in this tab before a reload (sessionStorage of the host page, under
  // Parley's prefix; widget-chat.js writes it). Storage blocked: a first visit.
  const key = `parley:${widgetId}`;
  let was: string | undefined;
  try {
    was = sessionStorage[key];
  } catch {}
  attrs(launcher, 'type:button;id:parley-launcher;aria-expanded:false');
  label(launcher, words.open);
  // The label is text (a text node), never markup.
  launcher.append(svg, look.label || '');

  // A script of Parley's origin (the host CSP's script-src that admits widget.js admits it), handed
  // what it needs on its own <script> element: no global of the host page.
  const add = (name: string, parley: ChatHandover | TipHandover): HTMLScriptElement => {
    const s = doc.createElement('script') as HTMLScriptElement & { parley: object };
    s.parley = parley;
    s.src = `${origin}/widget-${name}.js`;
    doc.body.append(s);
    return s;
  };
  // The chat itself (the iframe, its frame's styles, the messages) is a script of its own
  // (widget/loader/chat.ts), fetched once the chat is needed: the visitor points at or focuses the
  // launcher (so it is usually here by the click), clicks it, or a reload puts the chat back. Until
  // it runs, a click is written on what it is handed; then it takes the launcher's clicks over.
  const chat: ChatHandover = { origin, widgetId, script, words, calls, y, icon: chatIcon, quiet: false };
  const load = (): void => {
    // Not fetched (offline a moment, a deploy in between): the next hover, focus or click asks again.
    add('chat', chat).onerror = () => {
      launcher.onpointerenter = launcher.onfocus = load;
    };
    launcher.onpointerenter = launcher.onfocus = null;
  };
  launcher.onpointerenter = launcher.onfocus = load;
  // Replaced by the chat's script once it runs.
  launcher.onclick = () => {
    chat.open = true;
    // Still set: not being fetched.
    if (launcher.onfocus) load();
  };

  region.append(launcher);
  doc.body.append(region);
  // The proactive message is a script of its own (widget/loader/tip.ts), fetched only for a widget
  // whose rule is on and a chat not put back after a reload.
  if (tip && !was) add('tip', { ...tip, key, y } satisfies TipHandover);
  // The visitor chatted in this tab before the reload: the frame comes back (hidden if the chat was
  // closed), so it reconnects and the badge shows what is unread; it takes no focus.
  if (was) {
    chat.quiet = true;
    chat.open = was === '1';
    load();
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
