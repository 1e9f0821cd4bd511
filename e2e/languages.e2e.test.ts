import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../protocol/api.js';
import { createWidget, http } from '../test/support/clients.js';
import { ar } from '../widget/app/i18n/ar.js';
import { de } from '../widget/app/i18n/de.js';
import { fr } from '../widget/app/i18n/fr.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, startBrowserStage } from './support/browser-stage.js';
import { shopPage } from './support/host-page.js';
import { heightFor } from './support/layout.js';

const SHOTS = join(process.cwd(), 'test-results', 'languages');
const messages = (frame: Frame | FrameLocator) => frame.locator('[data-testid="message"]');
const GREETINGS = { de: 'Hallo! Wie können wir helfen?', ar: 'مرحبًا! كيف يمكننا مساعدتك؟' };

/**
 * The widget speaks the visitor's language in real Chromium: a shop on another origin, a browser
 * set to German or Arabic. The launcher, the chat, the bot's greeting and its knowledge answer are
 * in that language; Arabic is laid out right to left (the visitor's bubbles and the send button on
 * the left); axe finds nothing and the keyboard alone still chats. A widget that always uses its
 * default language ignores the browser's.
 */
describe.skipIf(!hasChromium)(
  'the widget in the visitor’s language',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let stage: BrowserStage;
    let widget: Widget;
    const base = () => `/api/v1/workspaces/${stage.admin.workspaceId}`;

    beforeAll(async () => {
      stage = await startBrowserStage();
      mkdirSync(SHOTS, { recursive: true });
      widget = await createWidget(stage.server, stage.admin, [stage.shop.origin], 'Hi! How can we help?');
      await http(stage.server, 'PATCH', `${base()}/widgets/${widget.id}`, {
        cookie: stage.admin.cookie,
        body: { greetingTranslations: GREETINGS },
      });
      for (const body of [
        {
          title: 'Refund timing',
          body: 'Refunds are issued within 5 business days after your return arrives.',
          questions: ['When will I get my refund?'],
        },
        {
          title: 'Rückerstattung',
          body: 'Rückerstattungen erfolgen innerhalb von 5 Werktagen nach Eingang Ihrer Rücksendung.',
          questions: ['Wann bekomme ich meine Rückerstattung?'],
          language: 'de',
        },
      ]) {
        const res = await http(stage.server, 'POST', `${base()}/knowledge/articles`, {
          cookie: stage.admin.cookie,
          body,
        });
        expect(res.status).toBe(201);
      }
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
      const context = await stage.browser.newContext({
        locale,
        viewport: { width, height: heightFor(width) },
      });
      const page = await context.newPage();
      await page.goto(stage.shop.origin);
      await page.locator('#parley-launcher').click();
      const handle = await page.waitForSelector('#parley-frame');
      const frame = await handle.contentFrame();
      if (!frame) throw new Error('no widget frame');
      await frame.getByTestId('composer').waitFor();
      return { context, page, frame };
    }

    const violations = async (frame: Frame, where: string) => {
      const found = await axeViolations(frame);
      expect(found, describeViolations(where, found)).toEqual([]);
    };

    it('German: launcher, chat, greeting and a German article’s answer; screenshots at 375 and 1280', async () => {
      for (const width of [375, 1280]) {
        const { context, page, frame } = await open('de-DE', width);
        expect(await page.locator('#parley-launcher').getAttribute('aria-label')).toBe('Chat öffnen');
        expect(await page.locator('#parley-chat').getAttribute('aria-label')).toBe('Chat');
        expect(await frame.locator('main.pw').getAttribute('lang')).toBe('de');
        expect(await frame.evaluate(() => document.documentElement.lang)).toBe('de');
        expect(await frame.getByTestId('composer').getAttribute('placeholder')).toBe(de.placeholder);
        expect(await frame.getByTestId('send').getAttribute('aria-label')).toBe(de.send);
        await expect.poll(() => messages(frame).first().textContent()).toContain(GREETINGS.de);

        await frame.getByTestId('composer').fill('Wann bekomme ich meine Rückerstattung?');
        await frame.getByTestId('send').click();
        await expect.poll(() => messages(frame).last().textContent()).toContain('innerhalb von 5 Werktagen');
        expect(await frame.getByTestId('source').last().textContent()).toBe(`${de.source} Rückerstattung`);
        // The time under a message is written the German way (24 hours, no AM/PM).
        expect(await frame.locator('time').last().textContent()).toMatch(/^\d{2}:\d{2}$/);
        await violations(frame, `widget de ${width}`);
        await page.screenshot({ path: join(SHOTS, `de-${width}.png`) });
        await context.close();
      }
    });

    it('Arabic: right to left, mirrored composer and bubbles, Arabic greeting; keyboard only; screenshots', async () => {
      for (const width of [375, 1280]) {
        const { context, page, frame } = await open('ar', width);
        expect(await page.locator('#parley-launcher').getAttribute('aria-label')).toBe('فتح الدردشة');
        expect(await page.locator('#parley-chat').getAttribute('lang')).toBe('ar');
        const root = frame.locator('main.pw');
        expect(await root.getAttribute('dir')).toBe('rtl');
        expect(await root.getAttribute('lang')).toBe('ar');
        expect(await root.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
        expect(await frame.evaluate(() => document.documentElement.dir)).toBe('rtl');
        await expect.poll(() => messages(frame).first().textContent()).toContain(GREETINGS.ar);

        // The send button sits at the composer's left end; the visitor's own bubble on the left.
        const composer = frame.getByTestId('composer');
        await composer.fill('مرحبا');
        await frame.getByTestId('send').click();
        const own = frame.locator('[data-testid="message"][data-author-kind="visitor"] .pw-bubble').last();
        await own.waitFor();
        const [input, send, bubble, greeting] = await Promise.all([
          composer.boundingBox(),
          frame.getByTestId('send').boundingBox(),
          own.boundingBox(),
          frame.locator('[data-testid="message"][data-author-kind="bot"] .pw-bubble').first().boundingBox(),
        ]);
        if (!input || !send || !bubble || !greeting) throw new Error('not laid out');
        expect(send.x + send.width).toBeLessThanOrEqual(input.x);
        expect(bubble.x).toBeLessThan(greeting.x);
        expect(await frame.getByTestId('send').getAttribute('aria-label')).toBe(ar.send);
        await violations(frame, `widget ar ${width}`);
        await page.screenshot({ path: join(SHOTS, `ar-${width}.png`) });
        await context.close();
      }

      // Keyboard only: Tab to the launcher, Enter opens it with the focus in the composer, Enter sends.
      const context = await stage.browser.newContext({
        locale: 'ar',
        viewport: { width: 1280, height: 800 },
      });
      const page = await context.newPage();
      await page.goto(stage.shop.origin);
      await page.locator('#parley-launcher').waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
      await page.keyboard.press('Enter');
      const frame = page.frameLocator('#parley-frame');
      await expect.poll(() => frame.locator(':focus').getAttribute('data-testid')).toBe('composer');
      await page.keyboard.type('شكرا');
      await page.keyboard.press('Enter');
      const own = frame.locator('[data-testid="message"][data-author-kind="visitor"]');
      await expect.poll(() => own.last().textContent()).toContain('شكرا');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
      await context.close();
    });

    it('a widget set to always use its default language shows it to a German browser', async () => {
      await http(stage.server, 'PATCH', `${base()}/widgets/${widget.id}`, {
        cookie: stage.admin.cookie,
        body: { defaultLanguage: 'fr', alwaysDefaultLanguage: true },
      });
      const { context, page, frame } = await open('de-DE', 1280);
      expect(await page.locator('#parley-launcher').getAttribute('aria-label')).toBe('Ouvrir le chat');
      expect(await frame.locator('main.pw').getAttribute('lang')).toBe('fr');
      expect(await frame.getByTestId('composer').getAttribute('placeholder')).toBe(fr.placeholder);
      // No French greeting was given: the default one, and the bot's own words in French.
      await expect.poll(() => messages(frame).first().textContent()).toContain('Hi! How can we help?');
      await frame.getByTestId('composer').fill('quantum chromodynamics');
      await frame.getByTestId('send').click();
      await expect
        .poll(() => frame.getByTestId('quick-reply').allTextContents())
        .toContain('Parler à une personne');
      await violations(frame, 'widget fr (always)');
      await context.close();
    });
  },
);
