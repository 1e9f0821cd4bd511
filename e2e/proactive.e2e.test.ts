import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const SHOTS = join(tmpdir(), 'parley-proactive');
const TEXT = 'Comparing plans? Ask us anything.';
const AR = 'تقارن بين الخطط؟ اسألنا أي شيء.';

/**
 * The proactive message in real Chromium on a shop of another origin with a strict CSP (no
 * 'unsafe-inline', scripts from Parley's origin only): shown on a matching page only, once per
 * visitor, never opening the chat; on a 375 px screen only a dot on the launcher. Its card is a
 * script of its own (widget-tip.js), fetched only for a widget whose rule is on; it has a close
 * button, and single-page sites get the rule checked again when their path changes.
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
    for (const path of ['/pricing/team', '/about']) stage.shop.set(path, shopPage(tag), strictCsp());
  });
  afterAll(async () => stage?.close());

  const noViolations = async (page: Page, where: string) => {
    const found = await axeViolations(page, ['#parley-chat']);
    expect(found, describeViolations(where, found)).toEqual([]);
  };
  // Strict: nothing inline, styles only from the page itself, scripts from it and Parley only.
  const strictCsp = () => {
    const parley = stage.server.origin;
    return `default-src 'self'; script-src 'self' ${parley}; connect-src ${parley}; frame-src ${parley}; style-src 'self'; img-src 'self'`;
  };
  /** Every CSP complaint of the host page (the card's and the chat's scripts and their styles). */
  const cspComplaints = (page: Page) => {
    const found: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) found.push(m.text());
    });
    return found;
  };
  const tipScriptLoaded = (page: Page) =>
    page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((e) => e.name.endsWith('/widget-tip.js')),
    );
  // The card's timer (0 s here) runs a task after the script: past a round trip of the page's own
  // event loop, a card would be there.
  const settle = (page: Page) => page.evaluate(() => new Promise((r) => setTimeout(r, 200)));

  it('1280 px: a card beside the launcher on /pricing*, not on /about; once per visitor; a click opens the chat', async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    const complaints = cspComplaints(page);
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
    expect(await tip.getByRole('status').textContent()).toBe(TEXT);
    expect(await tip.getByRole('button', { name: 'Close message' }).isVisible()).toBe(true);
    expect((await tip.boundingBox())?.width).toBeGreaterThan(100);
    // The chat was not opened.
    expect(await page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#parley-frame').count()).toBe(0);
    await noViolations(page, 'proactive 1280');
    await page.screenshot({ path: join(SHOTS, 'card-1280.png') });
    await tip.click();
    await expect.poll(() => page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('true');
    expect(await tip.count()).toBe(0);
    await expect.poll(() => page.locator('#parley-frame').isVisible()).toBe(true);
    // Closed again: the frame is hidden, whatever else the card's script added to the page.
    await page.locator('#parley-launcher').click();
    await expect.poll(() => page.locator('#parley-frame').isVisible()).toBe(false);
    expect(complaints).toEqual([]);

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
    const complaints = cspComplaints(page);
    await page.goto(`${stage.shop.origin}/pricing/team`);
    const tip = page.locator('#parley-tip');
    await tip.waitFor();
    expect(await tip.textContent()).toBe(AR);
    // The close button carries the visitor's language; the dot has no room for it, so it is hidden
    // (and out of the tab order).
    expect(await tip.locator('button').getAttribute('aria-label')).toBe('إغلاق الرسالة');
    expect(await tip.locator('button').isVisible()).toBe(false);
    const box = await tip.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(20);
    expect(await page.locator('#parley-frame').count()).toBe(0);
    expect(await page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('false');
    await noViolations(page, 'proactive 375 ar');
    await page.screenshot({ path: join(SHOTS, 'dot-375-ar.png') });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('#parley-tip'))).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('true');
    expect(await tip.count()).toBe(0);
    await expect.poll(() => page.locator('#parley-frame').isVisible()).toBe(true);
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('1920 px, keyboard only: the close button takes the card away for good; the chat stays closed', async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1920, height: heightFor(1920) } });
    const page = await context.newPage();
    const complaints = cspComplaints(page);
    await page.goto(`${stage.shop.origin}/pricing/team`);
    const tip = page.locator('#parley-tip');
    await tip.waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() => [
        document.activeElement?.closest('#parley-tip') !== null,
        document.activeElement?.getAttribute('aria-label'),
        document.activeElement?.matches(':focus-visible'),
      ]),
    ).toEqual([true, 'Close message', true]);
    // The focus ring is drawn (a host reset of `outline` cannot remove it).
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe(
      'solid',
    );
    await noViolations(page, 'proactive 1920 close focused');
    await page.screenshot({ path: join(SHOTS, 'close-focused-1920.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => tip.count()).toBe(0);
    // The focus is not lost with the button: back on the launcher; the chat was not opened.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
    expect(await page.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#parley-frame').count()).toBe(0);

    // Closing counts as seen: a reload of the matching page does not bring it back.
    await page.reload();
    await page.locator('#parley-launcher').waitFor();
    await tipScriptLoaded(page);
    await settle(page);
    expect(await tip.count()).toBe(0);
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('single-page site (1280 px): pushState, replaceState and popstate to a matching path show it, once', async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    await page.goto(`${stage.shop.origin}/about`);
    await tipScriptLoaded(page);
    await settle(page);
    const tip = page.locator('#parley-tip');
    expect(await tip.count()).toBe(0);
    // A client-side route change to a page the rule names: no reload, and the card comes.
    await page.evaluate(() => history.pushState(null, '', '/pricing/team'));
    await tip.waitFor();
    expect(await tip.textContent()).toBe(TEXT);
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'spa-push-1280.png') });
    await tip.getByRole('button', { name: 'Close message' }).click();
    await expect.poll(() => tip.count()).toBe(0);
    // Still at most once per visitor: further route changes to matching paths bring nothing.
    await page.evaluate(() => history.replaceState(null, '', '/pricing/enterprise'));
    await page.evaluate(() => history.pushState(null, '', '/pricing/team'));
    await settle(page);
    expect(await tip.count()).toBe(0);
    await context.close();

    // Another visitor: a replaceState to a matching path, and (the next) a back navigation to one.
    const replacing = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const second = await replacing.newPage();
    await second.goto(`${stage.shop.origin}/about`);
    await tipScriptLoaded(second);
    await second.evaluate(() => history.replaceState(null, '', '/pricing/annual'));
    await second.locator('#parley-tip').waitFor();
    await replacing.close();

    const back = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const third = await back.newPage();
    await third.goto(`${stage.shop.origin}/about`);
    await tipScriptLoaded(third);
    // Entries the router made before: History.prototype's own method, not the page's, so only the
    // back navigation (popstate) reaches the rule.
    await third.evaluate(() => {
      History.prototype.pushState.call(history, null, '', '/pricing/team');
      History.prototype.pushState.call(history, null, '', '/about/us');
    });
    await settle(third);
    expect(await third.locator('#parley-tip').count()).toBe(0);
    await third.evaluate(() => history.back());
    await third.locator('#parley-tip').waitFor();
    expect(await third.evaluate(() => location.pathname)).toBe('/pricing/team');
    await back.close();
  });

  it('a page loads only what it needs: no card script without a rule; the chat once reached for', async () => {
    const other = await createWidget(stage.server, stage.admin, [stage.shop.origin], 'Hello');
    const tag = `<script src="${stage.server.url}/widget.js" data-parley-widget="${other.id}" async></script>`;
    stage.shop.set('/plain', shopPage(tag), strictCsp());
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`${stage.shop.origin}/plain`);
    const launcher = page.locator('#parley-launcher');
    await launcher.waitFor();
    await settle(page);
    expect(fetched).toContain('/widget.js');
    expect(fetched).not.toContain('/widget-tip.js');
    // Nobody reached for the chat yet: its script and its frame are not fetched.
    expect(fetched).not.toContain('/widget-chat.js');
    expect(fetched.filter((p) => p.startsWith('/w/'))).toEqual([]);
    // Pointing at the launcher fetches the chat's script, ahead of the click; the frame waits for it.
    await launcher.hover();
    await expect.poll(() => fetched.includes('/widget-chat.js')).toBe(true);
    expect(await page.locator('#parley-frame').count()).toBe(0);
    await launcher.click();
    await expect.poll(() => page.locator('#parley-frame').isVisible()).toBe(true);
    expect(fetched.filter((p) => p === '/widget-chat.js')).toHaveLength(1);
    await context.close();

    // A click that comes before the script (a keyboard user straight on Enter, a tap) still opens it.
    const quick = await stage.browser.newContext({ viewport: { width: 375, height: heightFor(375) } });
    const tap = await quick.newPage();
    await tap.goto(`${stage.shop.origin}/plain`);
    await tap.locator('#parley-launcher').waitFor();
    await tap.evaluate(() => document.getElementById('parley-launcher')?.click());
    await expect.poll(() => tap.locator('#parley-frame').isVisible()).toBe(true);
    expect(await tap.locator('#parley-launcher').getAttribute('aria-expanded')).toBe('true');
    await quick.close();

    // The chat's script not fetched the first time (a network blip): the next click asks again.
    const flaky = await stage.browser.newContext({ viewport: { width: 1920, height: heightFor(1920) } });
    const retry = await flaky.newPage();
    let asked = 0;
    await retry.route('**/widget-chat.js', (route) => (asked++ === 0 ? route.abort() : route.continue()));
    await retry.goto(`${stage.shop.origin}/plain`);
    const again = retry.locator('#parley-launcher');
    await again.hover();
    await expect.poll(() => asked).toBe(1);
    // The refusal is seen: the launcher asks again on the next hover, focus or click.
    await retry.waitForFunction(() => document.getElementById('parley-launcher')?.onfocus !== null);
    expect(await retry.locator('#parley-frame').count()).toBe(0);
    await again.click();
    await expect.poll(() => retry.locator('#parley-frame').isVisible()).toBe(true);
    expect(asked).toBe(2);
    await flaky.close();
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
