import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../protocol/api.js';
import { createWidget, http, PASSWORD } from '../test/support/clients.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, startBrowserStage } from './support/browser-stage.js';
import { shopPage } from './support/host-page.js';
import { heightFor } from './support/layout.js';

const SHOTS = join(process.cwd(), 'test-results', 'proactive');
const TEXT = 'Comparing plans? Ask us anything.';
const AR = 'تقارن بين الخطط؟ اسألنا أي شيء.';

/**
 * The proactive message in real Chromium on a shop of another origin: shown on a matching page only,
 * once per visitor, never opening the chat; on a 375 px screen only a dot on the launcher.
 */
describe.skipIf(!hasChromium)('the proactive message', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let stage: BrowserStage;
  let widget: Widget;

  beforeAll(async () => {
    stage = await startBrowserStage();
    mkdirSync(SHOTS, { recursive: true });
    widget = await createWidget(stage.server, stage.admin, [stage.shop.origin], 'Hi! How can we help?');
    const res = await http(
      stage.server,
      'PUT',
      `/api/v1/workspaces/${stage.admin.workspaceId}/widgets/${widget.id}/proactive`,
      {
        cookie: stage.admin.cookie,
        body: { enabled: true, delaySeconds: 0, path: '/pricing*', text: TEXT, textTranslations: { ar: AR } },
      },
    );
    expect(res.status).toBe(200);
    const tag = `<script src="${stage.server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    const csp = `script-src 'self' ${stage.server.origin}; frame-src ${stage.server.origin}`;
    for (const path of ['/pricing/team', '/about']) stage.shop.set(path, shopPage(tag), csp);
  });
  afterAll(async () => stage?.close());

  const noViolations = async (page: Page, where: string) => {
    const found = await axeViolations(page, ['#parley-chat']);
    expect(found, describeViolations(where, found)).toEqual([]);
  };

  it('1280 px: a card beside the launcher on /pricing*, not on /about; once per visitor; a click opens the chat', async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    await page.goto(`${stage.shop.origin}/about`);
    await page.locator('#parley-launcher').waitFor();
    // The delay is 0 s: past a round trip of the page's own event loop, a card would be there.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    expect(await page.locator('#parley-tip').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.goto(`${stage.shop.origin}/pricing/team`);
    const tip = page.locator('#parley-tip');
    await tip.waitFor();
    expect(await tip.textContent()).toBe(TEXT);
    expect(await tip.getAttribute('role')).toBe('status');
    expect((await tip.boundingBox())?.width).toBeGreaterThan(100);
    // The chat was not opened.
    expect(await page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#parley-frame').count()).toBe(0);
    await noViolations(page, 'proactive 1280');
    await page.screenshot({ path: join(SHOTS, 'card-1280.png') });
    await tip.click();
    await expect.poll(() => page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('true');
    expect(await tip.count()).toBe(0);

    // A new tab of the same visitor on a matching page: not shown again.
    const again = await context.newPage();
    await again.goto(`${stage.shop.origin}/pricing/team`);
    await again.locator('#parley-launcher').waitFor();
    await again.waitForFunction(() => localStorage.length > 0);
    expect(await again.locator('#parley-tip').count()).toBe(0);
    await context.close();
  });

  it('375 px (Arabic): only a dot on the launcher, the chat stays closed; keyboard opens it; axe', async () => {
    const context = await stage.browser.newContext({
      locale: 'ar',
      viewport: { width: 375, height: heightFor(375) },
    });
    const page = await context.newPage();
    await page.goto(`${stage.shop.origin}/pricing/team`);
    const tip = page.locator('#parley-tip');
    await tip.waitFor();
    expect(await tip.textContent()).toBe(AR);
    const box = await tip.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(20);
    expect(await page.locator('#parley-frame').count()).toBe(0);
    expect(await page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('false');
    await noViolations(page, 'proactive 375 ar');
    await page.screenshot({ path: join(SHOTS, 'dot-375-ar.png') });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('true');
    expect(await tip.count()).toBe(0);
    await context.close();
  });

  it('the dashboard edits the rule: a path that is not a glob is refused before saving', async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    await page.goto(`${stage.server.url}/login`);
    await page.getByTestId('login-email').fill('admin@example.com');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${stage.server.url}/widgets/${widget.id}`);
    const path = page.getByTestId('proactive-path');
    await expect.poll(() => path.inputValue()).toBe('/pricing*');
    await path.fill('^/pricing.*$');
    expect(await page.getByTestId('proactive-save').isDisabled()).toBe(true);
    await path.fill('/plans*');
    await page.getByTestId('proactive-text-de').fill('Fragen zu den Tarifen?');
    await page.getByTestId('proactive-save').click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Proactive message saved.' }).count())
      .toBe(1);
    const stored = await http(
      stage.server,
      'GET',
      `/api/v1/workspaces/${stage.admin.workspaceId}/widgets/${widget.id}/proactive`,
      { cookie: stage.admin.cookie },
    );
    expect(stored.body).toMatchObject({
      path: '/plans*',
      textTranslations: { ar: AR, de: 'Fragen zu den Tarifen?' },
    });
    for (const width of [375, 1280, 1920]) {
      await page.setViewportSize({ width, height: heightFor(width) });
      await page.getByTestId('proactive-card').scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `dashboard-${width}.png`) });
    }
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
