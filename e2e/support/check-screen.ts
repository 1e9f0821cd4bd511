import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations, describeViolations } from './axe.js';
import { heightFor, horizontalOverflow, settled, WIDTHS } from './layout.js';

/**
 * The screen as it is now, at every width (375, 1280, 1920): nothing sticks out sideways, axe finds
 * nothing, and a full-page screenshot goes to `<dir>/<name>-<width>.png` to be looked at. The page
 * is left at 1280 wide.
 */
export async function checkEveryWidth(page: Page, dir: string, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: heightFor(width) });
    await settled(page);
    const overflow = await horizontalOverflow(page);
    expect(overflow.excess, overflow.culprits.join(', ')).toBe(0);
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
    const violations = await axeViolations(page);
    expect(violations, describeViolations(`${name} at ${width}`, violations)).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: heightFor(1280) });
}
