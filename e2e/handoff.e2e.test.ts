import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, createWidget, http, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';

/**
 * The human handoff in real Chromium: the bot answers one question and not another; the visitor asks
 * for a human; operator Ana takes the query from the queue, answers with a canned response, adds a
 * private note the visitor never sees, transfers to Ben; Ben resolves it with a code; the visitor
 * rates the conversation in the widget.
 */
describe.skipIf(!hasChromium)('human handoff in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
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
  const signIn = async (email: string) => {
    const page = await (await browser.newContext()).newPage();
    await signInOn(page, server, email);
    return page;
  };

  it('queue → pick → canned reply → private note → transfer → resolve → rating', async () => {
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    const widget = await createWidget(server, admin, [shop.origin], 'Hi! Ask me anything.');
    const setup = async (path: string, body: unknown) =>
      expect((await http(server, 'POST', `${ws}${path}`, { cookie: admin.cookie, body })).status).toBe(201);
    await setup('/knowledge/articles', {
      title: 'Shipping costs',
      body: 'Shipping is free on orders over €50.',
      questions: ['How much is shipping?'],
    });
    await setup('/resolution-codes', { code: 'refunded', label: 'Refunded' });
    await setup('/canned-responses', {
      shortcut: 'hello',
      title: 'Greeting',
      body: 'Hi {visitor.name}, this is {agent.name}. Let me look into it.',
    });
    const ana = await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
    await addAgent(server, admin.workspaceId, 'operator', 'ben@example.com');
    // Ana is "away", so nothing is given to her automatically: she picks from the queue.
    await http(server, 'PUT', `${ws}/presence`, { cookie: ana.cookie, body: { status: 'away' } });
    const anaPage = await signIn('ana@example.com');

    const snippetTag = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    const csp = `script-src 'self' ${server.origin}; frame-src ${server.origin}`;
    // The visitor lands on the home page and follows a link to their order, where they open the chat.
    shop.set('/', shopPage('<a id="to-order" href="/orders/42?tab=details#photos">Your order</a>'), csp);
    shop.set('/orders/42?tab=details', shopPage(snippetTag), csp);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(shop.origin);
    await visitor.locator('#to-order').click();
    await visitor.waitForURL(/\/orders\/42/);
    await visitor.locator('#parley-launcher').click();
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => messages(chat).first().textContent()).toContain('Ask me anything');
    await chat.getByTestId('composer').fill('How much is shipping?');
    await chat.getByTestId('send').click();
    await expect.poll(() => messages(chat).last().textContent()).toContain('free on orders over €50');
    await chat.getByTestId('composer').fill('My parcel arrived broken');
    await chat.getByTestId('send').click();
    await expect.poll(() => chat.getByTestId('quick-reply').allTextContents()).toContain('Talk to a person');
    await chat.getByTestId('composer').fill('I want to talk to a human');
    await chat.getByTestId('send').click();
    await expect
      .poll(() => messages(chat).last().textContent())
      .toContain('passing this conversation to a person');

    // Ana: the queue shows it; she takes it and answers with a canned response.
    await expect
      .poll(() => anaPage.getByTestId('view-queue').textContent(), { timeout: 10_000 })
      .toContain('1');
    await anaPage.getByTestId('view-queue').click();
    await anaPage.getByTestId('conversation-item').first().click();
    await anaPage.getByRole('button', { name: 'Take this conversation' }).click();
    await expect.poll(() => anaPage.getByTestId('query-panel').getAttribute('data-state')).toBe('assigned');
    await expect.poll(() => anaPage.getByTestId('view-mine').textContent()).toContain('1');
    // Where the query started: the page (without its fragment) and the page that led there.
    const origin = anaPage.getByTestId('query-origin');
    await expect
      .poll(() => origin.textContent())
      .toContain(`Started on ${shop.origin}/orders/42?tab=details`);
    expect(await origin.textContent()).toContain(`came from ${shop.origin}/`);
    expect(await origin.textContent()).not.toContain('#photos');

    // The shop is a single-page app: the visitor moves on and comes back one step; the widget follows.
    await visitor.evaluate(() => {
      history.pushState(null, '', '/checkout');
      history.pushState(null, '', '/checkout/pay');
      history.back();
    });
    const conversationId = anaPage.url().split('/').pop() ?? '';
    await expect
      .poll(async () => {
        const res = await http(server, 'GET', `${ws}/conversations/${conversationId}/context`, {
          cookie: admin.cookie,
        });
        return res.body.page?.pageUrl;
      })
      .toBe(`${shop.origin}/checkout`);
    await anaPage.getByTestId('reply').fill('/hello');
    await anaPage.getByTestId('reply').press('Enter');
    await expect
      .poll(() => anaPage.getByTestId('reply').inputValue())
      .toContain('this is operator ana@example.com');
    await anaPage.getByTestId('reply').press('Enter');
    await expect.poll(() => messages(chat).last().textContent()).toContain('Let me look into it.');

    // A private note: the visitor never sees it.
    await anaPage.getByTestId('visitor-panel').locator('summary').click();
    await expect
      .poll(() => anaPage.getByTestId('visitor-page-url').textContent())
      .toBe(`${shop.origin}/checkout`);
    await anaPage.getByTestId('note-input').fill('Photo shows a crushed box; refund approved');
    await anaPage.getByTestId('note-add').click();
    await expect.poll(() => anaPage.getByTestId('note').allTextContents()).toHaveLength(1);

    // Transfer to Ben with a note.
    await anaPage
      .getByTestId('transfer-target')
      .selectOption({ label: 'operator ben@example.com (offline)' });
    await anaPage.getByPlaceholder('Note for the next person (private)').fill('Ben, please issue the refund');
    await anaPage.getByRole('button', { name: 'Transfer' }).click();

    // Ben sees it as his and resolves it with a code.
    const benPage = await signIn('ben@example.com');
    await expect
      .poll(() => benPage.getByTestId('view-mine').textContent(), { timeout: 10_000 })
      .toContain('1');
    await benPage.getByTestId('view-mine').click();
    await benPage.getByTestId('conversation-item').first().click();
    await benPage.getByTestId('visitor-panel').locator('summary').click();
    await expect.poll(() => benPage.getByTestId('note').allTextContents()).toHaveLength(2);
    await benPage.getByTestId('resolution-code').selectOption('refunded');
    await benPage.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => benPage.getByTestId('query-panel').getAttribute('data-state')).toBe('resolved');

    // The visitor rates it.
    await chat.getByRole('button', { name: '4 out of 5' }).click();
    await chat.getByLabel('Comment (optional)').fill('Sorted quickly');
    await chat.getByRole('button', { name: 'Send rating' }).click();
    await expect.poll(() => chat.getByTestId('rating-done').textContent()).toContain('Thank you');

    const seen = await chat.locator('body').textContent();
    expect(seen).not.toContain('refund approved');
    expect(seen).not.toContain('please issue the refund');
    const queries = await http(server, 'GET', `${ws}/queries?view=all`, { cookie: admin.cookie });
    expect(queries.body.items[0]).toMatchObject({
      state: 'resolved',
      resolution: { code: 'refunded' },
      rating: { score: 4, comment: 'Sorted quickly' },
    });
  });
});
