import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, startVisitor } from '../test/support/clients.js';
import { pdf, png, svgWithScript } from '../test/support/sample-files.js';
import type { TestServer } from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, startBrowserStage } from './support/browser-stage.js';

/**
 * What a browser does with files people send, in real Chromium: an image opens in place and runs
 * nothing, a PDF and a text file holding markup download instead of rendering on Parley's origin, and an
 * SVG with script never gets stored. Any script that ran would open a dialog or write to the page.
 */
describe.skipIf(!hasChromium)('attachments in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  let visitor: Awaited<ReturnType<typeof startVisitor>>;

  const upload = async (bytes: Buffer, name: string) => {
    const res = await fetch(
      `${server.url}/api/v1/visitor/conversations/${visitor.conversationId}/attachments`,
      {
        method: 'POST',
        headers: {
          origin: server.origin,
          authorization: `Bearer ${visitor.credential}`,
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent(name),
        },
        body: new Uint8Array(bytes),
      },
    );
    return { status: res.status, body: (await res.json()) as { id: string; error?: { code: string } } };
  };
  const address = (id: string) =>
    `${server.url}/api/v1/workspaces/${stage.admin.workspaceId}/attachments/${id}`;

  beforeAll(async () => {
    stage = await startBrowserStage();
    ({ server, browser } = stage);
    const widget = await createWidget(server, stage.admin);
    visitor = await startVisitor(server, widget);
    context = await browser.newContext({ acceptDownloads: true });
    // The administrator's session, as the dashboard's cookie would send it.
    await context.setExtraHTTPHeaders({ cookie: stage.admin.cookie });
    page = await context.newPage();
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
  });
  afterAll(async () => {
    await context?.close();
    await stage?.close();
  });

  it('refuses an SVG with script before it is stored', async () => {
    const svg = await upload(svgWithScript(), 'cat.svg');
    expect(svg.status).toBe(415);
    expect(svg.body.error?.code).toBe('attachment_type_not_allowed');
    const disguised = await upload(svgWithScript(), 'cat.png');
    expect(disguised.status).toBe(415);
  });

  it('opens an image in place, sandboxed, and runs nothing from a file that hides markup in it', async () => {
    // A PNG with a script after its end: re-encoding keeps the pixels only.
    const polyglot = Buffer.concat([await png(48, 48), Buffer.from('<script>alert("png")</script>')]);
    const image = await upload(polyglot, 'photo.png');
    expect(image.status).toBe(201);
    const res = await page.goto(address(image.body.id));
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/^sandbox/);
    await expect.poll(() => page.evaluate(() => document.images[0]?.naturalWidth ?? 0)).toBe(48);
    expect(await page.evaluate(() => window.origin)).toBe('null');
    expect(dialogs).toEqual([]);
  });

  it('downloads a PDF and a text file holding markup instead of rendering them on Parley’s origin', async () => {
    const invoice = await upload(pdf(), 'invoice.pdf');
    expect(invoice.status).toBe(201);
    const filler = 'Order notes. '.repeat(400);
    const text = await upload(
      Buffer.from(`${filler}<script>alert("text")</script><svg onload=alert(2)>`),
      'notes.html',
    );
    expect(text.status).toBe(201);
    for (const [id, name] of [
      [invoice.body.id, 'invoice.pdf'],
      [text.body.id, 'notes.html.txt'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.goto(address(id)).catch(() => null),
      ]);
      expect(download.suggestedFilename()).toBe(name);
    }
    expect(dialogs).toEqual([]);
  });
});
