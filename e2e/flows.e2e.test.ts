import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, http, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';

/**
 * A flow in real Chromium: the visitor's first message starts it; they press a button, type an
 * invalid email and are asked again, type a valid one, give consent, and the lead is on their profile.
 */
describe.skipIf(!hasChromium)('bot flow in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let shop: HostPage;
  let browser: Browser;
  let admin: TestAgent;

  beforeAll(async () => {
    stage = await startBrowserStage();
    ({ server, shop, browser, admin } = stage);
  });
  afterAll(async () => stage?.close());

  const messages = messagesOn;

  it('runs buttons and an email question with a retry in the widget', async () => {
    const widget = await createWidget(server, admin, [shop.origin], 'Hi! How can we help?');
    const created = await http(
      server,
      'POST',
      `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/flows`,
      {
        cookie: admin.cookie,
        body: {
          name: 'Sales',
          trigger: 'first_message',
          definition: {
            start: 'menu',
            steps: [
              {
                id: 'menu',
                kind: 'buttons',
                text: 'What brings you here?',
                buttons: [{ label: 'Talk to sales', next: 'email' }, { label: 'Just looking' }],
              },
              {
                id: 'email',
                kind: 'ask',
                text: 'What is your email address?',
                attribute: 'email',
                next: 'consent',
              },
              {
                id: 'consent',
                kind: 'buttons',
                text: 'May we email you about offers?',
                buttons: [
                  { label: 'Yes', consent: true, next: 'bye' },
                  { label: 'No', consent: false, next: 'bye' },
                ],
              },
              { id: 'bye', kind: 'message', text: 'Thanks! Sales will be in touch.' },
            ],
          },
        },
      },
    );
    expect(created.status).toBe(201);

    const snippetTag = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    shop.set('/', shopPage(snippetTag), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(shop.origin);
    await visitor.locator('#parley-launcher').click();
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => messages(chat).first().textContent()).toContain('How can we help');

    await chat.getByTestId('composer').fill('hello');
    await chat.getByTestId('send').click();
    await expect.poll(() => messages(chat).last().textContent()).toContain('What brings you here?');
    const buttons = chat.getByTestId('quick-reply');
    await expect.poll(() => buttons.allTextContents()).toEqual(['Talk to sales', 'Just looking']);
    await buttons.filter({ hasText: 'Talk to sales' }).click();
    await expect.poll(() => messages(chat).last().textContent()).toContain('What is your email address?');

    await chat.getByTestId('composer').fill('not an email');
    await chat.getByTestId('send').click();
    await expect
      .poll(() => messages(chat).last().textContent())
      .toContain('does not look like an email address');
    await chat.getByTestId('composer').fill('buyer@example.com');
    await chat.getByTestId('send').click();
    await expect.poll(() => messages(chat).last().textContent()).toContain('May we email you about offers?');
    await buttons.filter({ hasText: 'Yes' }).click();
    await expect.poll(() => messages(chat).last().textContent()).toContain('Sales will be in touch');

    const list = await server.db.db
      .selectFrom('visitors')
      .select('id')
      .where('widget_id', '=', widget.id)
      .execute();
    const profile = await http(
      server,
      'GET',
      `/api/v1/workspaces/${admin.workspaceId}/visitors/${list[0]?.id}`,
      {
        cookie: admin.cookie,
      },
    );
    expect(profile.body).toMatchObject({ email: 'buyer@example.com', custom: { 'lead.consent': 'granted' } });
  });
});
