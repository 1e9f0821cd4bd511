import { readFile } from 'node:fs/promises';
import type { BrowserContext, FileChooser, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../protocol/errors.js';
import { createWidget, PASSWORD } from '../test/support/clients.js';
import { pdf, png, svgWithScript } from '../test/support/sample-files.js';
import { axeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, startBrowserStage } from './support/browser-stage.js';
import { shopPage } from './support/host-page.js';
import { heightFor, settled, WIDTHS } from './support/layout.js';

const SHOTS = process.env.PARLEY_SCREENSHOT_DIR;

/** An ELF program's first bytes: an executable, whatever its name says. */
const elf = () => Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'), Buffer.alloc(120, 0)]);

/**
 * Files as people send them, in real Chromium: a visitor on a shop of another origin attaches by the
 * picker, by paste and by drop inside the widget's frame; the operator sees the image (loaded from the
 * download route) and downloads the PDF; the operator sends a file back, which the visitor downloads
 * with the frame's own cookie. Refused files show the server's message; a cut upload is retried;
 * everything works from the keyboard, with zero axe-core violations at three widths.
 */
describe.skipIf(!hasChromium)(
  'attachments in the widget and the dashboard',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let stage: BrowserStage;
    let visitorContext: BrowserContext;
    let visitor: Page;
    let chat: FrameLocator;
    let frame: Frame;
    let operator: Page;
    const requests: string[] = [];
    const cspViolations: string[] = [];
    const choosers: FileChooser[] = [];
    let image: Buffer;

    const chip = (name: string) => chat.getByTestId('file-chip').filter({ hasText: name });
    const chipStatus = (name: string) => chip(name).getByTestId('file-status').textContent();

    beforeAll(async () => {
      stage = await startBrowserStage();
      const widget = await createWidget(stage.server, stage.admin, [stage.shop.origin]);
      stage.shop.set(
        '/',
        shopPage(
          `<script src="${stage.server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`,
        ),
        `script-src 'self' ${stage.server.origin}; frame-src ${stage.server.origin}`,
      );
      image = await png(120, 80);
      visitorContext = await stage.browser.newContext({ acceptDownloads: true });
      visitor = await visitorContext.newPage();
      visitor.on('request', (r) => requests.push(r.url()));
      // Listening from the start turns on file chooser interception in the widget's frame long before
      // the keyboard opens one (turned on at the last moment, the frame may not have it yet).
      visitor.on('filechooser', (c) => choosers.push(c));
      visitor.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await visitor.goto(stage.shop.origin);
      await visitor.locator('#parley-launcher').click();
      chat = visitor.frameLocator('#parley-frame');
      await messagesOn(chat).first().waitFor();
      await chat.locator('[data-testid="attach"]:not([disabled])').waitFor();
      frame = visitor.frames().find((f) => f.url().includes('/w/')) as Frame;

      const operatorContext = await stage.browser.newContext({ acceptDownloads: true });
      operator = await operatorContext.newPage();
      await operator.goto(`${stage.server.url}/login`);
      await operator.getByTestId('login-email').fill('admin@example.com');
      await operator.getByTestId('login-password').fill(PASSWORD);
      await operator.getByTestId('login-submit').click();
      await operator.waitForURL(/\/inbox/);
    });
    afterAll(async () => {
      await visitorContext?.close();
      await operator?.context().close();
      await stage?.close();
    });

    it('loads the upload code only when the visitor attaches, and the app once', async () => {
      expect(requests.filter((u) => /\/widget-assets\/attachment-drafts-/.test(u))).toEqual([]);
      await chat.getByTestId('file-input').setInputFiles([
        { name: 'broken part.png', mimeType: 'image/png', buffer: image },
        { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: pdf() },
      ]);
      await expect.poll(() => chipStatus('broken part.png')).toBe('Ready to send');
      await expect.poll(() => chipStatus('invoice.pdf')).toBe('Ready to send');
      expect(requests.filter((u) => /\/widget-assets\/attachment-drafts-/.test(u))).toHaveLength(1);
      // The lazy chunk imports nothing from app.js: a second copy of the app would start a second chat.
      expect(requests.filter((u) => /\/widget-assets\/app\.js/.test(u))).toHaveLength(1);
    });

    it('sends an image and a PDF picked, then one pasted and one dropped; the operator sees and downloads them', async () => {
      await chat.getByTestId('composer').fill('Here is the broken part and the invoice');
      await chat.getByTestId('send').click();
      await expect.poll(() => chat.getByTestId('file-chip').count()).toBe(0);
      const sent = messagesOn(chat).filter({ hasText: 'Here is the broken part' });
      await expect.poll(() => sent.getByTestId('message-files').count()).toBe(1);
      await expect
        .poll(() => sent.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
        .toBe(120);
      expect(await sent.getByTestId('file-card').textContent()).toContain('invoice.pdf');
      expect(await sent.getByTestId('file-card').textContent()).toContain('PDF document');

      // A screenshot pasted into the composer, then a file dropped on the chat: each a message of files alone.
      const bytes = [...(await png(64, 40))];
      await frame.evaluate((data) => {
        const files = new DataTransfer();
        files.items.add(new File([new Uint8Array(data)], 'screenshot.png', { type: 'image/png' }));
        const composer = document.querySelector('[data-testid="composer"]') as HTMLTextAreaElement;
        composer.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }),
        );
      }, bytes);
      await expect.poll(() => chipStatus('screenshot.png')).toBe('Ready to send');
      await chat.getByTestId('send').click();
      await expect.poll(() => chat.getByTestId('file-chip').count()).toBe(0);
      await frame.evaluate(() => {
        const files = new DataTransfer();
        files.items.add(new File(['Order 1001: steps to reproduce'], 'notes.txt', { type: 'text/plain' }));
        const main = document.querySelector('main') as HTMLElement;
        main.dispatchEvent(
          new DragEvent('dragover', { dataTransfer: files, bubbles: true, cancelable: true }),
        );
        main.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
      });
      await expect.poll(() => chipStatus('notes.txt')).toBe('Ready to send');
      await chat.getByTestId('send').click();
      await expect.poll(() => messagesOn(chat).filter({ hasText: 'notes.txt' }).count()).toBe(1);

      const item = operator.getByTestId('conversation-item').first();
      await expect.poll(() => item.isVisible(), { timeout: 10_000 }).toBe(true);
      await item.click();
      const theirs = messagesOn(operator).filter({ has: operator.getByTestId('message-files') });
      await expect.poll(() => theirs.count()).toBe(3);
      // In seq order, each message with its own files.
      const first = theirs.nth(0);
      expect(await first.textContent()).toContain('Here is the broken part and the invoice');
      await expect
        .poll(() => first.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
        .toBe(120);
      await expect
        .poll(() =>
          theirs
            .nth(1)
            .locator('img')
            .evaluate((img: HTMLImageElement) => img.naturalWidth),
        )
        .toBe(64);
      expect(await theirs.nth(2).getByTestId('file-card').textContent()).toContain('notes.txt');
      const [download] = await Promise.all([
        operator.waitForEvent('download'),
        first.getByTestId('file-card').click(),
      ]);
      expect(download.suggestedFilename()).toBe('invoice.pdf');
      expect((await readFile((await download.path()) as string)).equals(pdf())).toBe(true);
    });

    it('the operator sends a file back; the visitor sees it and downloads it with the frame’s cookie', async () => {
      await operator.getByTestId('file-input').setInputFiles({
        name: 'return label.pdf',
        mimeType: 'application/pdf',
        buffer: pdf('Return label'),
      });
      // And a screenshot pasted into the reply box.
      const shot = [...(await png(50, 30))];
      await operator.getByTestId('reply').evaluate((el, data) => {
        const files = new DataTransfer();
        files.items.add(new File([new Uint8Array(data)], 'where to click.png', { type: 'image/png' }));
        el.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }),
        );
      }, shot);
      await expect
        .poll(() => operator.getByTestId('file-chip').getByTestId('file-status').allTextContents())
        .toEqual(['Ready to send', 'Ready to send']);
      await operator.getByTestId('reply').fill('Print this label, please.');
      await operator.getByTestId('reply-send').click();
      await expect.poll(() => operator.getByTestId('file-chip').count()).toBe(0);
      const back = messagesOn(chat).filter({ hasText: 'Print this label' });
      await expect.poll(() => back.getByTestId('file-card').count()).toBe(1);
      // The agent's image, in the visitor's frame, loaded with the frame's cookie.
      await expect
        .poll(() => back.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
        .toBe(50);
      const [download] = await Promise.all([
        visitor.waitForEvent('download'),
        back.getByTestId('file-card').click(),
      ]);
      expect(download.suggestedFilename()).toBe('return label.pdf');
      expect((await readFile((await download.path()) as string)).equals(pdf('Return label'))).toBe(true);
    });

    it('shows the server’s refusal next to a disguised program and an SVG with script; they can be removed', async () => {
      await chat.getByTestId('file-input').setInputFiles([
        { name: 'holiday.png', mimeType: 'image/png', buffer: elf() },
        { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: svgWithScript() },
      ]);
      const refusal = `Not attached: ${ERROR_MESSAGES.attachment_type_not_allowed}`;
      await expect.poll(() => chipStatus('holiday.png')).toBe(refusal);
      await expect.poll(() => chipStatus('logo.svg')).toBe(refusal);
      // Refused for what they are: retrying would not help, so only Remove is offered.
      expect(await chat.getByTestId('file-retry').count()).toBe(0);
      // Nothing is ready: there is nothing to send.
      expect(await chat.getByTestId('send').isDisabled()).toBe(true);
      await screenshots('refused');
      await chip('holiday.png').getByTestId('file-remove').click();
      await chip('logo.svg').getByTestId('file-remove').click();
      await expect.poll(() => chat.getByTestId('file-chip').count()).toBe(0);
    });

    it('retries an upload the network cut', async () => {
      let cut = false;
      await visitor.route('**/attachments?widgetId=*', async (route) => {
        if (!cut && route.request().method() === 'POST') {
          cut = true;
          return route.abort('connectionreset');
        }
        return route.continue();
      });
      await chat
        .getByTestId('file-input')
        .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: image });
      await expect.poll(() => chipStatus('receipt.png')).toMatch(/^Not attached: .*connection/);
      await chip('receipt.png').getByTestId('file-retry').click();
      await expect.poll(() => chipStatus('receipt.png')).toBe('Ready to send');
      await visitor.unroute('**/attachments?widgetId=*');
      await chat.getByTestId('send').click();
      await expect
        .poll(() =>
          operator
            .locator('[data-testid="message"][data-author-kind="visitor"]')
            .filter({ has: operator.locator('img') })
            .count(),
        )
        // The picked image, the pasted one, and now the retried one.
        .toBe(3);
    });

    it('works from the keyboard: attach, remove, send, open an image full size and close it', async () => {
      const composer = chat.getByTestId('composer');
      await composer.focus();
      await visitor.keyboard.press('Shift+Tab');
      expect(await chat.getByTestId('attach').evaluate((el) => el === document.activeElement)).toBe(true);
      await visitor.keyboard.press('Enter');
      await expect.poll(() => choosers.length).toBe(1);
      const chooser = choosers[0] as FileChooser;
      await chooser.setFiles([
        { name: 'wrong.png', mimeType: 'image/png', buffer: image },
        { name: 'right.png', mimeType: 'image/png', buffer: await png(90, 60) },
      ]);
      await expect.poll(() => chipStatus('right.png')).toBe('Ready to send');
      await expect.poll(() => chipStatus('wrong.png')).toBe('Ready to send');
      await chip('wrong.png').getByTestId('file-remove').focus();
      await visitor.keyboard.press('Enter');
      await expect.poll(() => chat.getByTestId('file-chip').count()).toBe(1);
      await composer.focus();
      await visitor.keyboard.type('The right one');
      await visitor.keyboard.press('Enter');
      const sent = messagesOn(chat).filter({ hasText: 'The right one' });
      const thumb = sent.getByTestId('file-image');
      await expect.poll(() => thumb.count()).toBe(1);
      await thumb.focus();
      await visitor.keyboard.press('Enter');
      const full = chat.getByTestId('lightbox-image');
      await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(90);
      await screenshots('lightbox');
      // Saved from the viewer: the image as a file, and the chat stays where it is.
      const [saved] = await Promise.all([
        visitor.waitForEvent('download'),
        chat.getByTestId('lightbox-download').click(),
      ]);
      expect(saved.suggestedFilename()).toBe('right.png');
      expect((await readFile((await saved.path()) as string)).length).toBeGreaterThan(0);
      expect(await full.isVisible()).toBe(true);
      expect(await axeViolations(frame)).toEqual([]);
      await visitor.keyboard.press('Escape');
      await expect.poll(() => chat.getByTestId('lightbox').count()).toBe(0);
      // Escape closed the image, not the chat.
      expect(await visitor.locator('#parley-frame').isVisible()).toBe(true);
      expect(await thumb.evaluate((el) => el === document.activeElement)).toBe(true);
    });

    it('has no axe-core violations and nothing sideways at 375, 1280 and 1920 px, in the widget and the dashboard', async () => {
      await chat.getByTestId('file-input').setInputFiles([
        {
          name: 'a very long file name of a scanned delivery note from the courier.pdf',
          mimeType: 'application/pdf',
          buffer: pdf(),
        },
        { name: 'nope.png', mimeType: 'image/png', buffer: elf() },
      ]);
      await expect.poll(() => chipStatus('nope.png')).toMatch(/^Not attached/);
      for (const width of WIDTHS) {
        await visitor.setViewportSize({ width, height: heightFor(width) });
        await operator.setViewportSize({ width, height: heightFor(width) });
        await settled(operator);
        expect(await axeViolations(frame), `widget at ${width}`).toEqual([]);
        expect(await axeViolations(operator), `dashboard at ${width}`).toEqual([]);
        expect(await frame.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
        if (SHOTS) {
          await visitor.screenshot({ path: `${SHOTS}/widget-files-${width}.png` });
          await operator.screenshot({ path: `${SHOTS}/dashboard-files-${width}.png` });
        }
      }
      expect(cspViolations).toEqual([]);
    });

    it("names a file's kind and a refusal in the visitor's language (German, Arabic right to left), axe clean", async () => {
      for (const [locale, label, refusal] of [
        ['de-DE', 'PDF-Dokument', 'Nicht angehängt: Diese Art von Datei kann hier nicht gesendet werden.'],
        ['ar', 'مستند PDF', 'لا يمكن إرسال هذا النوع من الملفات هنا.'],
      ] as const) {
        const context = await stage.browser.newContext({
          locale,
          viewport: { width: 375, height: heightFor(375) },
        });
        const page = await context.newPage();
        await page.goto(stage.shop.origin);
        await page.locator('#parley-launcher').click();
        const theirChat = page.frameLocator('#parley-frame');
        await messagesOn(theirChat).first().waitFor();
        await theirChat.locator('[data-testid="attach"]:not([disabled])').waitFor();
        await theirChat
          .getByTestId('file-input')
          .setInputFiles([{ name: 'rechnung.pdf', mimeType: 'application/pdf', buffer: pdf() }]);
        await expect.poll(() => theirChat.getByTestId('file-chip').count()).toBe(1);
        // Keyboard only: from the composer, Enter sends the file.
        await theirChat.getByTestId('composer').focus();
        await expect.poll(() => theirChat.locator('[data-testid="send"]:not([disabled])').count()).toBe(1);
        await page.keyboard.press('Enter');
        const card = theirChat.getByTestId('file-card');
        await expect.poll(() => card.count()).toBe(1);
        expect(await card.textContent()).toContain(label);
        expect(await card.textContent()).not.toContain('PDF document');
        // A program named like an image is refused: the refusal is in their language too.
        await theirChat
          .getByTestId('file-input')
          .setInputFiles([{ name: 'nope.png', mimeType: 'image/png', buffer: elf() }]);
        const status = theirChat
          .getByTestId('file-chip')
          .filter({ hasText: 'nope.png' })
          .getByTestId('file-status');
        await expect.poll(() => status.textContent()).toContain(refusal);
        const theirFrame = page.frames().find((f) => f.url().includes('/w/')) as Frame;
        expect(await axeViolations(theirFrame), locale).toEqual([]);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/widget-file-kind-${locale}-375.png` });
        await context.close();
      }
    });

    async function screenshots(name: string): Promise<void> {
      if (SHOTS) await visitor.screenshot({ path: `${SHOTS}/widget-${name}.png` });
    }
  },
);
