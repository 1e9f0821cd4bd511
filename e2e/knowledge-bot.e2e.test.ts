import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, http, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';

/**
 * The bot in real Chromium: an administrator writes an article in the dashboard; a visitor gets it
 * as an answer with its title cited, gets suggestion buttons for a question it cannot answer,
 * presses "Talk to a person", and the operator's inbox shows the conversation waiting for a person.
 */
describe.skipIf(!hasChromium)('knowledge-base bot in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
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

  it('answers with a cited article, suggests when unsure, and hands off to a waiting inbox', async () => {
    const widget = await createWidget(server, admin, [shop.origin], 'Hi! Ask me anything.');
    await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/knowledge/articles`, {
      cookie: admin.cookie,
      body: {
        title: 'Shipping costs',
        body: 'Shipping is free on orders over €50.',
        questions: ['How much is shipping?'],
      },
    });

    // The administrator writes the refund article in the dashboard.
    const operator = await (await browser.newContext()).newPage();
    await signInOn(operator, server, admin.me.user.email);
    await operator.getByRole('link', { name: 'Knowledge base' }).click();
    await operator.getByRole('button', { name: 'New article' }).click();
    await operator.getByLabel('Title', { exact: true }).fill('Refund timing');
    await operator
      .getByLabel('Answer', { exact: true })
      .fill('Refunds are issued within 5 business days after your return arrives.');
    await operator.getByLabel('Alternative questions').fill('When will I get my refund?');
    await operator.getByRole('button', { name: 'Save article' }).click();
    await expect.poll(() => operator.getByTestId('kb-article').allTextContents()).toHaveLength(2);
    await operator.getByRole('searchbox').fill('money back for my return');
    await expect
      .poll(() => operator.getByTestId('kb-article').first().textContent())
      .toContain('Refund timing');

    const snippetTag = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    shop.set('/', shopPage(snippetTag), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(shop.origin);
    await visitor.locator('#parley-launcher').click();
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => messages(chat).first().textContent()).toContain('Ask me anything');

    await chat.getByTestId('composer').fill('When is my refund issued?');
    await chat.getByTestId('send').click();
    await expect.poll(() => messages(chat).last().textContent()).toContain('within 5 business days');
    await expect.poll(() => chat.getByTestId('source').last().textContent()).toContain('Refund timing');

    await chat.getByTestId('composer').fill('shipping refund');
    await chat.getByTestId('send').click();
    const buttons = chat.getByTestId('quick-reply');
    await expect.poll(() => buttons.allTextContents()).toContain('Talk to a person');
    expect(await buttons.allTextContents()).toEqual(
      expect.arrayContaining(['Refund timing', 'Shipping costs']),
    );

    await buttons.filter({ hasText: 'Talk to a person' }).click();
    await expect
      .poll(() => messages(chat).last().textContent())
      .toContain('passing this conversation to a person');
    expect(await buttons.count()).toBe(0); // the offer is gone once answered

    await operator.getByRole('link', { name: 'Inbox' }).click();
    const item = operator.getByTestId('conversation-item').first();
    await expect
      .poll(() => item.getByTestId('handoff-tag').textContent(), { timeout: 10_000 })
      .toBe('Waiting for a person');
    await item.click();
    await expect
      .poll(() => operator.getByTestId('message-parts').allTextContents())
      .toContain('Source: Refund timing');
  });
});
