import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../protocol/api.js';
import { en as serverEn } from '../server/i18n/en.js';
import { createWidget, http, PASSWORD } from '../test/support/clients.js';
import { ar } from '../widget/app/i18n/ar.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, startBrowserStage } from './support/browser-stage.js';
import { shopPage } from './support/host-page.js';
import { heightFor } from './support/layout.js';

const SHOTS = join(process.cwd(), 'test-results', 'prechat');
const POLICY = 'https://shop.example.com/privacy';
const WIDTHS = [375, 1280, 1920];

/**
 * The pre-chat form in real Chromium, as a visitor on a shop of another origin: the details and the
 * question in one step, the consent kept with its sentence; a visitor who just asks types and
 * presses Enter, and Skip is one Shift+Tab away; Arabic right to left; axe finds nothing.
 */
describe.skipIf(!hasChromium)('the pre-chat form', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let stage: BrowserStage;
  let widget: Widget;
  const ws = () => `/api/v1/workspaces/${stage.admin.workspaceId}`;
  const setForm = async (body: Record<string, unknown>) => {
    const res = await http(stage.server, 'PUT', `${ws()}/widgets/${widget.id}/prechat`, {
      cookie: stage.admin.cookie,
      body: { enabled: true, name: 'optional', email: 'optional', privacyUrl: POLICY, ...body },
    });
    expect(res.status).toBe(200);
  };
  beforeAll(async () => {
    stage = await startBrowserStage();
    mkdirSync(SHOTS, { recursive: true });
    widget = await createWidget(stage.server, stage.admin, [stage.shop.origin], 'Hi! How can we help?');
    const tag = `<script src="${stage.server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    stage.shop.set(
      '/',
      shopPage(tag),
      `script-src 'self' ${stage.server.origin}; frame-src ${stage.server.origin}`,
    );
  });
  afterAll(async () => stage?.close());

  async function open(
    locale: string,
    width: number,
  ): Promise<{ context: BrowserContext; page: Page; frame: Frame }> {
    const context = await stage.browser.newContext({ locale, viewport: { width, height: heightFor(width) } });
    const page = await context.newPage();
    await page.goto(stage.shop.origin);
    await page.locator('#parley-launcher').click();
    const handle = await page.waitForSelector('#parley-frame');
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('no widget frame');
    await frame.getByTestId('prechat').waitFor();
    return { context, page, frame };
  }

  const noViolations = async (frame: Frame, where: string) => {
    const found = await axeViolations(frame);
    expect(found, describeViolations(where, found)).toEqual([]);
  };

  const visitorMessages = (frame: Frame) =>
    frame.locator('[data-testid="message"][data-author-kind="visitor"]');

  it('English: details and question in one step; the email and the consent reach the visitor’s profile', async () => {
    await setForm({ consent: 'optional' });
    for (const width of WIDTHS) {
      const { context, page, frame } = await open('en-GB', width);
      const link = frame.getByTestId('prechat-privacy');
      expect(await link.getAttribute('href')).toBe(POLICY);
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await frame.getByTestId('prechat').textContent()).toContain(serverEn.prechatConsent);
      // The chat opens with the focus in the composer: a visitor who just asks starts typing.
      await expect.poll(() => frame.locator(':focus').getAttribute('data-testid')).toBe('composer');
      // Nothing overflows sideways, even at 375 px.
      expect(await frame.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await noViolations(frame, `prechat en ${width}`);
      await page.screenshot({ path: join(SHOTS, `en-${width}.png`) });
      if (width !== 1280) {
        await context.close();
        continue;
      }
      await frame.getByTestId('prechat-name').fill('Ada Lovelace');
      await frame.getByTestId('prechat-email').fill('ada@example.com');
      await frame.getByTestId('prechat-consent').check();
      await frame.getByTestId('composer').fill('Do you ship to Norway?');
      await frame.getByTestId('composer').press('Enter');
      await expect
        .poll(() => visitorMessages(frame).last().textContent())
        .toContain('Do you ship to Norway?');
      await expect.poll(() => frame.getByTestId('prechat').count()).toBe(0);
      const leads = await http(stage.server, 'GET', `${ws()}/leads`, { cookie: stage.admin.cookie });
      const lead = (leads.body.items as Array<{ visitorId: string; email: string; name: string }>).find(
        (l) => l.email === 'ada@example.com',
      );
      expect(lead?.name).toBe('Ada Lovelace');
      const profile = await http(stage.server, 'GET', `${ws()}/visitors/${lead?.visitorId}`, {
        cookie: stage.admin.cookie,
      });
      expect(profile.body.custom['consent.text']).toBe(serverEn.prechatConsent);
      expect(profile.body.custom['consent.policy']).toBe(POLICY);
      // After a reload the conversation has the visitor's message: no form comes back.
      await page.reload();
      const again = await (await page.waitForSelector('#parley-frame')).contentFrame();
      if (!again) throw new Error('no widget frame');
      await expect.poll(() => visitorMessages(again).count()).toBeGreaterThan(0);
      expect(await again.getByTestId('prechat').count()).toBe(0);
      await context.close();
    }
  });

  it('keyboard only: a visitor who just asks types and presses Enter; Skip is one Shift+Tab away', async () => {
    await setForm({ consent: 'off', email: 'required' });
    const context = await stage.browser.newContext({ locale: 'en', viewport: { width: 375, height: 700 } });
    const page = await context.newPage();
    await page.goto(stage.shop.origin);
    await page.locator('#parley-launcher').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
    await page.keyboard.press('Enter');
    const frame = page.frameLocator('#parley-frame');
    await frame.getByTestId('prechat').waitFor();
    await expect.poll(() => frame.locator(':focus').getAttribute('data-testid')).toBe('composer');
    // Required email, left empty: the question still goes, without details.
    await page.keyboard.type('Just a quick question');
    await page.keyboard.press('Enter');
    const own = frame.locator('[data-testid="message"][data-author-kind="visitor"]');
    await expect.poll(() => own.last().textContent()).toContain('Just a quick question');
    await expect.poll(() => frame.getByTestId('prechat').count()).toBe(0);
    await context.close();

    // Another visitor: Shift+Tab from the composer reaches Skip, Enter skips, the focus comes back.
    const second = await stage.browser.newContext({ locale: 'en', viewport: { width: 1280, height: 800 } });
    const p2 = await second.newPage();
    await p2.goto(stage.shop.origin);
    await p2.locator('#parley-launcher').waitFor();
    await p2.keyboard.press('Tab');
    await p2.keyboard.press('Enter');
    const f2 = p2.frameLocator('#parley-frame');
    await f2.getByTestId('prechat').waitFor();
    await expect.poll(() => f2.locator(':focus').getAttribute('data-testid')).toBe('composer');
    await p2.keyboard.type('Hello');
    await p2.keyboard.press('Shift+Tab');
    expect(await f2.locator(':focus').getAttribute('data-testid')).toBe('attach');
    await p2.keyboard.press('Shift+Tab');
    expect(await f2.locator(':focus').getAttribute('data-testid')).toBe('prechat-skip');
    await p2.keyboard.press('Enter');
    await expect.poll(() => f2.getByTestId('prechat').count()).toBe(0);
    await expect.poll(() => f2.locator(':focus').getAttribute('data-testid')).toBe('composer');
    expect(await f2.getByTestId('composer').inputValue()).toBe('Hello');
    await p2.keyboard.press('Enter');
    await expect
      .poll(() => f2.locator('[data-testid="message"][data-author-kind="visitor"]').last().textContent())
      .toContain('Hello');
    await second.close();
  });

  it('Arabic: right to left, a refused consent said in Arabic, then Skip sends the question; axe at 375 and 1280', async () => {
    await setForm({ consent: 'required' });
    for (const width of [375, 1280]) {
      const { context, page, frame } = await open('ar', width);
      expect(await frame.locator('main.pw').getAttribute('dir')).toBe('rtl');
      expect(await frame.getByTestId('prechat-skip').textContent()).toBe(ar.prechatSkip);
      await noViolations(frame, `prechat ar ${width}`);
      await page.screenshot({ path: join(SHOTS, `ar-${width}.png`) });
      if (width === 375) {
        await context.close();
        continue;
      }
      await frame.getByTestId('prechat-email').fill('layla@example.com');
      await frame.getByTestId('composer').fill('مرحبا');
      await frame.getByTestId('composer').press('Enter');
      await expect.poll(() => frame.getByTestId('prechat-error').textContent()).toBe(ar.errorConsentRequired);
      // Nothing was sent, and the question is still there.
      expect(await visitorMessages(frame).count()).toBe(0);
      expect(await frame.getByTestId('composer').inputValue()).toBe('مرحبا');
      await noViolations(frame, 'prechat ar refused');
      await page.screenshot({ path: join(SHOTS, 'ar-refused.png') });
      await frame.getByTestId('prechat-skip').click();
      await frame.getByTestId('composer').press('Enter');
      await expect.poll(() => visitorMessages(frame).last().textContent()).toContain('مرحبا');
      await context.close();
    }
  });

  it('the dashboard sets the form; a consent without an https policy is refused before saving', async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    await page.goto(`${stage.server.url}/login`);
    await page.getByTestId('login-email').fill('admin@example.com');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${stage.server.url}/widgets/${widget.id}`);
    const url = page.getByTestId('prechat-privacy-url');
    await expect.poll(() => url.inputValue()).toBe(POLICY);
    await url.fill('http://shop.example.com/privacy');
    expect(await page.getByTestId('prechat-save').isDisabled()).toBe(true);
    await url.fill('https://shop.example.com/legal/privacy');
    await page.getByTestId('prechat-name-mode').selectOption('off');
    await page.getByTestId('prechat-save').click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Pre-chat form saved.' }).count())
      .toBe(1);
    const stored = await http(stage.server, 'GET', `${ws()}/widgets/${widget.id}/prechat`, {
      cookie: stage.admin.cookie,
    });
    expect(stored.body).toMatchObject({ name: 'off', privacyUrl: 'https://shop.example.com/legal/privacy' });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: heightFor(width) });
      await page.getByTestId('prechat-card').scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `dashboard-${width}.png`) });
    }
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
  it('the look’s preview shows the pre-chat fields as they are edited, before saving (keyboard)', async () => {
    await setForm({ name: 'required', email: 'optional', consent: 'off' });
    const shots = join(tmpdir(), 'parley-prechat-preview');
    mkdirSync(shots, { recursive: true });
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    await page.goto(`${stage.server.url}/login`);
    await page.getByTestId('login-email').fill('admin@example.com');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${stage.server.url}/widgets/${widget.id}`);
    const preview = page.getByTestId('widget-preview');
    const fields = preview.getByTestId('preview-prechat');
    // As stored: a required name and an optional email, no consent checkbox.
    await fields.waitFor();
    expect(await fields.getByTestId('preview-prechat-name').textContent()).toBe('Name (required)');
    expect(await fields.getByTestId('preview-prechat-email').textContent()).toBe('Email');
    expect(await fields.getByTestId('preview-prechat-consent').count()).toBe(0);
    expect(await preview.getAttribute('aria-label')).toContain('pre-chat form asking name (required), email');

    // Edited, not saved: the consent checkbox with its policy link appears at once.
    await page.getByTestId('prechat-consent-mode').selectOption('required');
    await expect
      .poll(() => fields.getByTestId('preview-prechat-consent').textContent())
      .toContain('privacy policy (required)');
    expect(await preview.getAttribute('aria-label')).toContain('consent (required)');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: heightFor(width) });
      await preview.scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      // The fields fit the preview's chat panel: none is cut off below the composer.
      const [panel, form] = await Promise.all([
        preview.locator('.preview-panel').boundingBox(),
        fields.boundingBox(),
      ]);
      expect(form && panel && form.y + form.height <= panel.y + panel.height).toBe(true);
      await page.screenshot({ path: join(shots, `preview-${width}.png`) });
    }
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard only: the form switched off (Space on its checkbox) leaves no fields in the preview.
    await page.getByTestId('prechat-enabled').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => fields.count()).toBe(0);
    expect(await preview.getAttribute('aria-label')).not.toContain('pre-chat');
    await page.keyboard.press('Space');
    await fields.waitFor();
    // Nothing of it was saved.
    const stored = await http(stage.server, 'GET', `${ws()}/widgets/${widget.id}/prechat`, {
      cookie: stage.admin.cookie,
    });
    expect(stored.body).toMatchObject({ enabled: true, consent: 'off' });
    await context.close();
  });
});
