import type { Frame, Page } from 'playwright-core';

/** The widths every screen is checked at: a phone, a laptop, a large desktop. */
export const WIDTHS = [375, 1280, 1920] as const;
/** A phone's height (iPhone SE/8 class), and desktops' usual heights. */
export const heightFor = (width: number) => (width < 600 ? 667 : width < 1600 ? 800 : 1080);

/**
 * How far the document scrolls sideways beyond the window (0 = no horizontal overflow), and which
 * elements stick out past the right edge, so a failing check names the culprit.
 */
export async function horizontalOverflow(
  target: Page | Frame,
): Promise<{ excess: number; culprits: string[] }> {
  return target.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    // The dashboard's content scrolls inside <main>: sideways scrolling there is as bad as the page's.
    const main = document.querySelector<HTMLElement>('main#main');
    const excess = Math.max(
      root.scrollWidth - window.innerWidth,
      main ? main.scrollWidth - main.clientWidth : 0,
    );
    const culprits: string[] = [];
    if (excess > 0) {
      for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0) {
          const id = el.id ? `#${el.id}` : '';
          const cls =
            typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
          culprits.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}`);
          if (culprits.length >= 8) break;
        }
      }
    }
    return { excess, culprits };
  });
}

/** Waits until fonts and pending layout have settled, so measurements and screenshots are final. */
export async function settled(page: Page): Promise<void> {
  // A live socket or a long poll never lets the network go idle: bounded, not required.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/**
 * Resizes the window and waits until the page has reacted (media-query listeners run before the
 * next frames are drawn): the widget's loader moves its frame between full screen and a corner
 * panel, and a click aimed before that move lands on the host page instead.
 */
export async function resize(page: Page, width: number, height = heightFor(width)): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}
