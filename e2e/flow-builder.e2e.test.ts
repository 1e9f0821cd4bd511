import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, http, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';

/**
 * The flow builder in real Chromium: an administrator builds a flow in the dashboard's forms
 * (a message, buttons that branch, an email question, a handoff), typing as a person types; then
 * visitors walk both branches in the widget: one leaves a (validated) email and shows up as a lead,
 * the other is handed to a person.
 */
describe.skipIf(!hasChromium)('flow builder in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
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
  const step = (page: Page, id: string) => page.getByTestId(`flow-step-${id}`);
  /** Adds a step and gives it an id; the builder names a new step `step<n>`. */
  const addStep = async (page: Page, provisional: string, id: string) => {
    await page.getByRole('button', { name: 'Add step' }).click();
    await step(page, provisional).getByLabel('Step id', { exact: true }).fill(id);
    return step(page, id);
  };

  it('builds message → buttons → email question / handoff in the dashboard; visitors walk it', async () => {
    const widget = await createWidget(server, admin, [shop.origin], 'Hi! How can we help?');
    const builder = await (await browser.newContext()).newPage();
    await signInOn(builder, server, admin.me.user.email);
    await builder.goto(`${server.url}/widgets/${widget.id}`);

    const card = builder.getByTestId('flows-card');
    await card.getByRole('button', { name: 'New flow' }).click();
    await builder.locator('#flow-name').fill('Welcome');
    await builder.locator('#flow-trigger').selectOption('first_message');

    const start = step(builder, 'start');
    await start.getByLabel('Text', { exact: true }).fill('Welcome to the shop!');
    await start.getByLabel('Next step id').fill('menu');

    const menu = await addStep(builder, 'step2', 'menu');
    await menu.getByLabel('Kind').selectOption({ label: 'Buttons (branch)' });
    await menu.getByLabel('Text', { exact: true }).fill('Sales or support?');
    const lines = menu.getByLabel('Buttons, one per line: label -> next step id');
    await lines.fill('');
    // Typed key by key, new line and arrow included, the way a person writes them.
    await lines.pressSequentially('Sales -> email\nSupport -> human');
    expect(await lines.inputValue()).toBe('Sales -> email\nSupport -> human');

    const email = await addStep(builder, 'step3', 'email');
    await email.getByLabel('Kind').selectOption({ label: 'Ask for an attribute' });
    await email.getByLabel('Text', { exact: true }).fill('Your email, please?');
    await email.getByLabel('Attribute').selectOption('email');
    await email.getByLabel('Next step id').fill('thanks');

    const thanks = await addStep(builder, 'step4', 'thanks');
    await thanks.getByLabel('Text', { exact: true }).fill('Thanks! Sales will write to you.');

    const human = await addStep(builder, 'step5', 'human');
    await human.getByLabel('Kind').selectOption({ label: 'Hand off to a person' });
    await human.getByLabel('Text before handing off').fill('Connecting you to a person.');

    await builder.getByRole('button', { name: 'Save flow' }).click();
    await expect
      .poll(() => card.locator('li').allTextContents())
      .toEqual([expect.stringContaining('Welcome (first message, version 1, 5 steps)')]);
    expect(await card.getByRole('alert').count()).toBe(0);

    // A visitor who wants sales: buttons, an invalid email, then a valid one.
    const snippetTag = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    shop.set('/', shopPage(snippetTag), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
    const open = async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(shop.origin);
      await page.locator('#parley-launcher').click();
      const chat = page.frameLocator('#parley-frame');
      await expect.poll(() => messages(chat).first().textContent()).toContain('How can we help');
      await chat.getByTestId('composer').fill('hi');
      await chat.getByTestId('send').click();
      await expect
        .poll(() => messages(chat).allTextContents())
        .toEqual(expect.arrayContaining([expect.stringContaining('Welcome to the shop!')]));
      await expect
        .poll(() => chat.getByTestId('quick-reply').allTextContents())
        .toEqual(['Sales', 'Support']);
      return chat;
    };
    const buyer = await open();
    await buyer.getByTestId('quick-reply').filter({ hasText: 'Sales' }).click();
    await expect.poll(() => messages(buyer).last().textContent()).toContain('Your email, please?');
    await buyer.getByTestId('composer').fill('not an email');
    await buyer.getByTestId('send').click();
    await expect
      .poll(() => messages(buyer).last().textContent())
      .toContain('does not look like an email address');
    await buyer.getByTestId('composer').fill('lead@example.com');
    await buyer.getByTestId('send').click();
    await expect.poll(() => messages(buyer).last().textContent()).toContain('Sales will write to you');

    // The lead is on the dashboard's leads screen.
    await builder.goto(`${server.url}/leads`);
    await expect
      .poll(() => builder.getByTestId('lead-item').allTextContents())
      .toEqual([expect.stringContaining('lead@example.com')]);

    // A visitor who wants support is handed to a person: a query opens (the administrator is online
    // in the dashboard, so it may be given to them at once) with the flow as its trigger.
    const asker = await open();
    await asker.getByTestId('quick-reply').filter({ hasText: 'Support' }).click();
    await expect
      .poll(() => messages(asker).allTextContents())
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('Connecting you to a person.'),
          expect.stringContaining('passing this conversation to a person'),
        ]),
      );
    await expect
      .poll(async () => {
        const res = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/queries?view=all`, {
          cookie: admin.cookie,
        });
        return res.body.items.map((q: { state: string; origin: { trigger: string } }) => q.origin.trigger);
      })
      .toEqual(['flow']);
  });
});
