/**
 * The proactive message (docs/PROTOCOL.md §3): a second classic script, `widget-tip.js`, that the
 * loader adds only for a widget whose rule is on, so host pages of every other widget never pay for
 * it. It comes from the loader's origin (the host CSP's `script-src` that admits widget.js admits it)
 * and, like the loader, makes no markup, inline script or style element: its styles are one
 * constructed style sheet the document adopts. The loader hands it the rule on its own <script>
 * element (`parley`), never through a global of the host page.
 *
 * After the delay on a page whose path matches, the card is shown once per visitor and version
 * (remembered in localStorage; where storage is blocked it is never shown, rather than every time).
 * It never opens the chat: a card beside the launcher, which on a small screen (< 600 px) is only a
 * dot on the launcher, its text still read out (role=status). The card's close button counts as
 * seen, like the card itself. Single-page sites change the path without loading a page: the rule is
 * checked again on history.pushState / replaceState and popstate.
 */
import { pathMatches } from '../../protocol/path-glob.js';

/**
 * What the loader hands over: the rule as the server gave it (PublicProactive), the widget's storage
 * key (`parley:<widgetId>`) and the launcher's bottom offset.
 */
export interface TipHandover {
  delaySeconds: number;
  path: string;
  text: string;
  close: string;
  version: number;
  key: string;
  y: number;
}

const doc = document;
const SVG_NS = 'http://www.w3.org/2000/svg';
const rule = (doc.currentScript as (HTMLScriptElement & { parley?: TipHandover }) | null)?.parley;
const launcher = doc.getElementById('parley-launcher');

if (rule && launcher) {
  const { y } = rule;
  const key = `${rule.key}:tip`;
  const version = `${rule.version}`;
  const css = new CSSStyleSheet();
  // Position, side and offset come from the loader's sheet (#parley-tip shares the launcher's rule).
  // Every declaration `!important`, so a host rule such as `p { … }` or `button { … }` cannot restyle it.
  css.replaceSync(
    `#parley-tip{bottom:${y + 68}px;display:flex;align-items:flex-start;gap:4px;max-width:260px;padding:10px 8px 10px 14px;border-radius:12px;background:#fff;color:#111;font:15px/1.4 system-ui;}#parley-tip p{margin:0;padding:0;cursor:pointer;}#parley-tip button{flex:none;display:grid;place-items:center;width:24px;height:24px;margin:-2px 0;padding:0;border:0;border-radius:12px;background:#fff;color:#444;cursor:pointer;outline:0;}#parley-tip button:focus-visible{outline:2px solid #111;}#parley-tip svg{width:16px;height:16px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;}@media(max-width:599px){#parley-tip{bottom:${y + 44}px;width:14px;height:14px;padding:0;overflow:hidden;color:#0000;background:#dc2626;border:2px solid #fff;}#parley-tip button{display:none;}}`.replace(
      /;/g,
      '!important;',
    ),
  );
  doc.adoptedStyleSheets.push(css);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (): void => {
    timer = undefined;
    // Not over an open chat, not twice, and only if the visitor is still on a matching page.
    if (
      launcher.getAttribute('aria-expanded') === 'true' ||
      doc.getElementById('parley-tip') ||
      !pathMatches(rule.path, location.pathname)
    )
      return;
    try {
      if (localStorage[key] === version) return;
      localStorage[key] = version;
    } catch {
      return;
    }
    const card = doc.createElement('div');
    card.id = 'parley-tip';
    const text = doc.createElement('p');
    text.setAttribute('role', 'status');
    text.dir = 'auto';
    text.textContent = rule.text;
    text.onclick = () => launcher.click();
    const close = doc.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', rule.close);
    const svg = doc.createElementNS(SVG_NS, 'svg');
    const path = doc.createElementNS(SVG_NS, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    path.setAttribute('d', 'M6 6l12 12M18 6L6 18');
    svg.append(path);
    close.append(svg);
    // Closed by the visitor: it was seen (the version is already stored), and the focus goes back to
    // the launcher instead of being lost with the button.
    close.onclick = () => {
      card.remove();
      launcher.focus();
    };
    card.append(text, close);
    // Opening the chat, by the card or the launcher: the message said its part.
    launcher.addEventListener('click', () => card.remove());
    launcher.parentElement?.append(card);
  };

  // Called on every path the visitor reaches: the delay runs while they stay on matching pages.
  const check = (): void => {
    if (!pathMatches(rule.path, location.pathname)) {
      clearTimeout(timer);
      timer = undefined;
    } else timer ??= setTimeout(show, rule.delaySeconds * 1e3);
  };
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
  }
  addEventListener('popstate', check);
  check();
}
